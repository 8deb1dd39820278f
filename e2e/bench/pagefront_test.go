//go:build unix

package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// pageFront stands between Chromium and smtplay in the page benchmarks
// and counts what the server sends: every byte of every response, status
// line and headers included, whoever asked for it (the page, or the
// worker that fetches and compiles main.wasm, whose requests DevTools
// reports on another target). It also gives every request the
// Accept-Encoding of the visit, as a browser does over HTTPS (Chromium
// offers brotli only there; this benchmark speaks plain HTTP).
type pageFront struct {
	// URL is the front's; Page is the page's address under it, "/" unless
	// set.
	URL, Page string

	mu            sync.Mutex
	accept        string
	bytes         int64  // sent to the browser since the visit began
	assetRequests int    // requests for a/<hash>/… that reached the server
	wasmEncoding  string // main.wasm's Content-Encoding, when it came from the server
}

// startPageFront serves a pageFront for the smtplay at target.
func startPageFront(b *testing.B, target string) *pageFront {
	b.Helper()
	u, err := url.Parse(target)
	if err != nil {
		b.Fatal(err)
	}
	f := &pageFront{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = &http.Transport{DisableCompression: true} // the bytes as the server sent them
	director := rp.Director
	rp.Director = func(r *http.Request) {
		director(r)
		f.mu.Lock()
		defer f.mu.Unlock()
		r.Header.Set("Accept-Encoding", f.accept)
		if strings.Contains(r.URL.Path, "/a/") {
			f.assetRequests++
		}
	}
	rp.ModifyResponse = func(resp *http.Response) error {
		head := len(resp.Proto) + len(resp.Status) + 3 // "HTTP/1.1 200 OK\r\n"
		var hdr strings.Builder
		_ = resp.Header.Write(&hdr)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.bytes += int64(head + hdr.Len() + 2)
		if strings.HasSuffix(resp.Request.URL.Path, "/main.wasm") {
			f.wasmEncoding = resp.Header.Get("Content-Encoding")
		}
		if resp.StatusCode != http.StatusSwitchingProtocols {
			resp.Body = &countingBody{ReadCloser: resp.Body, f: f}
		}
		return nil
	}
	hs := httptest.NewServer(rp)
	b.Cleanup(hs.Close)
	f.URL, f.Page = hs.URL, "/"
	return f
}

// begin starts counting a visit that asks for accept.
func (f *pageFront) begin(accept string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accept, f.bytes, f.assetRequests, f.wasmEncoding = accept, 0, 0, ""
}

// counted returns what the visit's responses came to.
func (f *pageFront) counted() (bytes int64, assetRequests int, wasmEncoding string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bytes, f.assetRequests, f.wasmEncoding
}

// countingBody counts a response's body as it goes to the browser.
type countingBody struct {
	io.ReadCloser
	f *pageFront
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.f.mu.Lock()
	c.f.bytes += int64(n)
	c.f.mu.Unlock()
	return n, err
}
