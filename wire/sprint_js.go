//go:build js

package wire

import "strconv"

// sprint writes v as fmt.Sprint does for the values the page passes to
// Say (strings, errors, integers, Stringers), without linking fmt.
func sprint(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case error:
		return v.Error()
	case interface{ String() string }:
		return v.String()
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	}
	return "?"
}
