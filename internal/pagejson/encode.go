package pagejson

import (
	"encoding"
	"encoding/base64"
	"errors"
	"math"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"
)

// marshaler is json.Marshaler, named here so that the page need not link
// encoding/json.
type marshaler interface {
	MarshalJSON() ([]byte, error)
}

var (
	marshalerType     = reflect.TypeFor[marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroerType      = reflect.TypeFor[interface{ IsZero() bool }]()
)

// methods says which of the interfaces encoding/json honours a type, and a
// pointer to it, implement. reflect answers each question with a walk of
// the method set, and every event the page sends encodes the same few
// types, so the answers are kept per type (methodsOf).
type methods struct {
	marshaler, ptrMarshaler bool // MarshalJSON
	text, ptrText           bool // MarshalText
	zeroer, ptrZeroer       bool // IsZero
}

// methodCache holds the methods of each type seen: reflect.Type → methods.
var methodCache sync.Map

// methodsOf returns the methods of t, asking reflect the first time only.
func methodsOf(t reflect.Type) methods {
	if m, ok := methodCache.Load(t); ok {
		return m.(methods)
	}
	p := reflect.PointerTo(t)
	m := methods{
		marshaler: t.Implements(marshalerType), ptrMarshaler: p.Implements(marshalerType),
		text: t.Implements(textMarshalerType), ptrText: p.Implements(textMarshalerType),
		zeroer: t.Implements(isZeroerType), ptrZeroer: p.Implements(isZeroerType),
	}
	methodCache.Store(t, m)
	return m
}

// encode writes v as json.Marshal does.
func encode(v any) ([]byte, error) {
	return appendValue(nil, reflect.ValueOf(v))
}

// appendValue appends the JSON of v to b.
func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	if !v.IsValid() {
		return append(b, "null"...), nil
	}
	t := v.Type()
	m := methodsOf(t)
	if t.Kind() != reflect.Pointer && v.CanAddr() && m.ptrMarshaler {
		return appendMarshaler(b, v.Addr())
	}
	if m.marshaler {
		return appendMarshaler(b, v)
	}
	if t.Kind() != reflect.Pointer && v.CanAddr() && m.ptrText {
		return appendTextMarshaler(b, v.Addr())
	}
	if m.text {
		return appendTextMarshaler(b, v)
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32:
		return appendFloat(b, v.Float(), 32)
	case reflect.Float64:
		return appendFloat(b, v.Float(), 64)
	case reflect.String:
		return appendString(b, v.String()), nil
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendValue(b, v.Elem())
	case reflect.Struct:
		return appendStruct(b, v)
	case reflect.Map:
		return appendMap(b, v)
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if em := methodsOf(t.Elem()); t.Elem().Kind() == reflect.Uint8 && !em.ptrMarshaler && !em.ptrText {
			b = append(b, '"')
			b = base64.StdEncoding.AppendEncode(b, v.Bytes())
			return append(b, '"'), nil
		}
		return appendArray(b, v)
	case reflect.Array:
		return appendArray(b, v)
	}
	return nil, errors.New("json: unsupported type: " + t.String())
}

func appendMarshaler(b []byte, v reflect.Value) ([]byte, error) {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return append(b, "null"...), nil
	}
	out, err := v.Interface().(marshaler).MarshalJSON()
	if err != nil {
		return nil, err
	}
	var tree node
	if err := parse(out, &tree); err != nil {
		return nil, errors.New("json: error calling MarshalJSON for type " + v.Type().String() + ": " + err.Error())
	}
	return appendCompact(b, out), nil
}

func appendTextMarshaler(b []byte, v reflect.Value) ([]byte, error) {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return append(b, "null"...), nil
	}
	text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return nil, err
	}
	return appendString(b, string(text)), nil
}

// appendCompact appends valid JSON without its insignificant spaces, with
// <, > and & escaped, as json.Marshal leaves a MarshalJSON result.
func appendCompact(b, js []byte) []byte {
	inString := false
	for i := 0; i < len(js); i++ {
		c := js[i]
		switch {
		case inString && c == '\\':
			b = append(b, c, js[i+1])
			i++
			continue
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			continue
		case c == '<' || c == '>' || c == '&':
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			continue
		case c == 0xE2 && i+2 < len(js) && js[i+1] == 0x80 && js[i+2]&^1 == 0xA8:
			b = append(b, '\\', 'u', '2', '0', '2', hex[js[i+2]&0xF])
			i += 2
			continue
		}
		b = append(b, c)
	}
	return b
}

// appendFloat formats f as encoding/json does (ES6 number to string).
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, bits))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hex = "0123456789abcdef"

// appendString appends s quoted as encoding/json quotes it: HTML
// characters, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendStruct(b []byte, v reflect.Value) ([]byte, error) {
	b = append(b, '{')
	first := true
	for _, f := range fieldsOf(v.Type()) {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var err error
		if b, err = appendValue(b, fv); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// fieldByIndex is v.FieldByIndex, false where a nil embedded pointer is on
// the way.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZero is encoding/json's test for omitzero: the IsZero method where the
// type has one, else the zero value.
func isZero(v reflect.Value) bool {
	t := v.Type()
	m := methodsOf(t)
	switch {
	case t.Kind() == reflect.Pointer && m.zeroer:
		return v.IsNil() || v.Interface().(interface{ IsZero() bool }).IsZero()
	case m.zeroer:
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	case m.ptrZeroer && v.CanAddr():
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

func appendMap(b []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, "null"...), nil
	}
	type member struct {
		key string
		val reflect.Value
	}
	members := make([]member, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		key, err := mapKey(it.Key())
		if err != nil {
			return nil, err
		}
		members = append(members, member{key, it.Value()})
	}
	// In key order, by insertion: a generic sort would cost main.wasm more
	// than the page's small maps ever take.
	for i := 1; i < len(members); i++ {
		for j := i; j > 0 && members[j].key < members[j-1].key; j-- {
			members[j], members[j-1] = members[j-1], members[j]
		}
	}
	b = append(b, '{')
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, m.key)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m.val); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// mapKey is the JSON name of a map key: a string, a TextMarshaler's text or
// an integer in decimal.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		text, err := tm.MarshalText()
		return string(text), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", errors.New("json: unsupported map key type: " + k.Type().String())
}

func appendArray(b []byte, v reflect.Value) ([]byte, error) {
	b = append(b, '[')
	for i := range v.Len() {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, v.Index(i)); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}
