package pagebuild_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/smtplay/smtplay/internal/pagebuild"
	"github.com/smtplay/smtplay/internal/pagebuild/compress"
)

// source is a small static/: the page's files, and what is not the page.
func source() fstest.MapFS {
	return fstest.MapFS{
		"index.html": {Data: []byte(`<link rel="icon" href="data:,"><link rel="stylesheet" href="style.css">` +
			`<script type="module" src="./app.js"></script></head><a href="./">full</a><a href="https://www.rfc-editor.org/rfc/rfc5321">RFC</a>` +
			`<use href="#i-lock"/><img src="missing.png">`)},
		"app.js":          {Data: []byte(strings.Repeat("import { t } from \"./lang.js\";\n", 40))},
		"style.css":       {Data: []byte("body{}")},
		"lang.js":         {Data: []byte(`import { x } from "./app.js";`)},
		"main.wasm":       {Data: []byte("\x00asm")},
		"i18n/en.json":    {Data: []byte(`{"a":"b"}`)},
		"static.go":       {Data: []byte("package static")},
		"i18n_test.go":    {Data: []byte("package static_test")},
		".hidden":         {Data: []byte("x")},
		"dist/index.html": {Data: []byte("an earlier build")},
		"dist/dist.go":    {Data: []byte("package dist")},
	}
}

// Build keeps the page's files only, puts them under a/<hash>/ and points
// the entry point's references there, leaving other URLs alone.
func TestBuild(t *testing.T) {
	site, err := pagebuild.Build(source())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range site.Files() {
		names = append(names, f.Name)
	}
	prefix := "a/" + site.Hash + "/"
	if want := "index.html " + prefix + "app.js " + prefix + "i18n/en.json " + prefix + "lang.js " + prefix + "main.wasm " + prefix + "style.css"; strings.Join(names, " ") != want {
		t.Errorf("files %q, want %q", names, want)
	}
	if len(site.Hash) != 16 || site.Prefix() != prefix {
		t.Errorf("hash %q, prefix %q", site.Hash, site.Prefix())
	}
	html := string(site.Entry.Body)
	for _, want := range []string{`href="` + prefix + `style.css"`, `src="` + prefix + `app.js"`, `href="data:,"`, `href="./"`,
		`href="https://www.rfc-editor.org/rfc/rfc5321"`, `href="#i-lock"`, `src="missing.png"`,
		`<link rel="modulepreload" href="` + prefix + `lang.js">`,
		`<link rel="preload" href="` + prefix + `i18n/en.json" as="fetch" type="application/json" crossorigin>`} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, `main.wasm" as="fetch"`) {
		t.Errorf("index.html preloads main.wasm, which a worker fetches (a worker does not take the page's preloads):\n%s", html)
	}
	// Before the first script, which may fetch them at once.
	if strings.LastIndex(html, "<link rel=") > strings.Index(html, "<script") {
		t.Errorf("a preload link comes after a script:\n%s", html)
	}
	if site.Entry.Type != "text/html; charset=utf-8" || site.Assets["app.js"].Type != "text/javascript; charset=utf-8" {
		t.Errorf("types %q %q", site.Entry.Type, site.Assets["app.js"].Type)
	}

	// The hash follows the assets, not the entry point.
	src := source()
	src["index.html"] = &fstest.MapFile{Data: append(src["index.html"].Data, " "...)}
	if again, _ := pagebuild.Build(src); again.Hash != site.Hash || bytes.Equal(again.Entry.Body, site.Entry.Body) {
		t.Errorf("a change to index.html alone: hash %s → %s", site.Hash, again.Hash)
	}
	src["style.css"] = &fstest.MapFile{Data: []byte("body{color:red}")}
	if again, _ := pagebuild.Build(src); again.Hash == site.Hash {
		t.Errorf("a changed style.css kept the hash %s", site.Hash)
	}
	delete(src, "index.html")
	if _, err := pagebuild.Build(src); err == nil {
		t.Error("a page without index.html built")
	}
}

