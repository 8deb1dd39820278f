package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The sentences the engine's console writes at run time, on the Polish page
// (?lang=pl): the composer's refusal and note, the export's refusal, the
// queue's dropped lines, a line the engine cannot send, a line the proxy
// refused and a target it will not reach, each in Polish; a switch of
// language redraws them in English, and back.
func TestBrowserSentences(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "?lang=pl")
	is := func(expr, want, what string) {
		t.Helper()
		if got := b.text(expr); got != want {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	const (
		alert    = `document.querySelector("#alert-title").textContent`
		cError   = `document.querySelector("#c-error").textContent`
		cNote    = `document.querySelector("#c-note").textContent`
		dropped  = `[...document.querySelectorAll("#transcript li.line.note .text")].slice(-2).map((n) => n.textContent).join(" | ")`
		rejected = `[...document.querySelectorAll("#transcript li.line.rejected .text")].map((n) => n.textContent).join(" | ")`
	)

	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.do(chromedp.Click(chromedp.CSS("#composer summary")))
	b.eval(`(() => { for (const [id, v] of [["c-from", "me@example.org"], ["c-to", "friend@example.org"], ["c-body", "Hi"]]) document.getElementById(id).value = v; return true; })()`, nil)
	b.do(chromedp.Click(chromedp.ID("c-review")))
	is(cError, "Najpierw wyślij EHLO: wiadomość wymaga otwartej sesji (a na większości serwerów także zalogowania).", "the composer before EHLO")

	b.typeLine("EHLO localhost")
	b.waitLine("server", "250 ")
	b.do(chromedp.Click(chromedp.ID("c-review")))
	b.wait(`!document.querySelector("#c-send").hidden`, "the composed lines")
	is(cNote, "Treść to czysty ASCII: idzie bez zmian (7bit).", "the composer's note")

	b.do(chromedp.Click(chromedp.ID("export-code")))
	is(`document.querySelector("#code-error").textContent`,
		"Z tej sesji nie da się zrobić kodu: nie ma jeszcze wiadomości do powtórzenia: kod potrzebuje MAIL FROM i RCPT TO przyjętych przez serwer.", "the export without a message")
	b.do(chromedp.Click(chromedp.ID("code-close")))

	// A line held, stopped with the two queued behind it.
	b.eval(`smtplay.paste(["RCPT TO:<friend@example.org>", "NOOP", "NOOP"])`, nil)
	b.wait(`!document.querySelector("#hold").hidden`, "the held line")
	b.do(chromedp.Click(chromedp.ID("hold-stop")))
	b.waitLine("note", "Nie wysłano tego wiersza ani 2 wierszy, które czekały po nim w kolejce.")

	// A line the engine cannot send at all.
	b.eval(`smtplay.submit("NOOP\u0000")`, nil)
	b.waitLine("rejected", "Nie wysłano: ")
	if got := b.text(rejected); strings.Contains(got, "cannot") {
		t.Errorf("the rejected line in Polish: %q", got)
	}

	// BDAT, sent anyway: the proxy refuses it.
	b.typeLine("BDAT 4 LAST")
	b.wait(`!document.querySelector("#hold").hidden`, "BDAT held")
	b.do(chromedp.Click(chromedp.ID("hold-send")))
	b.wait(`!document.querySelector("#alert").hidden`, "the alert")
	is(alert, "Tego wiersza nie wysłano: plac zabaw go nie przenosi (BDAT); użyj DATA.", "the refused line's alert")

	// After QUIT, a line has no session to go to.
	b.typeLine("QUIT")
	b.wait(`document.querySelector("#status").dataset.status === "closed"`, "the session to end")
	b.eval(`smtplay.submit("NOOP")`, nil)
	b.waitLine("note", "Nie wysłano jednego wiersza z kolejki. Nie ma otwartej sesji.")

	// English, without a reload.
	switchTo := func(lang string) {
		t.Helper()
		b.eval(`(() => { const s = document.querySelector("#lang"); s.value = "`+lang+`"; s.dispatchEvent(new Event("change")); return true; })()`, nil)
		b.wait(`document.documentElement.lang === "`+lang+`"`, "the page in "+lang)
	}
	switchTo("en")
	is(alert, "That line was not sent: the playground does not carry it (BDAT); use DATA.", "the alert in English")
	is(cNote, "The body is plain ASCII: it goes as it is (7bit).", "the note in English")
	is(dropped, "The line was not sent, nor the 2 lines queued after it. | 1 queued line was not sent. There is no open session.", "the notes in English")
	is(rejected, "Not sent: a line cannot contain CR, LF or NUL characters (RFC 5321 §2.3.8)", "the rejected line in English")

	// The composer's refusal, redrawn in Polish.
	b.do(chromedp.Click(chromedp.ID("c-review")))
	is(cError, "Connect first.", "the composer after QUIT")
	switchTo("pl")
	is(cError, "Najpierw się połącz.", "the composer's refusal in Polish")
	is(dropped, "Nie wysłano tego wiersza ani 2 wierszy, które czekały po nim w kolejce. | Nie wysłano jednego wiersza z kolejki. Nie ma otwartej sesji.", "the notes in Polish again")

	// A server that is not on the list.
	b.do(chromedp.Click(chromedp.ID("alert-close")))
	b.eval(`smtplay.connect(new URL("tunnel", location.href).href.replace(/^http/, "ws"), {host: "smtp.example.org", port: 25})`, nil)
	b.wait(`!document.querySelector("#alert").hidden && document.querySelector("#transcript li.line.rejected") !== null`, "the refusal")
	const notAllowed = "Plac zabaw nie połączy się z tym serwerem: łączy się tylko z serwerami ze swojej listy."
	is(alert, notAllowed, "the refused target's alert")
	is(rejected, notAllowed, "the refused target in the transcript")
}
