// Package static embeds the page: index.html, its styles and scripts,
// wasm_exec.js and main.wasm (both built by make) into the smtplay binary.
package static

import "embed"

// Files holds the page. main.wasm and wasm_exec.js are absent until `make`
// has built them; the proxy says so at start-up.
//
//go:embed *
var Files embed.FS
