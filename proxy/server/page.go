package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smtplay/smtplay/internal/pagebuild"
)

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

// The caching of the page: the entry points are checked again on every
// visit (their ETag changes with each build), and an asset, whose path
// holds the build's hash, is never asked for again.
const (
	entryCaching = "no-cache"
	assetCaching = "public, max-age=31536000, immutable"
)

// notBuilt is the answer of a binary built without its page.
const notBuilt = "this smtplay was built without its page: build it with `make`.\n"

// pageHandler serves the built page (internal/pagebuild): index.html at /
// and, for an iframe (the page compacts itself), at /embed, rendered with
// this server's list of servers (entry.go), and every other
// file under /a/<build hash>/, each in the copy the request's
// Accept-Encoding prefers. A path under another build's hash is 404: the
// page that asks for it is from an older build, and a reload fetches the
// new one (a redirect could mix two builds' modules in one page).
func (s *Server) pageHandler() http.Handler {
	csp := pageCSP(s.lessonOrigins.CSP(), nil)
	embedCSP := pageCSP(s.lessonOrigins.CSP(), s.embedders.CSP())
	site := s.page
	var entry *pagebuild.File
	if site != nil {
		var names []string
		for _, t := range s.targets.List() {
			names = append(names, t.Name)
		}
		entry = renderEntry(site.Entry, names)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		policy, caching := csp, entryCaching
		var f *pagebuild.File
		switch p := r.URL.Path; {
		case p == "/" || p == "/index.html" || p == "/embed":
			if p == "/embed" {
				policy = embedCSP
			}
			if site == nil {
				h.Set("Content-Type", "text/plain; charset=utf-8")
				h.Set("Cache-Control", "no-store")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(notBuilt))
				return
			}
			f = entry
		case site != nil && strings.HasPrefix(p, "/"+site.Prefix()):
			f, caching = site.Assets[strings.TrimPrefix(p, "/"+site.Prefix())], assetCaching
		}
		if f == nil {
			h.Set("Cache-Control", "no-cache") // a later build may have it
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", f.Type)
		h.Set("Cache-Control", caching)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", policy)
		h.Set("Vary", "Accept-Encoding")
		body, tag := f.Body, f.Tag
		switch negotiate(r.Header.Values("Accept-Encoding"), f.Br != nil, f.Gz != nil) {
		case "br":
			h.Set("Content-Encoding", "br")
			body, tag = f.Br, strings.TrimSuffix(tag, `"`)+`-br"`
		case "gzip":
			h.Set("Content-Encoding", "gzip")
			body, tag = f.Gz, strings.TrimSuffix(tag, `"`)+`-gz"`
		}
		// ServeContent answers If-None-Match (lists and weak tags too),
		// ranges (of the copy sent) and HEAD.
		h.Set("ETag", tag)
		http.ServeContent(sizedWriter{w, len(body)}, r, "", time.Time{}, bytes.NewReader(body))
	})
}

// sizedWriter gives a whole 200 its Content-Length, which ServeContent
// leaves out when a Content-Encoding is set (for handlers that compress
// as they write; this one's copies are made already): the browser then
// knows the size, and no chunked framing is sent.
type sizedWriter struct {
	http.ResponseWriter
	size int
}

func (w sizedWriter) WriteHeader(code int) {
	if h := w.Header(); code == http.StatusOK && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(w.size))
	}
	w.ResponseWriter.WriteHeader(code)
}

// pageHasWasm reports whether site carries the page's Go half.
func pageHasWasm(site *pagebuild.Site) bool { return site != nil && site.Assets["main.wasm"] != nil }
