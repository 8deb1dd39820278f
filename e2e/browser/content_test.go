package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The first seed's message typed as the article types it after DATA: three
// header lines, then the body with no empty line before it. The body line
// is held, saying it would break the message and offering the empty line;
// sent anyway, the message arrives with no subject, and its view says which
// line ended the header and what became text.
func TestBrowserBrokenHeader(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO smtp.test")
	b.waitLine("server", "250 ")
	b.typeLine("AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=")
	b.waitLine("server", "235 ")
	b.typeLine("MAIL FROM: <gorniksmtp@example.org>")
	b.waitLine("server", "250 2.1.0")
	b.typeLine("RCPT TO: <gorniksmtp@example.org>")
	b.waitLine("server", "250 2.1.5")
	b.typeLine("DATA")
	b.waitLine("server", "354 ")
	for _, l := range []string{"SUBJECT: TEST SMTP", "TO: <gorniksmtp@example.org>", "Content-type: text/html; charset=utf-8"} {
		b.typeLine(l)
		b.waitLine("client", l)
	}
	if b.text(`String(document.querySelector("#hold").hidden)`) != "true" {
		t.Fatal("a header line was held")
	}

	const body = "Witaj, właśnie przeprowadzam test SMTP."
	b.typeLine(body)
	b.wait(`!document.querySelector("#hold").hidden && !document.querySelector("#hold-fix").hidden`, "the body line held")
	hold := b.text(`document.querySelector("#hold").textContent`)
	for _, want := range []string{"would break the message", body, "no subject", "Insert an empty line first", "RFC 5322 §2.1"} {
		if !strings.Contains(hold, want) {
			t.Errorf("hold lacks %q: %s", want, hold)
		}
	}
	if strings.Contains(b.transcript(), "Witaj") {
		t.Fatal("the held line was sent")
	}
	b.shot("content-hold", look{width: 1280}, look{width: 375, dark: true})

	b.do(chromedp.Click(chromedp.ID("hold-send")))
	b.waitLine("client", "Witaj")
	b.typeLine(".")
	b.waitLine("server", "250 2.0.0")
	b.wait(`document.querySelector("#inbox button") !== null`, "the message in the inbox")
	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.querySelector("#message").open && !document.querySelector("#msg-note").hidden`, "the message's header note")
	if subject := b.text(`document.querySelector("#msg-subject").textContent`); subject != "(no subject)" {
		t.Errorf("subject %q", subject)
	}
	note := b.text(`document.querySelector("#msg-note").textContent`)
	for _, want := range []string{"Line 4", body, "(SUBJECT:, TO:, Content-type:)", "shown as text"} {
		if !strings.Contains(note, want) {
			t.Errorf("note lacks %q: %s", want, note)
		}
	}
	b.shot("content-note", look{width: 1280}, look{width: 375, dark: true})
}
