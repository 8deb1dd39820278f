package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// #offline on a smtplay server, whose binary does not carry the in-page
// sandbox's wasm: the page says so in a sentence, uses the server's own
// sandbox, and a session runs.
func TestBrowserOfflineOnAServer(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Navigate(b.base + "?offline"))
	b.wait(`location.search === "?offline" && document.body.dataset.ready === "true"`, "the page again, with ?offline")
	b.wait(`document.getElementById("offline-note") !== null`, "the note on the in-page sandbox")
	note := b.text(`document.getElementById("offline-note").textContent`)
	if note != "This smtplay server does not carry the in-page practice server (make static builds it), so its built-in sandbox answers instead." {
		t.Errorf("the note says %q", note)
	}
	if failed := b.text(`document.getElementById("status").dataset.status`); failed == "failed" {
		t.Fatalf("the console did not start:\n%s", b.transcript())
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO offline.example")
	b.waitLine("server", "Hello offline.example")
	b.shot("offline-on-server", look{width: 375})
}
