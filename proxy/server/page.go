package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// asset is one embedded page file, ready to serve: its bytes, an ETag so a
// new build replaces an old one, and a gzip copy made on first demand.
type asset struct {
	body  []byte
	ctype string
	etag  string

	gzOnce sync.Once
	gz     []byte // nil when gzip does not pay
}

// pageCSP keeps the page to its own origin; 'wasm-unsafe-eval' lets the
// browser compile main.wasm, and nothing else is evaluated. HTML mail is
// shown in an iframe sandbox="" (unique origin, no script) loaded from
// /api/sandbox/{token}/messages/{id}/html, which serves it sanitized under
// its own no-network CSP (proxy/sandbox/mailhtml.go); frame-src 'self' is
// for that frame alone (CSP cannot name a path for frame-src short of a
// full URL), and the frame's own policy has frame-src 'none', so a frame
// inside the mail goes nowhere. (A srcdoc frame would inherit this policy,
// style-src 'self' included, and could not render styled mail.)
// connect-src adds the -lesson-origin servers, and frame-ancestors the
// -allow-origin pages on /embed alone: framing the full page stays ours.
func pageCSP(connect, frameAncestors []string) string {
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
		"connect-src " + strings.Join(append([]string{"'self'"}, connect...), " ") +
		"; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
		"frame-ancestors " + strings.Join(append([]string{"'self'"}, frameAncestors...), " ")
}

// pageHandler serves the embedded page, and on /embed the same page for an
// iframe (it compacts itself). Files are read once; each is compressed on
// its first request that accepts gzip, so starting the binary costs nothing.
func (s *Server) pageHandler() http.Handler {
	assets := map[string]*asset{}
	_ = fs.WalkDir(s.page, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(s.page, name)
		if err != nil {
			return err
		}
		assets["/"+name] = newAsset(name, body)
		return nil
	})
	csp := pageCSP(s.lessonOrigins.CSP(), nil)
	embedCSP := pageCSP(s.lessonOrigins.CSP(), s.embedders.CSP())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, policy := r.URL.Path, csp
		switch p {
		case "/":
			p = "/index.html"
		case "/embed":
			p, policy = "/index.html", embedCSP
		}
		as, ok := assets[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", as.ctype)
		h.Set("Cache-Control", "no-cache") // revalidate: the ETag changes with each build
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", policy)
		h.Set("Vary", "Accept-Encoding")
		body, etag := as.body, as.etag
		if acceptsGzip(r) {
			if gz := as.gzipped(); gz != nil {
				h.Set("Content-Encoding", "gzip")
				body, etag = gz, as.gzipETag()
			}
		}
		// ServeContent answers If-None-Match (lists and weak tags too),
		// ranges and HEAD.
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	as := &asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	as.ctype = mime.TypeByExtension(path.Ext(name))
	if path.Ext(name) == ".wasm" {
		as.ctype = "application/wasm"
	}
	if as.ctype == "" {
		as.ctype = "application/octet-stream"
	}
	return as
}

// gzipETag tags the gzip copy: a different representation, so a
// different strong ETag.
func (as *asset) gzipETag() string { return strings.TrimSuffix(as.etag, `"`) + `-gz"` }

// gzipped returns the gzip copy, made once, or nil when it would not be at
// least a tenth smaller.
func (as *asset) gzipped() []byte {
	as.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(as.body)
		_ = zw.Close()
		if buf.Len() < len(as.body)*9/10 {
			as.gz = buf.Bytes()
		}
	})
	return as.gz
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip
// (and does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
