package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/nginx"
)

// On a static host the page's Go half starts while the in-page sandbox's
// worker is still starting (its sandbox.wasm held here), not after it: the
// worker takes a second or more on a slow machine, and Connect waits for
// it anyway; the language menu does not. Once the worker runs, Connect
// opens a session on it.
func TestBrowserOfflineGoStartsBesideTheWorker(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	base := nginx.StartStatic(t, staticBuild(t), "https://course.example.org")
	b := &browser{t: t, ctx: newTab(t), base: base}
	b.watch()
	t.Cleanup(b.check)
	let, held := holdRequests(b, "sandbox.wasm")
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))

	b.wait(`typeof window.smtplay === "object"`, "the Go half to run while sandbox.wasm is held")
	if n := held(); n != 1 {
		t.Fatalf("sandbox.wasm was asked for %d times while held, want once: the test proves nothing", n)
	}
	if b.text(`String(document.getElementById("connect").disabled)`) != "true" {
		t.Error("Connect is enabled before the in-page sandbox runs")
	}
	// The page's words come from the static host, not the worker: the
	// language menu names the language without waiting for it.
	b.wait(`(() => { const s = document.getElementById("lang"); return s.disabled && [...s.options].map((o) => o.value).join() === "en"; })()`,
		"the language menu, disabled, to name English while sandbox.wasm is held")
	if n := held(); n != 1 {
		t.Fatalf("sandbox.wasm was asked for %d times while held, want once", n)
	}
	let()
	b.wait(`document.body.dataset.ready === "true" && !document.getElementById("connect").disabled`, "Connect once the in-page sandbox runs")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
}
