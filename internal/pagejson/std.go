//go:build !js

package pagejson

import "encoding/json"

// Marshal returns the JSON encoding of v, as encoding/json writes it.
func Marshal(v any) ([]byte, error) { return json.Marshal(v) }

// Unmarshal parses the JSON data into v, as encoding/json does.
func Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
