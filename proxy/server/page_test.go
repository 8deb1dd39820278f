package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/static"
)

// get fetches path with the given Accept-Encoding, as a browser would, and
// returns the response with its body as sent.
func get(t *testing.T, url, encoding string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", encoding)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// What a browser gets for each page file: its type, gzip when it pays and
// is accepted, the same bytes once decompressed, an ETag that answers 304,
// and the page's policy.
func TestPageFiles(t *testing.T) {
	_, hs := startServer(t)
	files := map[string]string{"/": "text/html; charset=utf-8", "/app.js": "text/javascript; charset=utf-8", "/style.css": "text/css; charset=utf-8"}
	if _, err := fs.Stat(static.Files, "main.wasm"); err == nil {
		files["/main.wasm"] = "application/wasm"
	}
	for path, ctype := range files {
		plain, raw := get(t, hs.URL+path, "")
		if plain.StatusCode != 200 || plain.Header.Get("Content-Type") != ctype || plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: %s %q %q", path, plain.Status, plain.Header.Get("Content-Type"), plain.Header.Get("Content-Encoding"))
		}
		if plain.Header.Get("Content-Length") != strconv.Itoa(len(raw)) {
			t.Errorf("%s: Content-Length %s for %d bytes", path, plain.Header.Get("Content-Length"), len(raw))
		}
		csp := plain.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval';", "frame-src 'self';", "object-src 'none'", "style-src 'self';"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: policy %q lacks %q", path, csp, want)
			}
		}
		zipped, body := get(t, hs.URL+path, "br, gzip;q=0.8")
		if zipped.Header.Get("Content-Encoding") != "gzip" || zipped.Header.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%s: encoding %q, vary %q", path, zipped.Header.Get("Content-Encoding"), zipped.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, raw) || len(body) >= len(raw) {
			t.Errorf("%s: gzip gives %d bytes back from %d, want the %d served plain", path, len(unzipped), len(body), len(raw))
		}
		if refused, _ := get(t, hs.URL+path, "gzip;q=0"); refused.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip sent to a client that refused it", path)
		}
		if zipped.Header.Get("ETag") == plain.Header.Get("ETag") {
			t.Errorf("%s: the gzip and the plain copy share the ETag %s", path, plain.Header.Get("ETag"))
		}
		for _, rv := range []struct{ encoding, etag string }{
			{"", plain.Header.Get("ETag")},
			{"gzip", zipped.Header.Get("ETag")},
			{"gzip", `W/"other", ` + zipped.Header.Get("ETag")},
		} {
			again, _ := get(t, hs.URL+path, rv.encoding, "If-None-Match", rv.etag)
			if again.StatusCode != http.StatusNotModified || plain.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("%s: revalidation of %s: %s, Cache-Control %q", path, rv.etag, again.Status, plain.Header.Get("Cache-Control"))
			}
		}
	}
	if resp, _ := get(t, hs.URL+"/static.go", ""); resp.StatusCode != 404 {
		t.Errorf("static.go: %s", resp.Status)
	}
}

// The page is a few ES modules with no build step: every module imported
// exists, and no script writes HTML from strings (docs/SECURITY.md, T10: server
// text only ever becomes text nodes).
func TestPageScripts(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^import .* from "\./([a-z]+\.js)";$`)
	markup := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|eval\(|new Function`)
	scripts, _ := fs.Glob(static.Files, "*.js")
	found := 0
	for _, name := range scripts {
		if name == "wasm_exec.js" {
			continue
		}
		src, _ := fs.ReadFile(static.Files, name)
		for _, m := range imports.FindAllStringSubmatch(string(src), -1) {
			found++
			if _, err := fs.Stat(static.Files, m[1]); err != nil {
				t.Errorf("%s imports %s, which is not in static/", name, m[1])
			}
		}
		if m := markup.FindString(string(src)); m != "" {
			t.Errorf("%s uses %s: build DOM nodes with textContent instead", name, m)
		}
	}
	if found < len(scripts)-2 {
		t.Errorf("only %d imports found in %d scripts: is the pattern still right?", found, len(scripts))
	}
	html, _ := fs.ReadFile(static.Files, "index.html")
	for _, want := range []string{`<script type="module" src="app.js">`, `aria-live="polite"`, `name="viewport"`, `<script src="wasm_exec.js">`} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}
