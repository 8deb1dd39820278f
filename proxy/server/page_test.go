package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
	"github.com/smtplay/smtplay/internal/pagebuild"
	"github.com/smtplay/smtplay/internal/pagebuild/compress"
	"github.com/smtplay/smtplay/static"
	"github.com/smtplay/smtplay/static/dist"
)

// testPage is the page the server's tests serve: the one `make` built into
// static/dist, or, in a fresh clone before it, one built from static/'s
// sources without main.wasm and without compressed copies.
var testPage = sync.OnceValues(func() (*pagebuild.Site, error) {
	site, err := dist.Site()
	if errors.Is(err, pagebuild.ErrNotBuilt) {
		return pagebuild.Build(static.Files)
	}
	return site, err
})

// get fetches path with the given Accept-Encoding, as a browser would, and
// returns the response with its body as sent.
func get(t *testing.T, url, encoding string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", encoding)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
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

// decode undoes a response's Content-Encoding.
func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch encoding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", encoding, err)
	}
	return out
}

// startPageServer serves site, compressed as make does.
func startPageServer(t *testing.T, src fstest.MapFS) (*pagebuild.Site, *httptest.Server) {
	t.Helper()
	site, err := pagebuild.Build(src)
	if err != nil {
		t.Fatal(err)
	}
	compress.Site(site, nil)
	s, err := New(Options{Page: site})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return site, hs
}

// smallPage is a page whose files compress, but for tiny.txt.
var smallPage = fstest.MapFS{
	"index.html":   {Data: []byte(`<!doctype html><link rel="stylesheet" href="style.css"><script type="module" src="app.js"></script>` + strings.Repeat("<p>text</p>", 50))},
	"app.js":       {Data: []byte(strings.Repeat(`import { t } from "./lang.js";`+"\n", 50))},
	"style.css":    {Data: []byte(strings.Repeat("body { margin: 0 }\n", 50))},
	"main.wasm":    {Data: bytes.Repeat([]byte("\x00asm\x01\x00\x00\x00"), 1000)},
	"tiny.txt":     {Data: []byte("x")},
	"i18n/en.json": {Data: []byte(`{"k":"` + strings.Repeat("v", 500) + `"}`)},
}

// Each file goes in the copy the request's Accept-Encoding prefers, q-values
// and wildcards respected, brotli first on a tie; the copy decodes to the
// file; each copy has its own ETag that answers 304, and ranges are of the
// copy sent.
func TestPageEncodings(t *testing.T) {
	site, hs := startPageServer(t, smallPage)
	asset := hs.URL + "/" + site.Prefix()
	for _, tc := range []struct {
		accept []string
		want   string
	}{
		{nil, ""},
		{[]string{"gzip, deflate, br, zstd"}, "br"},
		{[]string{"gzip"}, "gzip"},
		{[]string{"x-gzip"}, "gzip"},
		{[]string{"br;q=0.5, gzip"}, "gzip"},
		{[]string{"GZIP;Q=0.8, BR;q=0.7"}, "gzip"},
		{[]string{"br, gzip;q=0"}, "br"},
		{[]string{"br;q=0, gzip;q=0"}, ""},
		{[]string{"*"}, "br"},
		{[]string{"*;q=0, identity"}, ""},
		{[]string{"identity;q=0, gzip;q=0.5"}, "gzip"},
		{[]string{"gzip;q=0.1", "br"}, "br"},
		{[]string{"deflate, zstd"}, ""},
	} {
		for _, path := range []string{"/", "/embed", "/" + site.Prefix() + "app.js", "/" + site.Prefix() + "main.wasm", "/" + site.Prefix() + "i18n/en.json"} {
			var header []string
			for _, a := range tc.accept {
				header = append(header, "Accept-Encoding", a)
			}
			resp, body := get(t, hs.URL+path, "", header...)
			enc := resp.Header.Get("Content-Encoding")
			if resp.StatusCode != 200 || enc != tc.want || resp.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("%s, Accept-Encoding %q: %s, encoding %q, Vary %q; want %q", path, tc.accept, resp.Status, enc, resp.Header.Get("Vary"), tc.want)
				continue
			}
			if resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("%s %s: Content-Length %q for %d bytes", path, enc, resp.Header.Get("Content-Length"), len(body))
			}
			want := site.Entry.Body
			if name, ok := strings.CutPrefix(path, "/"+site.Prefix()); ok {
				want = site.Assets[name].Body
			}
			if got := decode(t, enc, body); !bytes.Equal(got, want) {
				t.Errorf("%s %s: %d bytes decoded, want the %d of the file", path, enc, len(got), len(want))
			}
			tag := resp.Header.Get("ETag")
			if again, _ := get(t, hs.URL+path, "", append(header, "If-None-Match", `W/"other", `+tag)...); again.StatusCode != http.StatusNotModified {
				t.Errorf("%s %s: revalidating %s: %s", path, enc, tag, again.Status)
			}
		}
	}
	tags := map[string]bool{}
	for _, enc := range []string{"", "gzip", "br"} {
		resp, _ := get(t, asset+"app.js", enc)
		tags[resp.Header.Get("ETag")] = true
	}
	if len(tags) != 3 {
		t.Errorf("the three copies of app.js share ETags: %v", tags)
	}
	if resp, body := get(t, asset+"tiny.txt", "br, gzip"); resp.Header.Get("Content-Encoding") != "" || string(body) != "x" {
		t.Errorf("tiny.txt, which does not compress: %q %q", resp.Header.Get("Content-Encoding"), body)
	}
	br := site.Assets["main.wasm"].Br
	resp, body := get(t, asset+"main.wasm", "br", "Range", "bytes=0-9")
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") != "bytes 0-9/"+strconv.Itoa(len(br)) || !bytes.Equal(body, br[:10]) {
		t.Errorf("a range of the brotli copy: %s %q %x", resp.Status, resp.Header.Get("Content-Range"), body)
	}
}

