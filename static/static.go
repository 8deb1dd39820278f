// Package static holds the page's sources: index.html, its styles and
// scripts, its language files and lessons. make builds main.wasm and
// wasm_exec.js beside them, then internal/pagebuild makes the page smtplay
// serves from them, in static/dist. Files is for the checks of the page's
// data and for the tests: the smtplay binary does not carry it.
package static

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// Files holds the page's sources, not this package's Go files nor the
// built page in dist/. wasm_exec.js is there once make has copied it;
// main.wasm never is (it is read from disk by the build step).
//
//go:embed *.html *.css *.js i18n lessons
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
