package browser

import (
	"regexp"
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
// press says "Connecting…" at once, and the page opens the session itself:
// the greeting shows while Go cannot run. Once main.wasm arrives, Go takes
// that session over (one session on the proxy), draws it explained, and
// EHLO can be typed and is answered.
func TestBrowserConnectBeforeWasm(t *testing.T) {
	t.Parallel()
	srv, hs := apptest.Start(t)
	b := &browser{t: t, ctx: newTab(t), base: hs.URL + "/"}
	b.watch()
	t.Cleanup(b.check)

	let, held := holdMainWasm(b)
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))

	b.wait(`!document.getElementById("connect").disabled`, "Connect to be enabled while main.wasm is held")
	if b.text(`typeof window.smtplay`) != "undefined" {
		t.Fatal("the Go half runs although main.wasm is held: the test proves nothing")
	}
	if n := held(); n != 1 {
		t.Fatalf("main.wasm was asked for %d times before the press, want once (the preload, taken by start.js)", n)
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	if got := b.text(`document.getElementById("status").dataset.status + " " + document.getElementById("status-text").textContent`); got != "connecting Connecting to sandbox…" {
		t.Errorf("after the early press the status says %q, want the connecting one", got)
	}
	if b.text(`String(document.getElementById("connect").disabled)`) != "true" {
		t.Error("Connect can be pressed again while the early press waits")
	}

	// The page opened the session itself: the greeting shows while Go
	// cannot run yet.
	b.wait(`[...document.querySelectorAll("#transcript li.line.server.early")].some((l) => l.textContent.includes("220 "))`, "the greeting, before the Go half runs")
	if b.text(`typeof window.smtplay`) != "undefined" {
		t.Fatal("the Go half runs although main.wasm is held")
	}
	if got := b.text(`document.getElementById("status").dataset.status`); got != "open" {
		t.Errorf("with the greeting shown the status is %q, want open", got)
	}
	// Drawn as Go draws a session: its notes, and the greeting's time.
	if got := b.text(`[...document.querySelectorAll("#transcript li.line")].map((l) => l.textContent.trim()).join("\n")`); !regexp.MustCompile(`^·\s*Connecting to sandbox…\n·\s*Connected to the built-in sandbox \(sandbox\)\.\n\d+\.\d{3}\s*←\s*220 `).MatchString(got) {
		t.Errorf("before the Go half runs the transcript reads:\n%s", got)
	}
	if got := b.text(`document.getElementById("state-text").textContent`); got != "Connecting…" {
		t.Errorf("before the Go half runs the session state says %q", got)
	}

	let()
	// The Go half takes the same session over: the greeting again, explained, once.
	b.wait(`document.querySelectorAll("#transcript li.line.server:not(.early)").length > 0`, "the Go half to draw the session")
	if got := b.text(`[...document.querySelectorAll("#transcript li.line")].map((l) => l.className + ": " + l.textContent).join("\n")`); strings.Count(got, "220 ") != 1 || strings.Contains(got, "early") {
		t.Errorf("after the Go half took over, the transcript is:\n%s\nwant one greeting, no line of the page's own drawing", got)
	}
	b.typeLine("EHLO localhost")
	b.waitLine("client", "EHLO localhost")
	b.waitLine("server", "250")
	if n := srv.Sessions(); n != 1 {
		t.Errorf("the proxy holds %d sessions, want 1: the page's own and the Go half's are one", n)
	}
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
}

// A session opened before the Go half runs asks for the wire when the
// wire view is on (the page's own open message carries it), and the Go
// half that takes the session over shows what crossed the network.
func TestBrowserEarlySessionWire(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := &browser{t: t, ctx: newTab(t), base: hs.URL + "/"}
	b.watch()
	t.Cleanup(b.check)
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
	b.do(chromedp.Click(chromedp.ID("wire-on"))) // kept for the next visit

	let, _ := holdMainWasm(b)
	b.do(chromedp.Navigate(b.base))
	b.wait(`!document.getElementById("connect").disabled`, "Connect to be enabled while main.wasm is held")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.wait(`document.querySelector("#transcript li.line.server.early") !== null`, "the greeting, before the Go half runs")
	let()
	b.waitLine("server", "220 ")
	b.typeLine("EHLO wire.test")
	b.waitLine("server", "250")
	b.wait(`[...document.querySelectorAll("#wire-list .wire-row.up")].some((r) => r.textContent.includes("EHLO wire.test"))`, "EHLO in the wire view")
	if rows := b.rows(); !strings.Contains(strings.Join(rows, "\n"), "220 ") {
		t.Errorf("the wire view lacks the greeting the page's own session got before Go ran:\n%s", strings.Join(rows, "\n"))
	}
}

// holdMainWasm makes the browser hold every request for main.wasm until
// let is called (at the test's end at the latest); held counts them.
func holdMainWasm(b *browser) (let func(), held func() int) {
	b.t.Helper()
	release := make(chan struct{})
	var once sync.Once
	let = func() { once.Do(func() { close(release) }) }
	b.t.Cleanup(let)
	var (
		mu sync.Mutex
		n  int
	)
	err := chromedp.Listen(b.ctx, func(ev any) {
		paused, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		wasm := strings.HasSuffix(paused.Request.URL, "/main.wasm")
		if wasm {
			mu.Lock()
			n++
			mu.Unlock()
		}
		go func() {
			if wasm {
				<-release
			}
			_, _ = chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: paused.RequestID})
		}()
	})
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/main.wasm"}}}); err != nil {
		b.t.Fatal(err)
	}
	return let, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}
