package main

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
)

// asset is one embedded page file, ready to serve: its bytes, a gzip copy
// when that is smaller, and an ETag so a new build replaces an old one.
type asset struct {
	body, gz []byte
	ctype    string
	etag     string
}

// pageCSP keeps the page to its own origin; 'wasm-unsafe-eval' lets the
// browser compile main.wasm, and nothing else is evaluated.
const pageCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// pageHandler serves the embedded page. Files are read and compressed once.
func (a *app) pageHandler() http.Handler {
	assets := map[string]*asset{}
	_ = fs.WalkDir(a.page, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(a.page, name)
		if err != nil {
			return err
		}
		assets["/"+name] = newAsset(name, body)
		return nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/" {
			p = "/index.html"
		}
		as, ok := assets[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", as.ctype)
		h.Set("ETag", as.etag)
		h.Set("Cache-Control", "no-cache") // revalidate: the ETag changes with each build
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("Vary", "Accept-Encoding")
		if r.Header.Get("If-None-Match") == as.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := as.body
		if as.gz != nil && acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = as.gz
		}
		_, _ = w.Write(body)
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
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	if buf.Len() < len(body)*9/10 {
		as.gz = buf.Bytes()
	}
	return as
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(enc, "gzip") {
			return true
		}
	}
	return false
}
