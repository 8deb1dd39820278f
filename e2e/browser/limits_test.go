package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// One tab more than an address may keep open is told to close one, and
// only that: not also to wait a minute.
func TestBrowserTabOverLimit(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t, "-sessions-per-ip", "1")
	first := newBrowser(t, hs.URL)
	first.do(chromedp.Click(chromedp.ID("connect")))
	first.wait(`document.querySelector("#status").dataset.status === "open"`, "the first tab connected")

	second := newBrowser(t, hs.URL)
	second.do(chromedp.Click(chromedp.ID("connect")))
	second.wait(`!document.querySelector("#alert").hidden`, "the alert")
	alert := second.text(`document.querySelector("#alert").textContent`)
	if !strings.Contains(alert, "You already have as many sessions open here as the playground allows") || !strings.Contains(alert, "close one first") {
		t.Errorf("the alert says %q, want the sessions open and to close one", alert)
	}
	if strings.Contains(strings.ToLower(alert), "wait a minute") {
		t.Errorf("the alert says to wait a minute too: %q", alert)
	}
}
