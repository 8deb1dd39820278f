package pagejson

import (
	"encoding"
	"encoding/base64"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// The decoder refuses types with their own UnmarshalJSON or UnmarshalText
// (the page decodes none): calling them through an interface would keep
// every such method in main.wasm, time.Time's parser among them.
var (
	unmarshalerType     = reflect.TypeFor[interface{ UnmarshalJSON([]byte) error }]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// ownDecoding reports whether values of type t decode themselves.
func ownDecoding(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || t.Implements(textUnmarshalerType)
}

// errOwnDecoding is the error for a type that decodes itself.
func errOwnDecoding(t reflect.Type) error {
	return errors.New("pagejson: cannot decode into " + t.String() + ": it has its own UnmarshalJSON or UnmarshalText")
}

// decode parses data into v as json.Unmarshal does: nothing is stored when
// data is not valid JSON; a value of the wrong type for its field is
// skipped and reported after the rest is stored.
func decode(data []byte, v any) error {
	var tree node
	if err := parse(data, &tree); err != nil {
		return err
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("json: Unmarshal needs a non-nil pointer")
	}
	d := decoder{}
	if err := d.store(&tree, rv); err != nil {
		return err
	}
	return d.first
}

// decoder remembers the first type mismatch.
type decoder struct {
	first error
}

func (d *decoder) mismatch(n *node, t reflect.Type) {
	if d.first == nil {
		what := map[byte]string{'t': "bool", 'f': "bool", '"': "string", '0': "number", '{': "object", '[': "array"}[n.kind]
		d.first = errors.New("json: cannot unmarshal " + what + " into Go value of type " + t.String())
	}
}

// indirect walks down v's pointers, making them where they are nil, to the
// value a JSON value is stored in, as encoding/json's indirect does: it
// stops at a pointer whose type decodes itself, saying so, and at a
// settable pointer when null is stored.
func indirect(v reflect.Value, null bool) (_ reflect.Value, own bool) {
	v0, haveAddr := v, false
	if v.Kind() != reflect.Pointer && v.Type().Name() != "" && v.CanAddr() {
		haveAddr = true
		v = v.Addr()
	}
	for {
		if v.Kind() == reflect.Interface && !v.IsNil() {
			if e := v.Elem(); e.Kind() == reflect.Pointer && !e.IsNil() && (!null || e.Elem().Kind() == reflect.Pointer) {
				haveAddr = false
				v = e
				continue
			}
		}
		if v.Kind() != reflect.Pointer || null && v.CanSet() {
			return v, false
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if ownDecoding(v.Type()) {
			return v, true
		}
		if haveAddr {
			v, haveAddr = v0, false
		} else {
			v = v.Elem()
		}
	}
}

// store puts the value of n into v.
func (d *decoder) store(n *node, v reflect.Value) error {
	v, own := indirect(v, n.kind == 'n')
	if own {
		return errOwnDecoding(v.Type())
	}
	switch n.kind {
	case 'n':
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice:
			v.SetZero()
		}
	case 't', 'f':
		switch {
		case v.Kind() == reflect.Bool:
			v.SetBool(n.kind == 't')
		case v.Kind() == reflect.Interface && v.NumMethod() == 0:
			v.Set(reflect.ValueOf(n.kind == 't'))
		default:
			d.mismatch(n, v.Type())
		}
	case '"':
		switch {
		case v.Kind() == reflect.String:
			v.SetString(n.str)
		case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
			b, err := base64.StdEncoding.DecodeString(n.str)
			if err != nil {
				if d.first == nil {
					d.first = err
				}
				return nil
			}
			v.SetBytes(b)
		case v.Kind() == reflect.Interface && v.NumMethod() == 0:
			v.Set(reflect.ValueOf(n.str))
		default:
			d.mismatch(n, v.Type())
		}
	case '0':
		d.number(n, v)
	case '[':
		return d.array(n, v)
	case '{':
		return d.object(n, v)
	}
	return nil
}

func (d *decoder) number(n *node, v reflect.Value) {
	s := string(n.raw)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v.OverflowInt(i) {
			d.mismatch(n, v.Type())
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil || v.OverflowUint(u) {
			d.mismatch(n, v.Type())
			return
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil || v.OverflowFloat(f) {
			d.mismatch(n, v.Type())
			return
		}
		v.SetFloat(f)
	case reflect.Interface:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || v.NumMethod() != 0 {
			d.mismatch(n, v.Type())
			return
		}
		v.Set(reflect.ValueOf(f))
	default:
		d.mismatch(n, v.Type())
	}
}

func (d *decoder) array(n *node, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Interface:
		if v.NumMethod() != 0 {
			d.mismatch(n, v.Type())
			return nil
		}
		a := make([]any, len(n.elems))
		for i := range n.elems {
			if err := d.store(&n.elems[i], reflect.ValueOf(&a[i]).Elem()); err != nil {
				return err
			}
		}
		v.Set(reflect.ValueOf(a))
		return nil
	case reflect.Slice:
		old := v.Len()
		if v.Cap() < len(n.elems) {
			grown := reflect.MakeSlice(v.Type(), old, len(n.elems))
			reflect.Copy(grown, v)
			v.Set(grown)
		}
		v.SetLen(len(n.elems))
		for i := range n.elems {
			if i >= old {
				v.Index(i).SetZero()
			}
			if err := d.store(&n.elems[i], v.Index(i)); err != nil {
				return err
			}
		}
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
		return nil
	case reflect.Array:
		for i := range v.Len() {
			if i < len(n.elems) {
				if err := d.store(&n.elems[i], v.Index(i)); err != nil {
					return err
				}
			} else {
				v.Index(i).SetZero()
			}
		}
		return nil
	}
	d.mismatch(n, v.Type())
	return nil
}

func (d *decoder) object(n *node, v reflect.Value) error {
	t := v.Type()
	switch {
	case v.Kind() == reflect.Interface && v.NumMethod() == 0:
		m := make(map[string]any, len(n.keys))
		for i, key := range n.keys {
			var e any
			if err := d.store(&n.elems[i], reflect.ValueOf(&e).Elem()); err != nil {
				return err
			}
			m[key] = e
		}
		v.Set(reflect.ValueOf(m))
		return nil
	case v.Kind() == reflect.Map:
		kt := t.Key()
		if ownDecoding(reflect.PointerTo(kt)) {
			return errOwnDecoding(kt)
		}
		switch kt.Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			d.mismatch(n, t)
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
		for i, key := range n.keys {
			e := reflect.New(t.Elem()).Elem()
			if err := d.store(&n.elems[i], e); err != nil {
				return err
			}
			k, ok := d.mapKey(key, kt)
			if !ok {
				continue
			}
			v.SetMapIndex(k, e)
		}
		return nil
	case v.Kind() == reflect.Struct:
		fields := fieldsOf(t)
		for i, key := range n.keys {
			f := matchField(fields, key)
			if f == nil {
				continue
			}
			fv, ok := settableField(v, f.index)
			if !ok {
				continue
			}
			if err := d.store(&n.elems[i], fv); err != nil {
				return err
			}
		}
		return nil
	}
	d.mismatch(n, t)
	return nil
}

// mapKey turns an object's key into a key of type kt.
func (d *decoder) mapKey(key string, kt reflect.Type) (reflect.Value, bool) {
	k := reflect.New(kt).Elem()
	var err error
	switch kt.Kind() {
	case reflect.String:
		k.SetString(key)
		return k, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if i, err = strconv.ParseInt(key, 10, 64); err == nil && !k.OverflowInt(i) {
			k.SetInt(i)
			return k, true
		}
	default:
		var u uint64
		if u, err = strconv.ParseUint(key, 10, 64); err == nil && !k.OverflowUint(u) {
			k.SetUint(u)
			return k, true
		}
	}
	if d.first == nil {
		d.first = errors.New("json: cannot unmarshal number " + key + " into Go value of type " + kt.String())
	}
	return reflect.Value{}, false
}

// matchField finds the field a key names: the exact name, else one that
// matches without regard to case.
func matchField(fields []field, key string) *field {
	for i := range fields {
		if fields[i].name == key {
			return &fields[i]
		}
	}
	for i := range fields {
		if strings.EqualFold(fields[i].name, key) {
			return &fields[i]
		}
	}
	return nil
}

// settableField is v.FieldByIndex, making nil embedded pointers on the way;
// false where one cannot be made (an unexported embedded pointer).
func settableField(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
