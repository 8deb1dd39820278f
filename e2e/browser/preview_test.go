package browser

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The preview under the input cuts an explanation at the end of its first
// sentence, never at the dot of "e.g." or "np.", or, when the sentence is
// long, at a word boundary with an ellipsis.
func TestBrowserPreviewCut(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	// The page's own preview of a Content-Type line; then the rule, case by case.
	b.sendMessagePrefix()
	b.typeInto("line", "Content-Type: text/plain; charset=utf-8")
	b.wait(`document.querySelector("#preview").textContent.includes("Content-Type") || document.querySelector("#preview").textContent.includes("character set")`, "the preview of Content-Type")
	p := b.text(`document.querySelector("#preview").textContent`)
	if strings.HasSuffix(p, "e.g.") || !strings.Contains(p, "charset=utf-8.") {
		t.Errorf("the preview reads %q", p)
	}

	cases := map[string]string{
		"What the body is and its character set, e.g. text/plain; charset=utf-8. Without it, text/plain in US-ASCII is assumed.": "What the body is and its character set, e.g. text/plain; charset=utf-8.",
		"Nagłówek, np. Subject. Reszta.":           "Nagłówek, np. Subject.",
		"Заголовок, т. е. строка. Дальше.":         "Заголовок, т. е. строка.",
		"One sentence only.":                       "One sentence only.",
		"Ends at RFC 5321 §4.1.1. Then more.":      "Ends at RFC 5321 §4.1.1.",
		"Short, no dot":                            "Short, no dot",
		strings.Repeat("word ", 50) + "end. Next.": strings.TrimSpace(strings.Repeat("word ", 32)) + "…",
	}
	in, _ := json.Marshal(cases)
	var got map[string]string
	b.evalAsync(fmt.Sprintf(`import(new URL("shorten.js", document.querySelector("script[type=module]").src)).then((m) => Object.fromEntries(Object.keys(%s).map((s) => [s, m.shorten(s)])))`, in), &got)
	for s, want := range cases {
		if got[s] != want {
			t.Errorf("shorten(%q)\n = %q\nwant %q", s, got[s], want)
		}
	}
}

// sendMessagePrefix connects and brings the session to DATA.
func (b *browser) sendMessagePrefix() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	for _, l := range []string{"EHLO localhost", "MAIL FROM:<student@sandbox.smtplay>", "RCPT TO:<friend@example.org>", "DATA"} {
		b.typeLine(l)
	}
	b.waitLine("server", "354 ")
}
