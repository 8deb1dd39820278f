// Package pagedeps holds no code: its test keeps the packages that make
// main.wasm heavy (the HTTP and TLS stacks, crypto/rand, regexp, net,
// encoding/json, mime) out of the page, ./wasm built for js/wasm.
package pagedeps
