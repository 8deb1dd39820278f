//go:build !js

package pagedeps

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// heavy are packages the page must not link, with what each would cost.
var heavy = map[string]string{
	"net/http":      "the HTTP client and server (the browser's WebSocket and fetch do this)",
	"crypto/tls":    "a TLS stack (the proxy speaks TLS, not the page)",
	"crypto/rand":   "a DRBG with AES and SHA (math/rand/v2 is enough for the page's ids)",
	"regexp":        "the regexp compiler and its Unicode tables",
	"net":           "the network stack, emulated for js/wasm (net/mail brings it too)",
	"mime":          "its media-type tables and the readers of the system's mime.types, run at start-up (wasm/rfc2047 does encoded-words)",
	"encoding/json": "the reflection-driven JSON codec (internal/pagejson does the page's JSON; go-sasl's package brings it too)",
}

// TestPageDependencies lists the dependencies of ./wasm as GOOS=js
// GOARCH=wasm builds it and fails for each heavy package, naming the
// page package that imports it.
func TestPageDependencies(t *testing.T) {
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	cmd := exec.Command(gobin, "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "github.com/smtplay/smtplay/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	importers := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			importers[imp] = append(importers[imp], fields[0])
		}
	}
	if len(importers) < 20 {
		t.Fatalf("go list found only %d imported packages: is the pattern still right?\n%s", len(importers), out)
	}
	for pkg, why := range heavy {
		if by := importers[pkg]; len(by) > 0 {
			t.Errorf("main.wasm links %s — %s — imported by %s", pkg, why, strings.Join(by, ", "))
		}
	}
}
