//go:build unix

package bench

import (
	"context"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/chromium"
)

// BenchmarkSandboxWasm measures the in-page sandbox's WebAssembly
// (wasm/sandboxworker) as the static build (`make static`) serves it:
// raw-B, and the br-B and gz-B copies beside it that a browser taking
// brotli or gzip receives. The page fetches it only for the in-page
// sandbox, never online.
func BenchmarkSandboxWasm(b *testing.B) {
	b.Run("static-build", func(b *testing.B) {
		dir := staticSite(b)
		sizes := map[string]int64{}
		for range b.N {
			for suffix, unit := range map[string]string{"": "raw-B", ".br": "br-B", ".gz": "gz-B"} {
				fi, err := os.Stat(filepath.Join(dir, "sandbox.wasm"+suffix))
				if err != nil {
					b.Fatalf("the static build has no sandbox.wasm%s: %v", suffix, err)
				}
				sizes[unit] = fi.Size()
			}
		}
		for unit, n := range sizes {
			b.ReportMetric(float64(n), unit)
		}
		b.ReportMetric(0, "ns/op")
	})
}

// BenchmarkInPageSandbox measures, in headless Chromium, what a person
// waits for on the static build with #offline, served with its brotli
// copies as a static host serves them: ms-connect from navigation start
// until Connect is enabled, and ms-greeting until the in-page sandbox's
// 220 greeting is in the transcript, Connect pressed the moment it is
// enabled (the worker starts, fetching and compiling sandbox.wasm, once
// the page decided on the in-page sandbox). cold is a first visit in a
// fresh browser context (the baseline), warm a second one in a new tab of
// it, with the files in the cache. Each figure is the median of 7, as
// BenchmarkStartup's.
func BenchmarkInPageSandbox(b *testing.B) {
	for _, warm := range []bool{false, true} {
		b.Run(map[bool]string{false: "cold", true: "warm"}[warm], func(b *testing.B) {
			dir := staticSite(b)
			site := httptest.NewServer(staticHost(filepath.Dir(filepath.Dir(dir))))
			b.Cleanup(site.Close)
			front := startPageFront(b, site.URL)
			front.Page = "/#offline"
			browser, stop, err := chromium.Start()
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(stop)
			var connect, greeting []float64
			for range b.N {
				for range pageRuns {
					loads := visits(b, browser, front, acceptBrotli, true, map[bool]int{false: 1, true: 2}[warm])
					l := loads[len(loads)-1]
					connect, greeting = append(connect, l.connectMS), append(greeting, l.greetingMS)
				}
			}
			b.ReportMetric(median(connect), "ms-connect")
			b.ReportMetric(median(greeting), "ms-greeting")
			b.ReportMetric(0, "ns/op")
		})
	}
}

var (
	staticOnce sync.Once
	staticDir  string
	staticErr  string
)

// staticSite makes the static build once per run (`make static`, in
// build/static/) and returns its asset folder, a/<hash>/.
func staticSite(b *testing.B) string {
	b.Helper()
	staticOnce.Do(func() {
		root, err := filepath.Abs("../..")
		if err != nil {
			staticErr = err.Error()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "make", "-C", root, "static").CombinedOutput(); err != nil {
			staticErr = "make static: " + err.Error() + "\n" + string(out)
			return
		}
		builds, err := filepath.Glob(filepath.Join(root, "build", "static", "a", "*"))
		if err != nil || len(builds) != 1 {
			staticErr = "build/static/a/ should hold one build's folder"
			return
		}
		staticDir = builds[0]
	})
	if staticErr != "" {
		b.Fatal(staticErr)
	}
	return staticDir
}

// staticHost serves dir as a static host set up by the README serves the
// static build (nginx's gzip_static and brotli_static): a file's .br or
// .gz copy when the browser takes it, index.html revalidated, a/<hash>/
// immutable. No smtplay: api/ answers 404.
func staticHost(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean(r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		h := w.Header()
		h.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		h.Set("Cache-Control", "no-cache")
		if strings.HasPrefix(name, "/a/") {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		h.Add("Vary", "Accept-Encoding")
		file := filepath.Join(dir, filepath.FromSlash(name))
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, suffix string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if strings.Contains(accept, enc.token) {
				if _, err := os.Stat(file + enc.suffix); err == nil {
					h.Set("Content-Encoding", enc.token)
					file += enc.suffix
					break
				}
			}
		}
		http.ServeFile(w, r, file)
	})
}
