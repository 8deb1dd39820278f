package browser

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// Connect is enabled from the page's first frame (smtplay sends it so),
// long before the Go half (main.wasm) runs: here the browser holds
// main.wasm's download until Connect has been pressed. The
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

	let, held := holdRequests(b, "main.wasm")
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))

	b.wait(`!document.getElementById("connect").disabled`, "Connect to be enabled while main.wasm is held")
	if b.text(`typeof window.smtplay`) != "undefined" {
		t.Fatal("the Go half runs although main.wasm is held: the test proves nothing")
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
	if n := held(); n != 1 {
		t.Errorf("main.wasm was asked for %d times, want once (by start.js's worker)", n)
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

// A press before the page's modules have run (the browser holds
// app.bundle.js) is kept by early.js, which says it is connecting, and
// acted on once they run, with the server the person picked meanwhile, or
// else the one the address names (#target=): one session, on that server.
func TestBrowserPressBeforeModules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, address, pick string }{
		{"picked", "/", "sandbox-strict"},
		{"from the address", "/#target=sandbox-strict", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, hs := apptest.Start(t)
			b := &browser{t: t, ctx: newTab(t), base: hs.URL + tc.address}
			b.watch()
			t.Cleanup(b.check)
			let, held := holdRequests(b, "app.bundle.js")
			b.do(chromedp.EmulateViewport(1280, 900))
			// page.Navigate does not wait for the load event, which waits for the held module.
			if _, err := chromedp.Call(b.ctx, page.Navigate, page.NavigateParams{URL: b.base}); err != nil {
				t.Fatal(err)
			}
			b.wait(`document.getElementById("connect")?.disabled === false && document.getElementById("target")?.options.length === 2`, "the servers listed and Connect enabled, as the server sent them")
			if n := held(); n != 1 {
				t.Fatalf("app.bundle.js was asked for %d times, want once, held", n)
			}
			if tc.pick != "" {
				b.text(`(() => { const s = document.getElementById("target"); s.value = "` + tc.pick + `"; s.dispatchEvent(new Event("change", { bubbles: true })); return s.value; })()`)
			}
			b.do(chromedp.Click(chromedp.ID("connect")))
			if got := b.text(`document.getElementById("status").dataset.status + " " + String(document.getElementById("connect").disabled)`); got != "connecting true" {
				t.Errorf("after a press before the modules ran, status and Connect's disabled are %q, want connecting true", got)
			}
			if b.text(`location.href`) != b.base {
				t.Fatalf("the press sent the form: the page is now %s", b.text(`location.href`))
			}
			let()
			b.waitLine("server", "220 ")
			if got := b.text(`document.getElementById("target").value + " | " + [...document.querySelectorAll("#transcript li.line")][0].textContent`); !strings.HasPrefix(got, "sandbox-strict | ") || !strings.Contains(got, "Connecting to sandbox-strict") {
				t.Errorf("the kept press connected as %q, want to sandbox-strict", got)
			}
			b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
			if n := srv.Sessions(); n != 1 {
				t.Errorf("the proxy holds %d sessions, want the one the press opened", n)
			}
		})
	}
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

	let, _ := holdRequests(b, "main.wasm")
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

// holdRequests makes the browser hold every request for the page's file
// name (main.wasm, app.bundle.js) until let is called (at the test's end
// at the latest); held counts them.
func holdRequests(b *browser, name string) (let func(), held func() int) {
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
		hold := strings.HasSuffix(paused.Request.URL, "/"+name)
		if hold {
			mu.Lock()
			n++
			mu.Unlock()
		}
		go func() {
			if hold {
				<-release
			}
			_, _ = chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: paused.RequestID})
		}()
	})
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/" + name}}}); err != nil {
		b.t.Fatal(err)
	}
	return let, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}
