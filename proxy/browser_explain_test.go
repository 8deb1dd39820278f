package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/wasm/explain"
)

// Code explanations in Polish (?lang=pl), from i18n/explain/pl.json: RCPT
// before MAIL, sent anyway, gets 503 5.5.1, and its explanation gives the
// code, both digits and the enhanced code in Polish, the RFCs as they are;
// the capabilities say what they offer in Polish too. Switching to English
// redraws the open explanation and the capabilities in the engine's words.
func TestBrowserExplainPolish(t *testing.T) {
	var pl map[string]string
	readStaticJSON(t, "i18n/explain/pl.json", &pl)
	_, hs := startApp(t)
	b := openBrowser(t, hs.URL, "?lang=pl")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO localhost")
	b.wait(`document.querySelector("#caps").textContent.includes("PIPELINING")`, "the capabilities")
	caps := `[...document.querySelectorAll("#caps .title")].map((e) => e.textContent).join("|")`
	if got := b.text(caps); !strings.Contains(got, " — "+pl["capability.PIPELINING.title"]) {
		t.Errorf("capabilities in Polish: %q", got)
	}
	b.eval(`(() => { const d = [...document.querySelectorAll("#caps details")].find((d) => d.querySelector("code").textContent === "SIZE"); d.open = true; d.scrollIntoView(); return true; })()`, nil)
	if got, want := b.text(`[...document.querySelectorAll("#caps details")].find((d) => d.open).querySelector("p").textContent`), pl["capability.SIZE.text"]+" (RFC 1870 §4)"; got != want {
		t.Errorf("SIZE explained %q, want %q", got, want)
	}
	b.shot("explain-pl-caps")

	b.typeLine("RCPT TO:<a@example.org>")
	b.wait(`!document.querySelector("#hold").hidden`, "the held line")
	b.do(chromedp.Click(chromedp.ID("hold-send")))
	b.waitLine("server", "503 5.5.1")
	b.explains("503 5.5.1", pl["reply.503.title"])
	box := `document.querySelector("#transcript .explain").textContent`
	got := b.text(box)
	for _, want := range []string{
		"503 · " + pl["reply.503.title"] + " RFC 5321 §4.2.3",
		pl["reply.503.text"],
		"5xx" + pl["class.5"],
		"x0x" + pl["category.0"],
		"5.5.1" + pl["enhanced.x.5.1.title"] + " — " + pl["enhanced.5.x.x"] + ": " + pl["enhanced.x.5.1.text"] + " RFC 3463 §3.6",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the Polish explanation lacks %q:\n%s", want, got)
		}
	}
	r, _ := explain.Reply(503)
	e, _ := explain.Enhanced("5.5.1")
	for _, english := range []string{r.Title, r.Text, e.Title, e.Text} {
		if strings.Contains(got, english) {
			t.Errorf("English left in the Polish explanation: %q", english)
		}
	}
	b.shot("explain-pl")

	// Back to English: the open explanation is the engine's own again.
	b.eval(`(() => { const s = document.querySelector("#lang"); s.value = "en"; s.dispatchEvent(new Event("change")); return true; })()`, nil)
	b.wait(`document.documentElement.lang === "en" && `+box+`.includes("Bad sequence of commands")`, "the explanation in English")
	got = b.text(box)
	cls, _ := explain.ReplyClass(5)
	for _, want := range []string{"503 · " + r.Title + " RFC 5321 §4.2.3", r.Text, strings.TrimPrefix(cls.Text, "5yz: "), "5.5.1" + e.Title + " — " + e.Text + " " + e.RFC} {
		if !strings.Contains(got, want) {
			t.Errorf("the English explanation lacks %q:\n%s", want, got)
		}
	}
	if regexp.MustCompile(`[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]`).MatchString(got) {
		t.Errorf("Polish left in the English explanation:\n%s", got)
	}
	if c, _ := explain.Capability("PIPELINING"); !strings.Contains(b.text(caps), " — "+c.Title) {
		t.Errorf("capabilities after the switch: %q", b.text(caps))
	}
}