// The entry points are revalidated on every visit and name this build's
// assets; the assets are cached for good; anything else, another build's
// assets included, is 404.
func TestPageCaching(t *testing.T) {
	site, hs := startPageServer(t, smallPage)
	for _, path := range []string{"/", "/embed", "/index.html"} {
		resp, body := get(t, hs.URL+path, "")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: %s, Cache-Control %q, ETag %q", path, resp.Status, resp.Header.Get("Cache-Control"), resp.Header.Get("ETag"))
		}
		if !bytes.Contains(body, []byte(`src="`+site.Prefix()+`app.js"`)) {
			t.Errorf("%s does not name %sapp.js:\n%s", path, site.Prefix(), body)
		}
	}
	for name, ctype := range map[string]string{"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8",
		"main.wasm": "application/wasm", "i18n/en.json": "application/json"} {
		resp, _ := get(t, hs.URL+"/"+site.Prefix()+name, "br")
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || resp.Header.Get("Content-Type") != ctype {
			t.Errorf("%s: %s, Cache-Control %q, type %q", name, resp.Status, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") {
			t.Errorf("%s: policy %q", name, csp)
		}
	}
	for _, path := range []string{"/app.js", "/main.wasm", "/a/0123456789abcdef/app.js", "/" + site.Prefix(), "/" + site.Prefix() + "nosuch.js",
		"/" + site.Prefix() + "index.html", "/static.go", "/a/"} {
		if resp, _ := get(t, hs.URL+path, "gzip"); resp.StatusCode != http.StatusNotFound || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %s, Cache-Control %q; want 404, no-cache", path, resp.Status, resp.Header.Get("Cache-Control"))
		}
	}
}

// The page smtplay serves (static/dist, or static/'s sources before make):
// every asset index.html names is there, with the page's policy.
func TestServedPage(t *testing.T) {
	_, hs := startServer(t)
	site, _ := testPage()
	resp, html := get(t, hs.URL+"/", "")
	refs := regexp.MustCompile(`(?:src|href)="(a/[0-9a-f]{16}/[^"]+)"`).FindAllSubmatch(html, -1)
	if resp.StatusCode != 200 || len(refs) < 3 {
		t.Fatalf("/: %s, %d asset references:\n%s", resp.Status, len(refs), html)
	}
	for _, ref := range refs {
		resp, _ := get(t, hs.URL+"/"+string(ref[1]), "br, gzip")
		if resp.StatusCode != 200 || !strings.HasPrefix(string(ref[1]), site.Prefix()) {
			t.Errorf("%s: %s (this build is %s)", ref[1], resp.Status, site.Prefix())
		}
	}
	if site.Assets["main.wasm"] != nil {
		resp, body := get(t, hs.URL+"/"+site.Prefix()+"main.wasm", "gzip, deflate, br, zstd")
		if resp.Header.Get("Content-Type") != "application/wasm" || resp.Header.Get("Content-Encoding") != "br" || len(body) > len(site.Assets["main.wasm"].Body)/3 {
			t.Errorf("main.wasm: %q %q, %d B", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), len(body))
		}
	}
}

// The page is a few ES modules with no build step: every module imported
// exists, no script writes HTML from strings (docs/SECURITY.md, T10: server
// text only ever becomes text nodes), and every file a script fetches from
// the page itself is found beside the module (import.meta.url), under the
// build's a/<hash>/, not beside the document.
func TestPageScripts(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^import .* from "\./([a-z]+\.js)";$`)
	markup := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|eval\(|new Function`)
	fetches := regexp.MustCompile("fetch\\(\\s*[\"'`]([^\"'`]*)")
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
		for _, m := range fetches.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasPrefix(m[1], "api/") && !strings.HasPrefix(m[1], "${") { // ${…}: an address made before, an API one
				t.Errorf("%s fetches %q beside the document: fetch(new URL(%q, import.meta.url)) finds it beside the module", name, m[1], m[1])
			}
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

// A binary built without its page says so on its entry points, and other
// paths stay 404.
func TestPageNotBuilt(t *testing.T) {
	s, err := New(Options{Page: &pagebuild.Site{}})
	if err != nil {
		t.Fatal(err)
	}
	s.page = nil // as when static/dist holds no build
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	for path, want := range map[string]int{"/": http.StatusServiceUnavailable, "/embed": http.StatusServiceUnavailable, "/a/0123456789abcdef/app.js": http.StatusNotFound} {
		resp, body := get(t, hs.URL+path, "")
		if resp.StatusCode != want || want == http.StatusServiceUnavailable && !strings.Contains(string(body), "make") {
			t.Errorf("%s: %s %q, want %d", path, resp.Status, body, want)
		}
	}
}
