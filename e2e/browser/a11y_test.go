package browser

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The main page checked by axe-core, light and dark, in each state a
// person meets: before connecting, connected, the completion list open, a
// line held, the helpers open, the message view on each of its tabs, the
// export and share dialogs, the lesson list and a lesson open.
func TestBrowserA11yPage(t *testing.T) {
	t.Parallel()
	needAxe(t)
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.axe("before connecting")

	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO localhost")
	b.waitLine("server", "250 ")
	b.axe("connected, after EHLO")
	var named struct {
		Log          bool
		Name, Labels string
	}
	b.eval(`({log: document.querySelector("[role=log][aria-live=polite] > #transcript") !== null,
		name: document.getElementById("line").getAttribute("aria-label"),
		labels: [...document.getElementById("line").labels].map((l) => l.textContent).join("|")})`, &named)
	if !named.Log || named.Name != "Line to send: Type an SMTP command" || named.Labels != "" {
		t.Errorf("the transcript in a polite log, the input named by its own words alone: got %+v", named)
	}

	b.typeInto("line", "MA")
	b.wait(`!document.getElementById("completions").hidden`, "the completion list")
	b.axe("the completion list open")
	b.typeInto("line", "\x1b")
	b.clear("line")

	b.typeLine("EHLO")
	b.wait(`!document.getElementById("hold").hidden`, "the hold of a bare EHLO")
	b.axe("a line held")
	b.do(chromedp.Click(chromedp.ID("hold-edit")))
	b.wait(`document.getElementById("hold").hidden`, "the hold resolved")
	b.clear("line")

	b.eval(`document.querySelectorAll(".helper").forEach((d) => { d.open = true; }), true`, nil)
	b.axe("the helpers open")
	b.eval(`document.querySelectorAll(".helper").forEach((d) => { d.open = false; }), true`, nil)

	deliver(b, "Accessible mail")
	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.getElementById("message").open && document.querySelector("#msg-panel pre") !== null`, "the message view")
	for _, tab := range []string{"text", "headers", "mime", "raw"} {
		b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#message [data-tab=%s]`, tab))))
		b.wait(fmt.Sprintf(`document.querySelector("#message [data-tab=%s]").getAttribute("aria-selected") === "true" && document.getElementById("msg-panel").childElementCount > 0`, tab), "the "+tab+" tab")
		b.axe("the message view, " + tab)
	}
	b.do(chromedp.Click(chromedp.ID("msg-close")))

	for _, d := range []struct{ open, dialog, close string }{{"export-code", "code-dialog", "code-close"}, {"share", "share-dialog", "share-close"}} {
		b.do(chromedp.Click(chromedp.ID(d.open)))
		b.wait(fmt.Sprintf(`document.getElementById(%q).open`, d.dialog), d.dialog)
		b.axe("the " + d.dialog)
		b.do(chromedp.Click(chromedp.ID(d.close)))
	}

	b.do(chromedp.Click(chromedp.ID("lessons-toggle")))
	b.wait(`document.querySelector("#lesson-body .lesson-item") !== null`, "the lesson list")
	b.axe("the lesson list")
	b.do(chromedp.Click(chromedp.CSS("#lesson-body .lesson-item")))
	b.wait(`document.querySelector("#lesson-body .steps") !== null`, "a lesson")
	b.axe("a lesson open")
}

// /embed, the compact page a course embeds, checked by axe-core before and
// after connecting, light and dark.
func TestBrowserA11yEmbed(t *testing.T) {
	t.Parallel()
	needAxe(t)
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "embed")
	b.axe("/embed")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO localhost")
	b.waitLine("server", "250 ")
	b.axe("/embed, after EHLO")
}

// deliver sends a message to the sandbox with the practice login, typed
// line by line, and waits for it in the inbox.
func deliver(b *browser, subject string) {
	b.t.Helper()
	for _, st := range []struct{ line, reply string }{
		{"AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", "235 "},
		{"MAIL FROM:<student@sandbox.smtplay>", "250 2.1.0"},
		{"RCPT TO:<friend@example.org>", "250 2.1.5"},
		{"DATA", "354 "},
	} {
		b.typeLine(st.line)
		b.waitLine("server", st.reply)
	}
	for _, l := range []string{"Subject: " + subject, "", "Hello."} {
		b.typeLine(l)
	}
	b.typeLine(".")
	b.waitLine("server", "250 2.0.0")
	b.wait(`document.querySelector("#inbox button") !== null`, "the message in the inbox")
}