// A page whose module imports nothing (a bundle) has nothing to
// preload for it; its files are Make's, with what package bundle added.
func TestMakeBundled(t *testing.T) {
	files, err := pagebuild.ReadPage(source())
	if err != nil {
		t.Fatal(err)
	}
	files["index.html"] = []byte(`<head><script type="module" src="app.bundle.js"></script></head>`)
	files["app.bundle.js"] = []byte(`fetch(new URL("i18n/en.json", import.meta.url));`)
	site, err := pagebuild.Make(files)
	if err != nil {
		t.Fatal(err)
	}
	html := string(site.Entry.Body)
	if strings.Contains(html, "modulepreload") || !strings.Contains(html, `href="`+site.Prefix()+`i18n/en.json"`) || site.Assets["app.bundle.js"] == nil {
		t.Errorf("index.html of a bundled page:\n%s", html)
	}
}

// Written and loaded again, a site is the same; a new build replaces the
// old one's files and nothing else; the copies of unchanged files are
// kept from the previous build.
func TestWriteLoad(t *testing.T) {
	dir := t.TempDir()
	if _, err := pagebuild.Load(os.DirFS(dir)); !errors.Is(err, pagebuild.ErrNotBuilt) {
		t.Fatalf("an empty folder: %v, want ErrNotBuilt", err)
	}
	os.WriteFile(filepath.Join(dir, "dist.go"), []byte("package dist"), 0o644)
	site, _ := pagebuild.Build(source())
	compress.Site(site, nil)
	app := site.Assets["app.js"]
	if app.Br == nil || app.Gz == nil || len(app.Br) >= len(app.Body) {
		t.Fatalf("app.js: %d B, brotli %d B, gzip %d B", len(app.Body), len(app.Br), len(app.Gz))
	}
	if css := site.Assets["style.css"]; css.Br != nil || css.Gz != nil {
		t.Errorf("style.css has copies that do not pay: %d and %d B for %d", len(css.Br), len(css.Gz), len(css.Body))
	}
	if err := site.Write(dir); err != nil {
		t.Fatal(err)
	}
	loaded, err := pagebuild.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Hash != site.Hash || len(loaded.Files()) != len(site.Files()) {
		t.Fatalf("loaded %s with %d files, wrote %s with %d", loaded.Hash, len(loaded.Files()), site.Hash, len(site.Files()))
	}
	for i, f := range site.Files() {
		g := loaded.Files()[i]
		if g.Name != f.Name || !bytes.Equal(g.Body, f.Body) || !bytes.Equal(g.Br, f.Br) || !bytes.Equal(g.Gz, f.Gz) || g.Tag != f.Tag || g.Type != f.Type {
			t.Errorf("%s: loaded %s %q %q differs", f.Name, g.Name, g.Tag, g.Type)
		}
	}

	src := source()
	src["style.css"] = &fstest.MapFile{Data: []byte("body{color:red}")}
	next, _ := pagebuild.Build(src)
	loaded.Assets["app.js"].Br = []byte("kept") // proves the copy is reused, not made again
	compress.Site(next, loaded)
	if string(next.Assets["app.js"].Br) != "kept" {
		t.Error("the brotli copy of an unchanged app.js was made again")
	}
	if err := next.Write(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "a"))
	if len(entries) != 1 || entries[0].Name() != next.Hash {
		t.Errorf("a/ holds %v, want only %s", entries, next.Hash)
	}
	if _, err := os.Stat(filepath.Join(dir, "dist.go")); err != nil {
		t.Errorf("Write removed a file it did not make: %v", err)
	}
}

func TestIsPageFile(t *testing.T) {
	for name, want := range map[string]bool{
		"app.js": true, "i18n/explain/pl.json": true, "lessons/en/mime.md": true, "main.wasm": true,
		"static.go": false, "i18n_test.go": false, "dist": false, "dist/index.html": false, ".git": false, "i18n/.swp": false,
	} {
		if got := pagebuild.IsPageFile(name); got != want {
			t.Errorf("IsPageFile(%q) = %v", name, got)
		}
	}
}
