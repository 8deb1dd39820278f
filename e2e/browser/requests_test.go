package browser

import (
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/e2e/apptest"
)

// The page starts with a handful of requests: its scripts come as two
// bundles (internal/pagebuild/bundle), not one request per module, and
// the bundle's source map is left for DevTools to ask for. The third
// script is the worker that fetches and compiles main.wasm off the page's
// main thread (static/wasmcompile.js); main.wasm is its request, not the
// page's.
func TestBrowserStartRequests(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	var names []string
	b.eval(`performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname.replace(/^\/a\/[0-9a-f]+\//, ""))`, &names)
	var scripts []string
	for _, n := range names {
		if strings.HasSuffix(n, ".js") || strings.HasSuffix(n, ".map") {
			scripts = append(scripts, n)
		}
	}
	slices.Sort(scripts)
	if want := []string{"app.bundle.js", "head.bundle.js", "wasmcompile.js"}; !slices.Equal(scripts, want) {
		t.Errorf("the page asked for the scripts %q, want only %q (all requests: %q)", scripts, want, names)
	}
	if slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "main.wasm") }) {
		t.Errorf("the page itself fetched main.wasm, which its worker compiles: %q", names)
	}
	if len(names) > 12 {
		t.Errorf("the page made %d requests on its way to ready, want at most 12: %q", len(names), names)
	}
}
