//go:build !js

package wire

import "fmt"

// sprint writes v as fmt.Sprint does.
func sprint(v any) string { return fmt.Sprint(v) }
