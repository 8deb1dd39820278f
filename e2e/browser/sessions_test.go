package browser

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// Reconnecting keeps the session it replaces: its lines stay above under
// "Session 1", the new one starts below under "Session 2", and each has
// its own export as code and share link, saying its own lines only.
func TestBrowserSessions(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.sendMessage("one.example", "Session one")

	b.do(chromedp.Click(chromedp.ID("connect"))) // Reconnect
	b.wait(`document.querySelectorAll("#transcript .session-head").length === 2 && document.querySelector("#status").dataset.status === "open"`, "two session headings, the second session open")
	b.typeLine("EHLO two.example")
	b.waitLine("server", "Hello two.example")
	b.login()
	b.typeLine("MAIL FROM:<two@sandbox.smtplay>")
	b.typeLine("RCPT TO:<friend@example.org>")
	b.waitLine("server", "Recipient OK")

	var heads []string
	b.eval(`[...document.querySelectorAll("#transcript .session-head")].map((h) => h.dataset.session + ": " + h.querySelector(".session-name").textContent.replace(/ · [0-9:]+$/, "") + " [" + [...h.querySelectorAll("button")].map((x) => x.textContent).join(", ") + "]")`, &heads)
	if strings.Join(heads, " | ") != "1: Session 1 · sandbox [Copy, Download, Export as code…, Share…] | 2: Session 2 · sandbox []" {
		t.Errorf("the headings: %q", heads)
	}
	var order []string
	b.eval(`[...document.querySelectorAll("#transcript > li")].filter((l) => l.classList.contains("session-head") || /EHLO|AUTH/.test(l.textContent) && l.classList.contains("client")).map((l) => l.classList.contains("session-head") ? "#" + l.dataset.session : l.querySelector(".text").textContent)`, &order)
	if strings.Join(order, " ") != "#1 EHLO one.example #2 EHLO two.example AUTH LOGIN" {
		t.Errorf("the transcript reads %q, want session 1's lines, then session 2's", order)
	}
	if got := b.text(`document.querySelector('#transcript .session-head[data-session="1"] button[aria-haspopup]').getAttribute("aria-label")`); got != "Export as code… (session 1)" {
		t.Errorf("session 1's export button is named %q", got)
	}
	b.shot("sessions", look{width: 1280}, look{width: 1280, dark: true}, look{width: 375}, look{width: 375, dark: true})
	b.eval(`document.querySelector("#transcript").scrollTop = 0, true`, nil)
	b.shot("sessions-first", look{width: 1280}, look{width: 375, dark: true})

	// Session 1's code, then the live session's: each its own.
	code := func() string {
		b.wait(`document.querySelector("#code-dialog").open && document.querySelector("#code-text").textContent !== "" || document.querySelector("#code-error").textContent !== ""`, "the code")
		if e := b.text(`document.querySelector("#code-error").textContent`); e != "" {
			t.Fatalf("the code dialog says %q", e)
		}
		s := b.text(`document.querySelector("#code-text").textContent`)
		b.do(chromedp.Click(chromedp.ID("code-close")))
		return s
	}
	b.do(chromedp.Click(chromedp.CSS(`#transcript .session-head[data-session="1"] button[data-tool="code.open"]`)))
	if s := code(); !strings.Contains(s, "one.example") || strings.Contains(s, "two.example") || !strings.Contains(s, "Session one") {
		t.Errorf("session 1's code:\n%s", s)
	}
	b.do(chromedp.Click(chromedp.ID("export-code")))
	if s := code(); !strings.Contains(s, "two.example") || strings.Contains(s, "one.example") || strings.Contains(s, "Session one") {
		t.Errorf("the live session's code:\n%s", s)
	}

	// Session 1's share link carries session 1's lines.
	link := func() string {
		b.wait(`document.querySelector("#share-dialog").open && document.querySelector("#share-link").value !== ""`, "the link")
		s := b.text(`document.querySelector("#share-link").value`)
		b.do(chromedp.Click(chromedp.ID("share-close")))
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		q, _ := url.ParseQuery(u.Fragment)
		return q.Get("script")
	}
	b.do(chromedp.Click(chromedp.CSS(`#transcript .session-head[data-session="1"] button[data-tool="share.open"]`)))
	if s := link(); !strings.HasPrefix(s, "EHLO one.example\nMAIL FROM:") || !strings.Contains(s, "Session one") {
		t.Errorf("session 1's script: %q", s)
	}
	b.do(chromedp.Click(chromedp.ID("share")))
	if s := link(); !strings.HasPrefix(s, "EHLO two.example\nAUTH LOGIN\n") || strings.Contains(s, "one") {
		t.Errorf("the live session's script: %q", s)
	}

	// A session that sent nothing is not kept: the next connection
	// replaces its lines and keeps the sessions above.
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.wait(`document.querySelectorAll("#transcript .session-head").length === 3 && document.querySelector('#transcript .session-head[data-session="3"] ~ li.line.server') !== null`, "a third heading and greeting")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.wait(`document.querySelector("#status").dataset.status === "open" && document.querySelector('#transcript .session-head[data-session="3"] ~ li.line.server') !== null`, "session 3 to open again")
	var left struct {
		Heads, Greetings int
		Ehlo             bool
	}
	b.eval(`({ heads: document.querySelectorAll("#transcript .session-head").length,
		greetings: document.querySelectorAll('#transcript .session-head[data-session="3"] ~ li.line.server').length,
		ehlo: document.querySelector("#transcript").textContent.includes("EHLO one.example") && document.querySelector("#transcript").textContent.includes("EHLO two.example") })`, &left)
	if left.Heads != 3 || left.Greetings != 1 || !left.Ehlo {
		t.Errorf("after a silent session was replaced: %+v, want 3 headings, one greeting under the third, both kept sessions", left)
	}
}
