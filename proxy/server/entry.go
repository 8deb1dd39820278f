package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"strings"

	"github.com/smtplay/smtplay/internal/pagebuild"
)

// The connect bar as the build leaves it, for a static host (the page
// loads the list of servers and then enables Connect), and what this
// server renders in its place: its own servers, and Connect enabled, so
// that a person can press it before the page's scripts have run
// (static/early.js keeps the press; static/connect.js acts on it).
const (
	builtTargets  = `<select id="target" disabled><option data-i18n="connect.loading">Loading servers…</option></select>`
	builtConnect  = `<button id="connect" type="submit" class="primary" disabled `
	servedConnect = `<button id="connect" type="submit" class="primary" `
)

// renderEntry is the page's entry point with this server's targets in
// the server list and Connect enabled, and its gzip copy made once (this
// binary links no brotli compressor: gzip goes to every browser, about
// 0.8 KB more than brotli would be). An entry without the built
// connect bar (a test's page) is served as it is.
func renderEntry(e *pagebuild.File, names []string) *pagebuild.File {
	if len(names) == 0 || !bytes.Contains(e.Body, []byte(builtTargets)) || !bytes.Contains(e.Body, []byte(builtConnect)) {
		return e
	}
	var options strings.Builder
	options.WriteString(`<select id="target">`)
	for _, name := range names {
		n := html.EscapeString(name)
		options.WriteString(`<option value="` + n + `">` + n + `</option>`)
	}
	options.WriteString(`</select>`)
	body := bytes.Replace(e.Body, []byte(builtTargets), []byte(options.String()), 1)
	body = bytes.Replace(body, []byte(builtConnect), []byte(servedConnect), 1)
	sum := sha256.Sum256(body)
	return &pagebuild.File{Name: e.Name, Body: body, Gz: gzipped(body), Type: e.Type, Tag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level: no error
	_, _ = w.Write(body)                                    // a bytes.Buffer does not fail
	_ = w.Close()
	return buf.Bytes()
}
