package browser

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// inView is a JavaScript condition: the element with the id is on screen,
// inside the side panel's visible part where that scrolls on its own.
func inView(id string) string {
	return `(() => {
		const r = document.getElementById("` + id + `").getBoundingClientRect();
		const s = document.querySelector(".side").getBoundingClientRect();
		return r.height > 0 && r.top >= Math.max(0, s.top) - 1 && r.top + 24 <= Math.min(innerHeight, s.bottom);
	})()`
}

// sendMessage connects when no session is open and sends one message to
// the sandbox by typing it, saying EHLO as helo.
func (b *browser) sendMessage(helo, subject string) {
	b.t.Helper()
	if b.text(`document.querySelector("#status").dataset.status`) != "open" {
		b.do(chromedp.Click(chromedp.ID("connect")))
		b.waitLine("server", "220 ")
	}
	for _, l := range []string{"EHLO " + helo, "MAIL FROM:<student@sandbox.smtplay>", "RCPT TO:<friend@example.org>", "DATA", "Subject: " + subject, "", "Hello.", "."} {
		b.typeLine(l)
	}
	b.waitLine("server", "queued")
}

// At 1280×800 the inbox is far down the side panel. A message the sandbox
// takes says so: a count on the top bar's Inbox button, a polite
// announcement, and a line after the 250 with a button that brings the
// inbox into view and puts the focus on the new message.
func TestBrowserInboxSignal(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.EmulateViewport(1280, 800))
	b.sendMessage("localhost", "Signal test")
	b.wait(`document.querySelector("#transcript .line-action button") !== null`, "a new-mail line in the transcript")
	var order struct {
		After  bool
		Badge  string
		Status string
	}
	b.eval(`(() => {
		const lines = [...document.querySelectorAll("#transcript li.line")];
		const note = lines.findIndex((l) => l.querySelector(".line-action"));
		const queued = lines.findIndex((l) => l.classList.contains("server") && l.textContent.includes("queued"));
		const badge = document.querySelector("#inbox-badge");
		return { after: queued >= 0 && note === queued + 1, badge: badge.hidden ? "" : badge.textContent, status: document.querySelector("#inbox-status").textContent };
	})()`, &order)
	if !order.After {
		t.Errorf("the new-mail line does not follow the 250 that took the message:\n%s", b.transcript())
	}
	if order.Badge != "1" || b.text(`document.querySelector("#inbox-toggle").getAttribute("aria-label") || ""`) != "Inbox, 1 new" {
		t.Errorf("the Inbox button's count %q, label %q", order.Badge, b.text(`document.querySelector("#inbox-toggle").getAttribute("aria-label") || ""`))
	}
	if order.Status != "New mail in the inbox: “Signal test”." {
		t.Errorf("announced %q", order.Status)
	}
	if b.holds(inView("inbox-card")) {
		t.Fatal("the inbox is already in view at 1280×800: the test proves nothing")
	}
	b.shot("inbox-signal", look{width: 1280}, look{width: 1280, dark: true})
	b.do(chromedp.Click(chromedp.CSS("#transcript .line-action button")))
	b.wait(inView("inbox-card"), "the inbox to come into view")
	b.wait(`document.activeElement?.closest("#inbox")?.querySelector(".subject")?.textContent === "Signal test"`, "the focus on the new message")
	if !b.holds(`document.querySelector("#inbox-badge").hidden`) {
		t.Error("the count stays after the inbox was shown")
	}
	b.shot("inbox-shown", look{width: 1280}, look{width: 375}, look{width: 375, dark: true})

	// The top bar's button does the same from anywhere.
	b.do(chromedp.EmulateViewport(1280, 800))
	b.eval(`document.querySelector(".side").scrollTop = 0, document.querySelector("#line").focus(), true`, nil)
	b.do(chromedp.Click(chromedp.ID("inbox-toggle")))
	b.wait(inView("inbox-card")+` && document.activeElement.closest("#inbox") !== null`, "the Inbox button to show the inbox")
}

// A lesson step with "show: inbox" brings the inbox into view when it
// opens (the focus stays in the input) and offers a button for it; a
// "show:" of something else is a mistake with its line number.
func TestBrowserInboxLessonStep(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.EmulateViewport(1280, 800))
	var bad string
	b.evalAsync(`import(new URL("lessonfile.js", document.querySelector("script[type=module]").src)).then((m) => { try { m.parseLesson("---\ntitle: T\n---\n## A\nshow: helpers\ncheck: reply 250\n"); return "parsed"; } catch (e) { return e.message; } })`, &bad)
	if bad != `line 5: "show" wants one of inbox: "helpers"` {
		t.Errorf("show: helpers: %q", bad)
	}
	lesson := "---\ntitle: Look\n---\n## Greet\n\n```smtp\nEHLO localhost\n```\n\ncheck: reply 250 to EHLO\n\n## Look in the inbox\n\nOpen the message in the **Sandbox inbox**.\n\nshow: inbox\n\n```smtp\nQUIT\n```\n\ncheck: reply 221 to QUIT\n"
	var err any
	b.evalAsync(`import(document.querySelector("script[type=module]").src).then((m) => m.lessons.open({ text: `+jsString(lesson)+` })).then((e) => e && e.message)`, &err)
	if err != nil {
		t.Fatalf("the lesson: %v", err)
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	if b.holds(inView("inbox-card")) {
		t.Fatal("the inbox is already in view at 1280×800: the test proves nothing")
	}
	if b.holds(`document.querySelector("#lesson-body .show-inbox") !== null`) {
		t.Error("a step that does not point to the inbox has its button")
	}
	b.do(chromedp.Click(chromedp.CSS("#lesson-body .step.current .run-send")))
	b.wait(`document.querySelector("#lesson-body .step.current .step-title")?.textContent === "Look in the inbox"`, "the step that points to the inbox")
	b.wait(inView("inbox-card"), "the inbox to come into view as the step opens")
	if b.text(`document.activeElement.id`) == "inbox-title" {
		t.Error("the step took the focus")
	}
	b.eval(`document.querySelector(".side").scrollTop = 0, true`, nil)
	b.do(chromedp.Click(chromedp.CSS("#lesson-body .step.current .show-inbox")))
	b.wait(inView("inbox-card"), "the step's button to show the inbox")
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
