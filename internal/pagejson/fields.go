package pagejson

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

// field is one JSON member of a struct type.
type field struct {
	name      string
	key       string // name quoted, then a colon: what precedes the value
	index     []int  // as reflect.Value.FieldByIndex takes it
	omitEmpty bool
	omitZero  bool
}

// fieldCache holds the fields of each struct type seen: reflect.Type → []field.
var fieldCache sync.Map

// fieldsOf returns the JSON members of struct type t in encoding/json's
// order, with its rules: exported fields, the tag's name or else the Go
// name, "-" left out, the fields of untagged embedded structs promoted, and
// of several fields with one name the shallowest (then the tagged) one,
// none when that is still ambiguous.
func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	type candidate struct {
		field
		depth  int
		tagged bool
	}
	var all []candidate
	var walk func(t reflect.Type, index []int, seen []reflect.Type)
	walk = func(t reflect.Type, index []int, seen []reflect.Type) {
		if slices.Contains(seen, t) {
			return
		}
		seen = append(seen, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			ft := sf.Type
			if ft.Name() == "" && ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if sf.Anonymous {
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			at := append(slices.Clip(index), i)
			if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
				walk(ft, at, seen)
				continue
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			options := strings.Split(opts, ",")
			all = append(all, candidate{field{name: name, index: at, omitEmpty: slices.Contains(options, "omitempty"), omitZero: slices.Contains(options, "omitzero")}, len(at), tagged})
		}
	}
	walk(t, nil, nil)
	byName := map[string][]candidate{}
	for _, c := range all {
		byName[c.name] = append(byName[c.name], c)
	}
	var fields []field
	for _, cs := range byName {
		depth := cs[0].depth
		for _, c := range cs {
			depth = min(depth, c.depth)
		}
		var shallow, tagged []candidate
		for _, c := range cs {
			if c.depth == depth {
				shallow = append(shallow, c)
				if c.tagged {
					tagged = append(tagged, c)
				}
			}
		}
		switch {
		case len(shallow) == 1:
			fields = append(fields, shallow[0].field)
		case len(tagged) == 1:
			fields = append(fields, tagged[0].field)
		}
	}
	// In the order of the fields in the struct, by insertion (see appendMap).
	for i := 1; i < len(fields); i++ {
		for j := i; j > 0 && slices.Compare(fields[j].index, fields[j-1].index) < 0; j-- {
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
	for i := range fields {
		fields[i].key = string(appendString(nil, fields[i].name)) + ":"
	}
	fieldCache.Store(t, fields)
	return fields
}
