// Package pagebuild makes the page ready to serve, once, at build time:
// every file of static/ (the sources and the built main.wasm) goes under a
// content-addressed folder, a/<hash>/, where it never changes and may be
// cached for a year; index.html, the one entry point, names its scripts
// and styles there; and each file that compresses gets a brotli copy
// (quality 11) and a gzip one (best), beside it as name.br and name.gz.
//
// Write puts a built page on disk in that layout, which any static host
// serves as it is; Load reads it back, from the folder smtplay embeds
// (static/dist). The ES modules import each other by relative paths, and
// fetch their data relative to import.meta.url, so they work under any
// a/<hash>/ without an import map.
package pagebuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Entry is the page's HTML entry point, served at / and /embed.
const Entry = "index.html"

// AssetDir is the folder of a build's assets: AssetDir + "/" + hash.
const AssetDir = "a"

// File is one file of a built page, and its compressed copies.
type File struct {
	// Name is its path in the site: "index.html", "a/<hash>/app.js".
	Name string
	Body []byte
	// Br and Gz are the brotli and gzip copies, nil when compressing does
	// not make the file at least a tenth smaller.
	Br, Gz []byte
	// Type is its Content-Type.
	Type string
	// Tag is a strong ETag for Body (the build's hash for an asset); the
	// copies' tags add -br and -gz.
	Tag string
}

// Site is a built page: its entry point and its assets.
type Site struct {
	// Hash names the build: it changes when any asset changes.
	Hash  string
	Entry *File
	// Assets are keyed by their path under Prefix: "app.js", "i18n/en.json".
	Assets map[string]*File
}

// Prefix is the folder of the site's assets, "a/<hash>/", relative to the
// entry point.
func (s *Site) Prefix() string { return AssetDir + "/" + s.Hash + "/" }

// Files lists every file of the site, the entry point first, then the
// assets by name.
func (s *Site) Files() []*File {
	out := []*File{s.Entry}
	for _, name := range slices.Sorted(maps.Keys(s.Assets)) {
		out = append(out, s.Assets[name])
	}
	return out
}

// IsPageFile reports whether name, a path in static/, is part of the page:
// everything but Go files (the package's code and tests), hidden files and
// static/dist, where the built page goes.
func IsPageFile(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return path.Ext(name) != ".go" && name != "dist" && !strings.HasPrefix(name, "dist/")
}

// Build builds the page from src, static/'s files (IsPageFile picks them),
// leaving out the files named in skip. It is quick: package compress makes
// the compressed copies.
func Build(src fs.FS, skip ...string) (*Site, error) {
	files, err := ReadPage(src, skip...)
	if err != nil {
		return nil, err
	}
	return Make(files)
}

// ReadPage reads the page's files from src, static/ (IsPageFile picks
// them), but those named in skip, keyed by their paths there.
func ReadPage(src fs.FS, skip ...string) (map[string][]byte, error) {
	bodies := map[string][]byte{}
	err := fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case name == ".":
			return nil
		case !IsPageFile(name) || slices.Contains(skip, name):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			return nil
		}
		body, err := fs.ReadFile(src, name)
		bodies[name] = body
		return err
	})
	return bodies, err
}

// Make builds the page of files, ReadPage's (package bundle may have added
// to them).
func Make(files map[string][]byte) (*Site, error) {
	bodies := maps.Clone(files)
	html, ok := bodies[Entry]
	if !ok {
		return nil, fmt.Errorf("the page has no %s", Entry)
	}
	delete(bodies, Entry)
	site := &Site{Hash: hashOf(bodies), Assets: map[string]*File{}}
	for name, body := range bodies {
		site.Assets[name] = site.newAsset(name, body)
	}
	html = addPreloads(rewrite(html, site), site)
	site.Entry = newFile(Entry, html, tagOf(html))
	return site, nil
}

// hashOf hashes the names and contents of the assets: 16 hex digits.
func hashOf(bodies map[string][]byte) string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(bodies)) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(bodies[name]))
		h.Write(bodies[name])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// tagOf is the ETag (without quotes) of body: 16 hex digits of its hash.
func tagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:8])
}

// moduleImport is a static import of one of the page's modules.
var moduleImport = regexp.MustCompile(`(?m)^import .* from "\./([a-z]+\.js)";$`)

// moduleScript is the module index.html starts, under the site's prefix.
var moduleScript = regexp.MustCompile(`<script type="module" src="` + AssetDir + `/[0-9a-f]+/([^"]+)">`)

// fetched are the files the page fetches as it starts: the page's words
// (lang.js: the list, and English, the words missing from any other
// language). main.wasm is not among them: a worker fetches and compiles it
// (start.js, wasmcompile.js), and a worker does not take the page's
// preloads.
var fetched = []string{"i18n/languages.json", "i18n/en.json"}

// addPreloads tells the browser, before the first script, of everything
// the page starts with: each module the page's module imports, directly or
// not (without them each level of imports waits for the one above; a
// bundle imports none), and the files it fetches as it starts, which the
// scripts would ask for only once they run. Those links are crossorigin as
// fetch() is, so the fetch takes the preloaded response; they come before
// the scripts, or a fetch would not find its link and the file would come
// twice.
func addPreloads(html []byte, site *Site) []byte {
	var links strings.Builder
	if m := moduleScript.FindSubmatch(html); m != nil {
		start := string(m[1])
		seen := map[string]bool{start: true}
		for queue := []string{start}; len(queue) > 0; queue = queue[1:] {
			f := site.Assets[queue[0]]
			if f == nil {
				continue
			}
			for _, m := range moduleImport.FindAllSubmatch(f.Body, -1) {
				if name := string(m[1]); !seen[name] && site.Assets[name] != nil {
					seen[name] = true
					queue = append(queue, name)
					fmt.Fprintf(&links, "<link rel=\"modulepreload\" href=\"%s%s\">\n", site.Prefix(), name)
				}
			}
		}
	}
	for _, name := range fetched {
		if f := site.Assets[name]; f != nil {
			fmt.Fprintf(&links, "<link rel=\"preload\" href=\"%s%s\" as=\"fetch\" type=\"%s\" crossorigin>\n", site.Prefix(), name, strings.Split(f.Type, ";")[0])
		}
	}
	at := bytes.Index(html, []byte("<script"))
	if head := bytes.Index(html, []byte("</head>")); at < 0 || head >= 0 && head < at {
		at = head
	}
	if at < 0 || links.Len() == 0 {
		return html
	}
	return slices.Concat(html[:at], []byte(links.String()), html[at:])
}

// assetRef is a src or href attribute with a relative path.
var assetRef = regexp.MustCompile(`\b(src|href)="([^":?#]+)"`)

// rewrite points the entry point's src and href attributes that name an
// asset at the asset's place under the site's prefix. The paths stay
// relative, so the page works under any path prefix a proxy gives it.
func rewrite(html []byte, site *Site) []byte {
	return assetRef.ReplaceAllFunc(html, func(m []byte) []byte {
		sub := assetRef.FindSubmatch(m)
		name := strings.TrimPrefix(string(sub[2]), "./")
		if _, ok := site.Assets[name]; !ok {
			return m
		}
		return fmt.Appendf(nil, `%s="%s%s"`, sub[1], site.Prefix(), name)
	})
}

func newFile(name string, body []byte, tag string) *File {
	return &File{Name: name, Body: body, Type: contentType(name), Tag: `"` + tag + `"`}
}

// newAsset makes the asset name of the site. Its path holds the build's
// hash and never names other bytes, so the hash is its tag too.
func (s *Site) newAsset(name string, body []byte) *File {
	return newFile(s.Prefix()+name, body, s.Hash)
}

// contentType is the type a browser needs for name: application/wasm
// for WebAssembly.instantiateStreaming, text types with their charset.
func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".wasm":
		return "application/wasm"
	case ".md":
		return "text/markdown; charset=utf-8"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
	}
	return "application/octet-stream"
}

// Asset is the asset name of s, nil if s is nil or has none.
func (s *Site) Asset(name string) *File {
	if s == nil {
		return nil
	}
	return s.Assets[name]
}
