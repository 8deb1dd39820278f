// Package static embeds the page: index.html, its styles and scripts,
// wasm_exec.js and main.wasm (both built by make) into the smtplay binary.
package static

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// Files holds the page. main.wasm and wasm_exec.js are absent until `make`
// has built them; the proxy says so at start-up.
//
//go:embed *
var Files embed.FS

// ReadJSON decodes the JSON file name of Files (a language file, the
// lesson index) into v.
func ReadJSON(name string, v any) error {
	data, err := fs.ReadFile(Files, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
