package browser

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// countConnections listens on loopback and counts every TCP connection
// made to it, closing each at once; it returns the port and the count.
func countConnections(t *testing.T) (port int, count func() int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().(*net.TCPAddr).Port, n.Load
}

// TestBrowserHTMLMailFetchesNothing shows an HTML part that points at a
// listener of the test's own in every way Chromium might follow (iframe,
// img, stylesheet link, @import, video poster, background url()): showing
// it must open no connection (docs/SECURITY.md, T10). Its inline style is
// kept, so styled mail still renders styled.
func TestBrowserHTMLMailFetchesNothing(t *testing.T) {
	t.Parallel()
	port, connections := countConnections(t)
	u := fmt.Sprintf("http://127.0.0.1:%d", port)
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	html := fmt.Sprintf(`<style>@import url(%[1]s/import.css); p{background:url(%[1]s/bg.png)}</style><link rel="stylesheet" href="%[1]s/s.css">`+
		`<h1 id="styled" style="color: #0a66c2; border: 3px solid #0a66c2; padding: 8px">Styled HTML</h1>`+
		`<iframe src="%[1]s/"></iframe><img src="%[1]s/x.png"><video poster="%[1]s/poster.jpg"></video>`+
		`<p style="background-image: url(%[1]s/inline.png)">paragraph</p>`, u)
	b.eval(fmt.Sprintf(`(() => {
		const text = [
			"EHLO smtp.test", "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA",
			"From: <a@example.org>", "To: <b@example.org>", "Subject: HTML", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8", "",
			%q, "."].join("\r\n") + "\r\n";
		const data = new DataTransfer();
		data.setData("text/plain", text);
		document.querySelector("#line").dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
	})()`, html), nil)
	b.wait(`document.querySelector("#inbox button") !== null`, "the HTML message in the inbox")
	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.querySelector("#msg-panel iframe") !== null`, "the HTML view")
	// Give the frame time to load and to try whatever it tries.
	time.Sleep(2 * time.Second)
	b.shot("html-mail-styled", look{width: 1280})
	if n := connections(); n != 0 {
		t.Fatalf("showing the HTML part opened %d connection(s) to %s", n, u)
	}

	var frame struct {
		Sandbox string
		Src     string
		Srcdoc  bool
		Status  int
		CSP     string
		Body    string
	}
	b.eval(`(async () => { const f = document.querySelector("#msg-panel iframe");
		const r = f.getAttribute("src") ? await fetch(f.src) : null;
		window.servedFrame = {sandbox: f.getAttribute("sandbox"), src: f.getAttribute("src") || "", srcdoc: f.hasAttribute("srcdoc"),
			status: r ? r.status : 0, csp: r ? r.headers.get("Content-Security-Policy") : "", body: r ? await r.text() : ""}; })(), true`, nil)
	b.wait(`window.servedFrame !== undefined`, "the frame's HTML fetched again")
	b.eval(`window.servedFrame`, &frame)
	if frame.Sandbox != "" || frame.Srcdoc || frame.Status != 200 {
		t.Fatalf("frame: sandbox %q src %q srcdoc %v status %d", frame.Sandbox, frame.Src, frame.Srcdoc, frame.Status)
	}
	if frame.CSP == "" || !strings.Contains(frame.Body, `style="color: #0a66c2; border: 3px solid #0a66c2; padding: 8px"`) || strings.Contains(frame.Body, u) {
		t.Fatalf("served HTML (CSP %q): %s", frame.CSP, frame.Body)
	}
	// The iframe did load: a second look after the fetch, still nothing.
	if n := connections(); n != 0 {
		t.Fatalf("%d connection(s) to %s", n, u)
	}
}
