package bench

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/e2e/chromium"
	"github.com/smtplay/smtplay/static"
)

// pageLoads is how many cold loads one measurement takes the median of.
const pageLoads = 5

// BenchmarkPage measures what a person waits for before the console
// answers: the page's weight as the browser downloads it (gzip-B, raw-B),
// and the time from navigation to a ready console (ms-ready: main.wasm
// fetched, compiled and running, the server list loaded) in headless
// Chromium, the median of 5 cold loads, each in a fresh browser context
// with an empty cache.
func BenchmarkPage(b *testing.B) {
	b.Run("headless-chromium", func(b *testing.B) {
		_, hs := apptest.Start(b)
		base := hs.URL + "/"
		gz, raw := pageWeight(b, base)
		browser, stop, err := chromium.Start()
		if err != nil {
			b.Fatal(err)
		}
		defer stop()
		var ready []float64
		b.ResetTimer()
		for range b.N {
			for range pageLoads {
				ready = append(ready, coldLoad(b, browser, base))
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(gz), "gzip-B")
		b.ReportMetric(float64(raw), "raw-B")
		b.ReportMetric(pageMedian(ready), "ms-ready")
	})
}

// pageWeight sums the bytes of every file the page loads, as sent with
// gzip and as they are.
func pageWeight(b *testing.B, base string) (gz, raw int) {
	b.Helper()
	names, _ := fs.Glob(static.Files, "*.*")
	for _, name := range names {
		if strings.HasSuffix(name, ".go") {
			continue
		}
		req, _ := http.NewRequest("GET", base+name, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		gz += len(body)
		data, _ := fs.ReadFile(static.Files, name)
		raw += len(data)
	}
	return gz, raw
}

// coldLoad opens the page in a fresh browser context and returns the
// milliseconds from navigation to the page's "smtplay-ready" mark.
func coldLoad(b *testing.B, browser context.Context, base string) float64 {
	b.Helper()
	tab, cancel := chromium.NewTab(browser)
	defer cancel()
	ctx, done := context.WithTimeout(tab, 30*time.Second)
	defer done()
	if err := chromedp.Do(ctx, chromedp.Navigate(base)); err != nil {
		b.Fatal(err)
	}
	ms, err := chromedp.Run(ctx, chromedp.Poll[float64](`performance.getEntriesByName("smtplay-ready")[0]?.startTime ?? 0`,
		chromedp.WithPollingInterval(5*time.Millisecond)))
	if err != nil {
		b.Fatal(err)
	}
	return ms
}

func pageMedian(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}
