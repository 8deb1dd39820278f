//go:build js

package pagejson

// Marshal returns the JSON encoding of v: the bytes json.Marshal writes.
func Marshal(v any) ([]byte, error) { return encode(v) }

// Unmarshal parses the JSON data into v as json.Unmarshal does.
func Unmarshal(data []byte, v any) error { return decode(data, v) }
