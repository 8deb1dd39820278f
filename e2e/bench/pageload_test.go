//go:build unix

package bench

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/e2e/chromium"
)

// pageRuns is how many loads one measurement takes the median of.
const pageRuns = 7

// The Accept-Encoding a browser sends, with brotli and without.
const (
	acceptBrotli = "gzip, deflate, br"
	acceptGzip   = "gzip, deflate"
)

// BenchmarkPageWeight measures the bytes the browser receives for the
// page, headers included (DevTools' encodedDataLength, summed over every
// response until the page is ready): cold-B on a first visit in a fresh
// browser context, repeat-B on a second visit in a new tab of that
// context, and repeat-asset-requests, the files under a/<hash>/ the repeat
// visit still asked the server for (their cache says immutable: 0).
// brotli is the baseline; gzip is a browser that does not take brotli.
// Each figure is the median of 7 loads in headless Chromium.
func BenchmarkPageWeight(b *testing.B) {
	for _, v := range []struct{ name, accept string }{{"brotli", acceptBrotli}, {"gzip", acceptGzip}} {
		b.Run(v.name, func(b *testing.B) {
			url, browser := startPageBench(b)
			var cold, repeat, fetched []float64
			for range b.N {
				for range pageRuns {
					loads := visits(b, browser, url, v.accept, false, 2)
					first, second := loads[0], loads[1]
					if first.wasmEncoding != map[string]string{acceptBrotli: "br", acceptGzip: "gzip"}[v.accept] {
						b.Fatalf("main.wasm came as %q for Accept-Encoding %q", first.wasmEncoding, v.accept)
					}
					cold = append(cold, float64(first.bytes))
					repeat = append(repeat, float64(second.bytes))
					fetched = append(fetched, float64(second.assetRequests))
				}
			}
			b.ReportMetric(median(cold), "cold-B")
			b.ReportMetric(median(repeat), "repeat-B")
			b.ReportMetric(median(fetched), "repeat-asset-requests")
			b.ReportMetric(0, "ns/op") // the time is BenchmarkStartup's
		})
	}
}

// BenchmarkStartup measures what a person waits for, in headless
// Chromium, from navigation start (performance.now()'s origin):
// ms-wasm-loaded until main.wasm has arrived (from the server or the
// cache), ms-connect until the Connect button is enabled (main.wasm
// compiled and running, the servers and the page's words loaded: the gap
// to ms-wasm-loaded is mostly compiling and starting Go), and
// ms-greeting until the sandbox's 220 greeting is in the transcript, the
// button pressed the moment it is enabled. cold is a first visit in a
// fresh browser context (the baseline), warm a second one in a new tab of
// it, with the page's files in the cache. Each figure is the median of 7.
func BenchmarkStartup(b *testing.B) {
	for _, warm := range []bool{false, true} {
		b.Run(map[bool]string{false: "cold", true: "warm"}[warm], func(b *testing.B) {
			url, browser := startPageBench(b)
			var wasm, connect, greeting []float64
			for range b.N {
				for range pageRuns {
					loads := visits(b, browser, url, acceptBrotli, true, map[bool]int{false: 1, true: 2}[warm])
					l := loads[len(loads)-1]
					wasm, connect, greeting = append(wasm, l.wasmMS), append(connect, l.connectMS), append(greeting, l.greetingMS)
				}
			}
			b.ReportMetric(median(wasm), "ms-wasm-loaded")
			b.ReportMetric(median(connect), "ms-connect")
			b.ReportMetric(median(greeting), "ms-greeting")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// startPageBench serves smtplay as `make run` does (the per-client limits
// lifted, as every benchmark here does) and starts Chromium.
func startPageBench(b *testing.B) (url string, browser context.Context) {
	b.Helper()
	_, hs := apptest.Start(b, benchArgs...)
	browser, stop, err := chromium.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return hs.URL + "/", browser
}

// pageLoad is what one visit measured.
type pageLoad struct {
	wasmMS, connectMS, greetingMS float64
	bytes                         int64  // received, headers included
	assetRequests                 int    // responses for a/<hash>/… from the server, not the cache
	wasmEncoding                  string // main.wasm's Content-Encoding, when it came from the server
}

// visits loads url n times: first in a fresh browser context, then again
// in new tabs of that context, as a person's next visits, the tab before
// left for about:blank (its page and session closed). It returns what each
// visit measured.
func visits(b *testing.B, browser context.Context, url, accept string, connect bool, n int) []pageLoad {
	b.Helper()
	tab, cancel := chromium.NewTab(browser)
	defer cancel()
	var loads []pageLoad
	for i := range n {
		if i > 0 {
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
				b.Fatal(err)
			}
			next, cancelNext := chromedp.NewContext(tab) // a new tab in tab's browser context
			defer cancelNext()
			tab = next
		}
		loads = append(loads, visit(b, tab, url, accept, connect))
	}
	return loads
}

// probe runs in the page before its own scripts (DevTools' scripts are
// not bound by the page's CSP). It notes when Connect is first enabled,
// presses it if click is true, and notes when a 220 line is shown.
const probe = `(() => {
  const click = %t, seen = (window.__bench = {});
  const check = () => {
    const button = document.getElementById("connect");
    if (!seen.connect && button && !button.disabled) {
      seen.connect = performance.now();
      seen.wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/main.wasm"))?.responseEnd ?? 0;
      if (click) button.click();
    }
    if (seen.connect && !seen.greeting && [...document.querySelectorAll("#transcript li.line.server")].some((l) => l.textContent.includes("220 "))) {
      seen.greeting = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`

// visit loads url in tab, counting what comes over the network, until the
// page is ready (and, with connect, the greeting is shown).
func visit(b *testing.B, tab context.Context, url, accept string, connect bool) pageLoad {
	b.Helper()
	// The first calls make the tab: they take no timeout, which would
	// close it.
	if _, err := chromedp.Call(tab, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Encoding": accept}}); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fmt.Sprintf(probe, connect)}); err != nil {
		b.Fatal(err)
	}
	var (
		mu     sync.Mutex
		load   pageLoad
		cached = map[network.RequestID]bool{}
	)
	err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestServedFromCache:
			cached[ev.RequestID] = true
		case *network.EventResponseReceived:
			r := ev.Response
			if cached[ev.RequestID] || r.FromDiskCache || r.FromPrefetchCache || r.FromServiceWorker {
				return
			}
			if strings.Contains(r.URL, "/a/") {
				load.assetRequests++
			}
			if strings.HasSuffix(r.URL, "/main.wasm") {
				load.wasmEncoding = fmt.Sprint(r.Headers["Content-Encoding"])
			}
		case *network.EventLoadingFinished:
			load.bytes += int64(ev.EncodedDataLength)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, done := context.WithTimeout(tab, 60*time.Second)
	defer done()
	ready := `document.body?.dataset.ready === "true" && window.__bench.connect > 0`
	if connect {
		ready += ` && window.__bench.greeting > 0`
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready, chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
		b.Fatal(err)
	}
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ Wasm, Connect, Greeting float64 }](`window.__bench`))
	if err != nil {
		b.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	load.wasmMS, load.connectMS, load.greetingMS = seen.Wasm, seen.Connect, seen.Greeting
	return load
}

func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}
