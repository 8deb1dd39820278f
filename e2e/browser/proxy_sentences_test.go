package browser

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wire"
)

// englishTells are the English sentences the engine and the proxy write, as
// the part of each template before its first placeholder, where that part
// is long enough to be telling: none may be on a translated page.
func englishTells() []string {
	cut := regexp.MustCompile(`\{[a-z][a-zA-Z]*\}`)
	var tells []string
	add := func(tmpl string) {
		if i := cut.FindStringIndex(tmpl); i != nil {
			tmpl = tmpl[:i[0]]
		}
		if tmpl = strings.TrimSpace(tmpl); len(tmpl) >= 24 {
			tells = append(tells, tmpl)
		}
	}
	for _, tmpl := range console.EnginePhrases() {
		add(tmpl)
	}
	for _, tmpl := range wire.Details {
		add(tmpl)
	}
	return tells
}

// The proxy's own sentences on the Polish and the Russian page: a refused
// BDAT, the server's close after QUIT, a server not on the list and a
// session the person closes are said in the page's language, in the alert
// and in the transcript. No English sentence of the engine or the proxy is
// on the page, apart from what the server itself sent.
func TestBrowserProxySentences(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	tells := englishTells()
	if !slices.Contains(tells, wire.Details["quit"]) {
		t.Fatal("the proxy's sentences are not among those looked for")
	}
	for _, lang := range []string{"pl", "ru"} {
		b := openBrowser(t, hs.URL, "?lang="+lang)
		const page = `(() => { const c = document.body.cloneNode(true); for (const n of c.querySelectorAll("#transcript li.line.server, script, style, template")) n.remove(); return c.innerText; })()`
		english := func(when string) {
			t.Helper()
			text := b.text(page)
			for _, s := range tells {
				if strings.Contains(text, s) {
					t.Errorf("%s, %s: English on the page: %q", lang, when, s)
				}
			}
		}
		alert := `document.querySelector("#alert").innerText`

		b.do(chromedp.Click(chromedp.ID("connect")))
		b.waitLine("server", "220 ")
		b.typeLine("EHLO localhost")
		b.waitLine("server", "250 ")
		b.typeLine("BDAT 4 LAST")
		b.wait(`!document.querySelector("#hold").hidden`, "BDAT held")
		b.do(chromedp.Click(chromedp.ID("hold-send")))
		b.wait(`!document.querySelector("#alert").hidden`, "the alert")
		if got := b.text(alert); !strings.Contains(got, map[string]string{"pl": "nie przenosi BDAT", "ru": "не передаёт BDAT"}[lang]) {
			t.Errorf("%s: the refused BDAT's alert: %q", lang, got)
		}
		english("BDAT refused")

		b.typeLine("QUIT")
		b.wait(`document.querySelector("#status").dataset.status === "closed"`, "the session to end")
		quit := map[string]string{"pl": "Serwer zamknął połączenie po QUIT, tak jak powinien.", "ru": "Сервер закрыл соединение после QUIT, как и положено."}[lang]
		b.waitLine("event", quit)
		english("closed after QUIT")
		if lang == "pl" {
			b.shot("proxy-sentences-pl-closed")
		}

		b.do(chromedp.Click(chromedp.ID("alert-close")))
		b.eval(`smtplay.connect(new URL("tunnel", location.href).href.replace(/^http/, "ws"), {host: "smtp.example.org", port: 25})`, nil)
		b.wait(`!document.querySelector("#alert").hidden`, "the refused target")
		if got := b.text(alert); !strings.Contains(got, "smtp.example.org:25") || strings.Contains(got, "is not on this playground's list") {
			t.Errorf("%s: the refused target's alert: %q", lang, got)
		}
		english("target refused")

		b.do(chromedp.Click(chromedp.ID("alert-close")))
		b.do(chromedp.Click(chromedp.ID("connect")))
		b.waitLine("server", "220 ")
		b.do(chromedp.Click(chromedp.ID("disconnect")))
		b.wait(`document.querySelector("#status").dataset.status === "closed"`, "the session closed by the person")
		english("closed by the person")
	}
}
