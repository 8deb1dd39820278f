// Command pagebuild builds the page once, for smtplay to embed or for a
// static host: `pagebuild -src static -out static/dist` writes index.html
// and a/<hash>/… with brotli and gzip copies (packages pagebuild and compress;
// the scripts bundled first, package bundle; the .wasm modules' data
// segments joined, package wasmdata), and prints what it wrote. make runs
// it after building main.wasm.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/smtplay/smtplay/internal/pagebuild"
	"github.com/smtplay/smtplay/internal/pagebuild/bundle"
	"github.com/smtplay/smtplay/internal/pagebuild/compress"
	"github.com/smtplay/smtplay/internal/pagebuild/wasmdata"
)

// required are the files make builds before this step; without them the
// page would be written without its Go half.
var required = []string{"main.wasm", "wasm_exec.js"}

func main() {
	src := flag.String("src", "static", "the page's files: static/ with main.wasm and wasm_exec.js built")
	out := flag.String("out", "static/dist", "where to write the built page")
	skip := flag.String("skip", "", "comma-separated files of src to leave out (e.g. sandbox.wasm, which smtplay itself does not serve)")
	flag.Parse()
	var without []string
	if *skip != "" {
		without = strings.Split(*skip, ",")
	}
	if err := run(*src, *out, without); err != nil {
		fmt.Fprintln(os.Stderr, "pagebuild:", err)
		os.Exit(1)
	}
}

func run(src, out string, skip []string) error {
	start := time.Now()
	fsys := os.DirFS(src)
	for _, name := range required {
		if _, err := fs.Stat(fsys, name); err != nil {
			return fmt.Errorf("%s/%s is missing: build it first (make %s/%s)", src, name, src, name)
		}
	}
	files, err := pagebuild.ReadPage(fsys, skip...)
	if err != nil {
		return err
	}
	// A handful of scripts for the browser to fetch, not one per module.
	if err := bundle.Page(files); err != nil {
		return err
	}
	site, err := pagebuild.Make(files)
	if err != nil {
		return err
	}
	// The modules' data segments joined: larger files, smaller copies.
	for name, f := range site.Assets {
		if strings.HasSuffix(name, ".wasm") {
			if f.Body, err = wasmdata.Pack(f.Body); err != nil {
				return fmt.Errorf("%s/%s: %w", src, name, err)
			}
		}
	}
	// The copies of files that did not change since the last build are
	// kept: brotli at its best takes long over main.wasm.
	prev, _ := pagebuild.Load(os.DirFS(out))
	compress.Site(site, prev)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := site.Write(out); err != nil {
		return err
	}
	var raw, br, gz int
	for _, f := range site.Files() {
		raw += len(f.Body)
		br += len(orBody(f.Br, f.Body))
		gz += len(orBody(f.Gz, f.Body))
	}
	fmt.Printf("pagebuild: %s/%s: %d files, %d B raw, %d B brotli, %d B gzip, in %s\n",
		out, site.Prefix(), len(site.Files()), raw, br, gz, time.Since(start).Round(time.Millisecond))
	return nil
}

// orBody is a compressed copy, or the body itself when there is none.
func orBody(compressed, body []byte) []byte {
	if compressed != nil {
		return compressed
	}
	return body
}
