package browser

import (
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// Connect is enabled once the servers and the page's words have loaded,
// before the Go half (main.wasm) runs when that comes later: here the
// browser holds main.wasm's download until Connect has been pressed. The
// press says "Connecting…" at once; once main.wasm arrives and Go starts,
// the session opens by itself, the greeting is shown, and EHLO can be
// typed and is answered.
func TestBrowserConnectBeforeWasm(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := &browser{t: t, ctx: newTab(t), base: hs.URL + "/"}
	b.watch()
	t.Cleanup(b.check)

	release := make(chan struct{})
	var once sync.Once
	let := func() { once.Do(func() { close(release) }) }
	t.Cleanup(let)
	var (
		mu   sync.Mutex
		held int
	)
	err := chromedp.Listen(b.ctx, func(ev any) {
		paused, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		if strings.HasSuffix(paused.Request.URL, "/main.wasm") {
			mu.Lock()
			held++
			mu.Unlock()
		}
		go func() {
			if strings.HasSuffix(paused.Request.URL, "/main.wasm") {
				<-release
			}
			_, _ = chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: paused.RequestID})
		}()
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/main.wasm"}}}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))

	b.wait(`!document.getElementById("connect").disabled`, "Connect to be enabled while main.wasm is held")
	if b.text(`typeof window.smtplay`) != "undefined" {
		t.Fatal("the Go half runs although main.wasm is held: the test proves nothing")
	}
	mu.Lock()
	n := held
	mu.Unlock()
	if n != 1 {
		t.Fatalf("main.wasm was asked for %d times before the press, want once (the preload, taken by start.js)", n)
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	if got := b.text(`document.getElementById("status").dataset.status + " " + document.getElementById("status-text").textContent`); got != "connecting Connecting to sandbox…" {
		t.Errorf("after the early press the status says %q, want the connecting one", got)
	}
	if b.text(`String(document.getElementById("connect").disabled)`) != "true" {
		t.Error("Connect can be pressed again while the early press waits")
	}

	let()
	b.waitLine("server", "220 ")
	b.typeLine("EHLO localhost")
	b.waitLine("client", "EHLO localhost")
	b.waitLine("server", "250")
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
}
