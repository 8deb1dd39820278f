package browser

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// Code explanations in Polish (?lang=pl), from i18n/explain/pl.json: RCPT
// before MAIL, sent anyway, gets 503 5.5.1, and its explanation gives the
// code, both digits and the enhanced code in Polish, the RFCs as they are;
// the capabilities say what they offer in Polish too. The sentences the
// engine writes are Polish as well: the state, the suggestions' reasons, the
// warning that holds the RCPT line, the line's own explanation and the
// reply's note. Switching to English redraws them all in the engine's words.
func TestBrowserExplainPolish(t *testing.T) {
	t.Parallel()
	var pl map[string]string
	readStaticJSON(t, "i18n/explain/pl.json", &pl)
	en := console.EnginePhrases()
	// polish fills a phrase's Polish template, as lang.js does; a key the
	// file lacks is an error, and a string no page shows.
	polish := func(key string, args ...string) string {
		t.Helper()
		tmpl, ok := pl[key]
		if !ok {
			t.Errorf("i18n/explain/pl.json lacks %q", key)
			return "\x00" + key
		}
		vars := map[string]string{}
		for i := 0; i+1 < len(args); i += 2 {
			vars[args[i]] = args[i+1]
		}
		return phrase.Fill(tmpl, vars)
	}
	_, hs := apptest.Start(t)
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
	if got, want := b.text(`[...document.querySelectorAll("#caps details")].find((d) => d.open).querySelector("p").textContent`),
		polish("ehlo.size.limit", "bytes", "10,485,760", "mib", "10.0")+" "+polish("ehlo.rfc", "rfc", "RFC 1870 §4"); got != want {
		t.Errorf("SIZE explained %q, want %q", got, want)
	}
	state := `document.querySelector("#state-text").textContent`
	if got := b.text(state); got != polish("phase.ready") {
		t.Errorf("the state in Polish: %q", got)
	}
	next := `document.querySelector("#next").textContent`
	if got := b.text(next); !strings.Contains(got, polish("why.mail")) || !strings.Contains(got, polish("why.quit")) || strings.Contains(got, en["why.quit"]) {
		t.Errorf("the next steps in Polish: %q", got)
	}
	b.shot("explain-pl-caps")

	b.typeLine("RCPT TO:<a@example.org>")
	b.wait(`!document.querySelector("#hold").hidden`, "the held line")
	if got := b.text(`document.querySelector("#hold-warnings").textContent`); !strings.Contains(got, polish("warn.rcpt-before-mail")) || strings.Contains(got, en["warn.rcpt-before-mail"]) {
		t.Errorf("the held line's warning in Polish: %q", got)
	}
	b.do(chromedp.Click(chromedp.ID("hold-send")))
	b.waitLine("server", "503 5.5.1")
	box := `document.querySelector("#transcript .explain").textContent`
	b.explains("RCPT TO:<a@example.org>", "RFC 5321 §4.1.1.3")
	got := b.text(box)
	for _, want := range []string{polish("command.RCPT.title") + " RFC 5321 §4.1.1.3", polish("command.RCPT.text"), polish("warn.rcpt-before-mail")} {
		if !strings.Contains(got, want) {
			t.Errorf("the Polish explanation of RCPT lacks %q:\n%s", want, got)
		}
	}
	b.explains("503 5.5.1", pl["reply.503.title"])
	got = b.text(box)
	for _, want := range []string{
		"503 · " + pl["reply.503.title"] + " RFC 5321 §4.2.3",
		polish("note.rcpt-refused"),
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
	for _, english := range []string{r.Title, r.Text, e.Title, e.Text, en["note.rcpt-refused"]} {
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
	for _, want := range []string{"503 · " + r.Title + " RFC 5321 §4.2.3", r.Text, strings.TrimPrefix(cls.Text, "5yz: "), "5.5.1" + e.Title + " — " + e.Text + " " + e.RFC, en["note.rcpt-refused"]} {
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
	if got := b.text(state); got != en["phase.ready"] {
		t.Errorf("the state after the switch: %q", got)
	}
	if got := b.text(next); !strings.Contains(got, en["why.mail"]) || !strings.Contains(got, en["why.quit"]) {
		t.Errorf("the next steps after the switch: %q", got)
	}
	c, _ := explain.Command("RCPT")
	b.explains("RCPT TO:<a@example.org>", c.Title)
	got = b.text(box)
	for _, want := range []string{c.Title + " " + c.RFC, c.Text, en["warn.rcpt-before-mail"]} {
		if !strings.Contains(got, want) {
			t.Errorf("the English explanation of RCPT lacks %q:\n%s", want, got)
		}
	}
	if regexp.MustCompile(`[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]`).MatchString(got) {
		t.Errorf("Polish left in the English explanation of RCPT:\n%s", got)
	}
}
