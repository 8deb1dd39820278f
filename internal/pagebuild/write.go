package pagebuild

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// The suffixes of the compressed copies beside each file.
const (
	brSuffix = ".br"
	gzSuffix = ".gz"
)

// ErrNotBuilt is Load's error for a folder without a built page.
var ErrNotBuilt = errors.New("the page is not built: run `make` (it builds main.wasm and then the page)")

// Write writes the site into dir: index.html and a/<hash>/…, each file with
// its .br and .gz copies. What an earlier Write left there (index.html and
// a/) is replaced; nothing else in dir is touched.
func (s *Site) Write(dir string) error {
	for _, old := range []string{Entry, Entry + brSuffix, Entry + gzSuffix, AssetDir} {
		if err := os.RemoveAll(filepath.Join(dir, old)); err != nil {
			return err
		}
	}
	for _, f := range s.Files() {
		for suffix, body := range map[string][]byte{"": f.Body, brSuffix: f.Br, gzSuffix: f.Gz} {
			if body == nil {
				continue
			}
			name := filepath.Join(dir, filepath.FromSlash(f.Name+suffix))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(name, body, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// Load reads a site that Write wrote from fsys; ErrNotBuilt when there is
// none.
func Load(fsys fs.FS) (*Site, error) {
	html, err := fs.ReadFile(fsys, Entry)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotBuilt
	}
	if err != nil {
		return nil, err
	}
	builds, err := fs.ReadDir(fsys, AssetDir)
	if err != nil || len(builds) != 1 || !builds[0].IsDir() {
		return nil, fmt.Errorf("%s/ should hold one build's folder: %v", AssetDir, err)
	}
	site := &Site{Hash: builds[0].Name(), Assets: map[string]*File{}}
	entry, err := loadFile(fsys, Entry, html)
	if err != nil {
		return nil, err
	}
	site.Entry = entry
	root := path.Join(AssetDir, site.Hash)
	err = fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, brSuffix) || strings.HasSuffix(name, gzSuffix) {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(name, root+"/")
		f := site.newAsset(rel, body)
		site.Assets[rel], err = f, loadCopies(fsys, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return site, nil
}

// loadFile makes the entry point's File, tagged by the hash of its bytes.
func loadFile(fsys fs.FS, name string, body []byte) (*File, error) {
	f := newFile(name, body, tagOf(body))
	return f, loadCopies(fsys, f)
}

// loadCopies reads f's .br and .gz copies where they exist.
func loadCopies(fsys fs.FS, f *File) error {
	for _, c := range []struct {
		suffix string
		into   *[]byte
	}{{brSuffix, &f.Br}, {gzSuffix, &f.Gz}} {
		body, err := fs.ReadFile(fsys, f.Name+c.suffix)
		switch {
		case err == nil:
			*c.into = body
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	return nil
}
