package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The language menu names the language in use as soon as the page's words
// are in, before the Go half runs (the browser holds main.wasm here), and
// stays disabled until it offers the others: an empty menu beside the
// header for the half second or more Go takes to start looked broken.
func TestBrowserLanguageBeforeGo(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := &browser{t: t, ctx: newTab(t), base: hs.URL + "/?lang=pl"}
	b.watch()
	t.Cleanup(b.check)

	let, _ := holdRequests(b, "main.wasm")
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))
	b.wait(`(() => { const s = document.getElementById("lang"); return s.options.length === 1 && s.options[0].textContent === "Polski"; })()`,
		"the language menu to name Polish while main.wasm is held")
	if b.text(`typeof window.smtplay`) != "undefined" {
		t.Fatal("the Go half runs although main.wasm is held: the test proves nothing")
	}
	if got := b.text(`String(document.getElementById("lang").disabled) + " " + document.documentElement.lang`); got != "true pl" {
		t.Errorf("before the Go half runs, the menu's disabled and the page's language are %q, want true pl", got)
	}

	let()
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
	if got := b.text(`(() => { const s = document.getElementById("lang"); return s.disabled + " " + s.value + " " + [...s.options].map((o) => o.textContent).join(","); })()`); got != "false pl English,Polski,Русский" {
		t.Errorf("once ready, the menu is %q, want every language offered, Polish chosen", got)
	}
}
