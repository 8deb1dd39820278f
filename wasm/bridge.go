//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/smtplay/smtplay/internal/pagejson"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// toJS turns a Go value into a plain JavaScript value by way of JSON, so
// the page sees exactly the documented JSON shapes.
func toJS(v any) js.Value {
	data, err := pagejson.Marshal(v)
	if err != nil {
		return js.Null()
	}
	return js.Global().Get("JSON").Call("parse", string(data))
}

// fromJS decodes a JavaScript value into v by way of JSON.
func fromJS(val js.Value, v any) error {
	if val.IsUndefined() || val.IsNull() {
		return nil
	}
	s := js.Global().Get("JSON").Call("stringify", val).String()
	return pagejson.Unmarshal([]byte(s), v)
}

// arg returns args[i], or undefined when it was not given.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// str returns args[i] as a string, "" when it is not one.
func str(args []js.Value, i int) string {
	if a := arg(args, i); a.Type() == js.TypeString {
		return a.String()
	}
	return ""
}

// failure is what a method returns when it cannot do what was asked:
// {error}, a phrase.Text, with phrases when the error is one for people
// (*phrase.Error).
func failure(err error) js.Value {
	return toJS(map[string]phrase.Text{"error": phrase.ErrorText(err)})
}
