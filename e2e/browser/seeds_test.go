package browser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// seedStep is one line of a seed session retyped: whether the page holds
// it for a predicted reply, or because it would break the message, and
// whether a reply follows (not for message text).
type seedStep struct {
	line   string
	held   bool
	answer bool
	breaks bool
}

// yandexRetyped is the second seed's session as a student retypes it on a
// profile, with the practice login: the bare-IP EHLO and the addresses
// without angle brackets as the article has them. On the strict profile
// each of those is held ("this server will answer 501"), sent anyway,
// refused, and typed again the right way.
func yandexRetyped(strict bool) []seedStep {
	var s []seedStep
	add := func(line string, held, answer bool) { s = append(s, seedStep{line: line, held: held, answer: answer}) }
	add("EHLO 91.198.212.5", strict, true)
	if strict {
		add("EHLO [91.198.212.5]", false, true)
		add("STARTTLS", false, true)
		add("EHLO [91.198.212.5]", false, true)
	}
	add("AUTH LOGIN", false, true)
	add("c3R1ZGVudA==", false, true)
	add("cHJhY3RpY2U=", false, true)
	add("MAIL FROM: vasiapupkin@ya.ru", strict, true)
	if strict {
		add("MAIL FROM:<vasiapupkin@ya.ru>", false, true)
	}
	add("RCPT TO: billy@microsoft.com", strict, true)
	if strict {
		add("RCPT TO:<billy@microsoft.com>", false, true)
	}
	add("DATA", false, true)
	for _, l := range []string{"From: Vasia Pupkin <vasiapupkin@ya.ru>", "To: Billy G <billy@microsoft.com>", "Subject: Hello Billy", "", "Hello, Billy!"} {
		add(l, false, false)
	}
	add(".", false, true)
	add("QUIT", false, true)
	return s
}

// gmailRetyped is the first seed's session as a student retypes it, with
// the practice login: EHLO without a domain (held on both profiles, sent
// anyway), and the message whose text follows its header with no empty
// line (held as breaking the message, sent anyway).
func gmailRetyped(strict bool) []seedStep {
	var s []seedStep
	add := func(st seedStep) { s = append(s, st) }
	add(seedStep{line: "EHLO", held: true, answer: true})
	add(seedStep{line: "EHLO smtp.gmail.com", answer: true})
	if strict {
		add(seedStep{line: "STARTTLS", answer: true})
		add(seedStep{line: "EHLO smtp.gmail.com", answer: true})
	}
	for _, l := range []string{"AUTH LOGIN", "c3R1ZGVudA==", "cHJhY3RpY2U=", "MAIL FROM: <gorniksmtp@gmail.com>", "RCPT TO: <gorniksmtp@gmail.com>", "DATA"} {
		add(seedStep{line: l, answer: true})
	}
	for _, l := range []string{"SUBJECT: TEST SMTP", "TO: <gorniksmtp@gmail.com>", "Content-type: text/html; charset=utf-8"} {
		add(seedStep{line: l})
	}
	add(seedStep{line: "Witaj, właśnie przeprowadzam test SMTP.", breaks: true})
	add(seedStep{line: ".", answer: true})
	add(seedStep{line: "QUIT", answer: true})
	return s
}

// Both seeds retyped on both sandbox profiles, as a person would: no
// prediction the page shows is contradicted by the sandbox. A held line
// says "this server will answer", and its reply says "As predicted"; a
// line the lenient profile accepts is not held, and its reply says so.
func TestBrowserSeedsKeepTheirPredictions(t *testing.T) {
	t.Parallel()
	for _, seed := range []struct {
		name  string
		steps func(strict bool) []seedStep
	}{{"gmail", gmailRetyped}, {"yandex", yandexRetyped}} {
		for _, profile := range []string{"sandbox", "sandbox-strict"} {
			t.Run(seed.name+"/"+profile, func(t *testing.T) {
				t.Parallel()
				_, hs := apptest.Start(t)
				b := newBrowser(t, hs.URL)
				b.eval(fmt.Sprintf(`document.querySelector("#target").value = %q; document.querySelector("#target").dispatchEvent(new Event("change"))`, profile), nil)
				b.do(chromedp.Click(chromedp.ID("connect")))
				b.waitLine("server", "220 ")
				for _, st := range seed.steps(profile == "sandbox-strict") {
					b.seedStep(st)
				}
				b.waitLine("server", "221 ")
				b.shot("seed-"+seed.name+"-"+profile, look{width: 1280}, look{width: 375, dark: true})
			})
		}
	}
}

// seedStep types one line, decides a hold as a person insisting would, and
// checks what the reply says of the prediction.
func (b *browser) seedStep(st seedStep) {
	b.t.Helper()
	servers := b.text(`String(document.querySelectorAll("#transcript li.line.server").length)`)
	clients := b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`)
	b.typeLine(st.line)
	if st.breaks {
		b.wait(`!document.querySelector("#hold").hidden`, "the hold of "+st.line)
		if title := b.text(`document.querySelector("#hold-title").textContent`); !strings.Contains(title, "break the message") {
			b.t.Errorf("%q held with %q: want it held as breaking the message", st.line, title)
		}
		b.do(chromedp.Click(chromedp.ID("hold-send")))
	}
	if st.held {
		b.wait(`!document.querySelector("#hold").hidden`, "the hold of "+st.line)
		if title := b.text(`document.querySelector("#hold-title").textContent`); !strings.Contains(title, "this server will answer") {
			b.t.Errorf("%q held with %q: want a sure prediction", st.line, title)
		}
		b.shot("seed-held-" + strings.Fields(st.line)[0])
		b.do(chromedp.Click(chromedp.ID("hold-send")))
	}
	b.wait(`document.querySelectorAll("#transcript li.line.client").length > `+clients, "the line "+st.line+" sent")
	if held := b.text(`String(!document.querySelector("#hold").hidden)`); held == "true" {
		b.t.Fatalf("%q is held: %s", st.line, b.text(`document.querySelector("#hold").textContent`))
	}
	if !st.answer {
		return
	}
	b.wait(`document.querySelectorAll("#transcript li.line.server").length > `+servers, "the reply to "+st.line)
	seq := b.text(`[...document.querySelectorAll("#transcript li.line.server")].pop().dataset.seq`)
	b.do(chromedp.Click(chromedp.CSS(`#transcript li[data-seq="` + seq + `"]`)))
	b.wait(`!!document.querySelector("#transcript .explain")`, "the reply explained")
	explain := b.text(`document.querySelector("#transcript .explain").textContent`)
	for _, bad := range []string{"did not hold", "refused it after all"} {
		if strings.Contains(explain, bad) {
			b.t.Errorf("the reply to %q says %q: %s", st.line, bad, explain)
		}
	}
	if st.held && !strings.Contains(explain, "As predicted") {
		b.t.Errorf("the reply to the held %q does not say the prediction held: %s", st.line, explain)
	}
	if st.held {
		b.shot("seed-outcome-" + strings.Fields(st.line)[0])
	}
}
