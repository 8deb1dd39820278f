// Package pagejson is JSON for the page's Go half without encoding/json.
//
// encoding/json is the largest library in main.wasm (its code, the reflect
// and time formatting it keeps alive: about 110 KB of the brotli page), yet
// the page only turns its own values into the documented JSON shapes and
// back. Marshal and Unmarshal are encoding/json's in a native build (the
// proxy, every native test); a js/wasm build uses the small codec here
// instead, which writes the bytes json.Marshal writes and decodes what
// json.Unmarshal decodes for the types the page has: structs with json tags
// (omitempty, omitzero, "-", embedded structs), maps with string or integer
// keys, slices, arrays, []byte as base64, pointers, interfaces, and types
// with MarshalJSON/UnmarshalJSON or MarshalText/UnmarshalText (time.Time).
// The tests hold the two against each other. Not covered, as the page does
// not use them: the ",string" option, json.Number, json.RawMessage,
// reference cycles; error texts differ from encoding/json's.
package pagejson
