// Package compress makes a built page's brotli (quality 11) and gzip
// (zopfli's where the program is installed, else compress/gzip's best)
// copies, at build time: smtplay only serves them, and does not link a
// compressor.
package compress

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/smtplay/smtplay/internal/pagebuild"
)

// Site makes each file of s's brotli and gzip copies, on every core:
// main.wasm alone takes many seconds at brotli's best. A file whose bytes
// are the same as in prev, an earlier build (or nil), keeps prev's copies.
func Site(s, prev *pagebuild.Site) {
	jobs := make(chan func())
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for job := range jobs {
				job()
			}
		})
	}
	for name, f := range s.Assets {
		if old := prev.Asset(name); old != nil && bytes.Equal(old.Body, f.Body) {
			f.Br, f.Gz = old.Br, old.Gz
			continue
		}
		jobs <- func() { f.Br = pays(f.Body, brotliBest(f.Body)) }
		jobs <- func() { f.Gz = pays(f.Body, gzipBest(f.Body)) }
	}
	e := s.Entry
	jobs <- func() { e.Br, e.Gz = pays(e.Body, brotliBest(e.Body)), pays(e.Body, gzipBest(e.Body)) }
	close(jobs)
	wg.Wait()
}

// pays keeps a compressed copy only when it is at least a tenth smaller.
func pays(body, compressed []byte) []byte {
	if len(compressed) < len(body)*9/10 {
		return compressed
	}
	return nil
}

func brotliBest(body []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression) // a 16 MiB window gains nothing on main.wasm
	_, _ = w.Write(body)                                     // a bytes.Buffer does not fail
	_ = w.Close()
	return buf.Bytes()
}

// gzipBest is zopfli's gzip where the program is installed, else
// compress/gzip's best.
func gzipBest(body []byte) []byte {
	if gz, ok := zopfliGzip(body); ok {
		return gz
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level
	_, _ = w.Write(body)
	_ = w.Close()
	return buf.Bytes()
}
