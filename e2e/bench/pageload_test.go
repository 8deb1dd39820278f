//go:build unix

package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

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
			front, browser := startPageBench(b)
			var cold, repeat, fetched []float64
			for range b.N {
				for range pageRuns {
					loads := visits(b, browser, front, v.accept, false, 2)
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
// ms-connect until the Connect button is enabled and drawn (smtplay sends
// the page with its servers listed and Connect enabled; a press before
// the page's modules run is kept by static/early.js and acted on once the
// servers and the page's words are loaded), ms-go-ready until
// the Go half runs (main.wasm downloaded and compiled by a worker, then
// started by the page: its smtplay-ready event), and ms-greeting until the
// sandbox's 220 greeting is in the transcript, the button pressed the
// moment it is drawn enabled (the page then opens the session itself and draws
// the greeting before Go runs: static/earlytunnel.js). cold is a first visit in a
// fresh browser context, warm a second one in a new tab of it, with the
// page's files in the cache. The baseline, one-form-cold (and
// one-form-warm beside warm), is the floor of this machine and browser: a
// page of the connect bar alone (oneForm), measured the same way. Each
// figure is the median of 7.
func BenchmarkStartup(b *testing.B) {
	for _, v := range []struct {
		name        string
		warm, plain bool
	}{{"one-form-cold", false, true}, {"cold", false, false}, {"warm", true, false}, {"one-form-warm", true, true}} {
		b.Run(v.name, func(b *testing.B) {
			var front *pageFront
			var browser context.Context
			if v.plain {
				front, browser = startOneForm(b), startChromium(b)
			} else {
				front, browser = startPageBench(b)
			}
			var goReady, connect, greeting []float64
			for range b.N {
				for range pageRuns {
					loads := visits(b, browser, front, acceptBrotli, !v.plain, map[bool]int{false: 1, true: 2}[v.warm])
					l := loads[len(loads)-1]
					goReady, connect, greeting = append(goReady, l.goReadyMS), append(connect, l.connectMS), append(greeting, l.greetingMS)
				}
			}
			b.ReportMetric(median(connect), "ms-connect")
			if !v.plain {
				b.ReportMetric(median(goReady), "ms-go-ready")
				b.ReportMetric(median(greeting), "ms-greeting")
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// oneForm is the floor BenchmarkStartup compares the page with: the
// connect bar alone, no style, no script, Connect enabled, and ready as
// it comes (data-ready, which smtplay's page sets once it has started).
const oneForm = `<!doctype html><html lang="en"><meta charset="utf-8"><title>smtplay</title><body data-ready="true">` +
	`<form><select id="target"><option>sandbox</option></select> <button id="connect">Connect</button></form></body></html>`

// startOneForm serves oneForm behind a pageFront, on loopback.
func startOneForm(b *testing.B) *pageFront {
	b.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(oneForm))
	}))
	b.Cleanup(hs.Close)
	return startPageFront(b, hs.URL)
}

// startPageBench serves smtplay as `make run` does (the per-client limits
// lifted, as every benchmark here does) behind a pageFront that counts what
// it sends, and starts Chromium.
func startPageBench(b *testing.B) (front *pageFront, browser context.Context) {
	b.Helper()
	_, hs := apptest.Start(b, benchArgs...)
	return startPageFront(b, hs.URL), startChromium(b)
}

// startChromium starts headless Chromium for the benchmark.
func startChromium(b *testing.B) context.Context {
	b.Helper()
	browser, stop, err := chromium.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return browser
}

// pageLoad is what one visit measured.
type pageLoad struct {
	connectMS, goReadyMS, greetingMS float64
	bytes                            int64  // sent by the server, headers included
	assetRequests                    int    // requests for a/<hash>/… that reached the server, not the cache
	wasmEncoding                     string // main.wasm's Content-Encoding, when it came from the server
}

// visits loads front's page n times: first in a fresh browser context, then again
// in new tabs of that context, as a person's next visits, the tab before
// left for about:blank (its page and session closed). It returns what each
// visit measured.
func visits(b *testing.B, browser context.Context, front *pageFront, accept string, connect bool, n int) []pageLoad {
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
		loads = append(loads, visit(b, tab, front, accept, connect))
	}
	return loads
}

// probe runs in the page before its own scripts (DevTools' scripts are
// not bound by the page's CSP). It notes when Connect is first enabled
// and drawn (a frame has been made since it was enabled: what a person
// can see and press), presses it then if click is true, and notes when a
// 220 line is shown. It looks only at what each change added, so that
// measuring costs the page next to nothing (searching the whole
// transcript on every change of the page took it ~40 ms of main thread
// while it started).
const probe = `(() => {
  const click = %t, seen = (window.__bench = {});
  addEventListener("smtplay-ready", () => { seen.goReady = performance.now(); }, { once: true });
  const greeting = (n) => n.nodeType === 1 && n.matches("#transcript li.line.server") && n.textContent.includes("220 ");
  let enabled = false;
  new MutationObserver((changes) => {
    const button = document.getElementById("connect");
    if (!enabled && button && !button.disabled) {
      enabled = true;
      requestAnimationFrame(() => setTimeout(() => {
        seen.connect = performance.now();
        if (click) button.click();
      }, 0));
    }
    if (seen.connect && !seen.greeting && changes.some((c) => [...c.addedNodes].some(greeting))) {
      seen.greeting = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
})();`

// visit loads the page in tab, counting what the server sends, until the
// page is ready (and, with connect, the greeting is shown).
func visit(b *testing.B, tab context.Context, front *pageFront, accept string, connect bool) pageLoad {
	b.Helper()
	// The first call makes the tab: it takes no timeout, which would close
	// it.
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fmt.Sprintf(probe, connect)}); err != nil {
		b.Fatal(err)
	}
	front.begin(accept)
	ctx, done := context.WithTimeout(tab, 60*time.Second)
	defer done()
	ready := `document.body?.dataset.ready === "true" && window.__bench.connect > 0`
	if connect {
		ready += ` && window.__bench.greeting > 0`
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(front.URL+front.Page)); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready, chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
		b.Fatal(err)
	}
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ Connect, GoReady, Greeting float64 }](`window.__bench`))
	if err != nil {
		b.Fatal(err)
	}
	var load pageLoad
	load.connectMS, load.goReadyMS, load.greetingMS = seen.Connect, seen.GoReady, seen.Greeting
	load.bytes, load.assetRequests, load.wasmEncoding = front.counted()
	return load
}

func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}
