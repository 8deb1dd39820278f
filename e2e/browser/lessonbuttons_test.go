package browser

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// A lesson line has two actions: "insert" puts it in the input line,
// "run" sends it. A sent line is marked, for the eye and in its name, and
// a second run asks first: clicking it many times sends it once.
func TestBrowserLessonButtons(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	lesson := "---\ntitle: Buttons\n---\n## Two lines\n\n```smtp\nNOOP\nEHLO localhost\n```\n\ncheck: reply 250 to EHLO\n\n## Bye\n\n```smtp\nQUIT\n```\n\ncheck: reply 221 to QUIT\n"
	var err any
	b.evalAsync(`import(document.querySelector("script[type=module]").src).then((m) => m.lessons.open({ text: `+jsString(lesson)+` })).then((e) => e && e.message)`, &err)
	if err != nil {
		t.Fatalf("the lesson: %v", err)
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	noop := `#lesson-body .step.current .run-line[data-line="NOOP"]`
	clients := func() string { return b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`) }
	if got := b.text(`[...document.querySelectorAll('` + noop + ` button')].map((x) => x.textContent + "=" + x.getAttribute("aria-label")).join(" | ")`); got != "insert=Put “NOOP” in the input line | run=Send “NOOP” now" {
		t.Errorf("the line's buttons: %q", got)
	}

	// run sends at once; the line is marked sent.
	b.do(chromedp.Click(chromedp.CSS(noop + " .run-send")))
	b.waitLine("client", "NOOP")
	b.wait(`document.querySelector('`+noop+`').classList.contains("sent")`, "the line to be marked sent")
	if v := b.text(`document.querySelector("#line").value`); v != "" {
		t.Errorf("run left %q in the input", v)
	}
	if got := b.text(`document.querySelector('` + noop + `').textContent`); got != "NOOP✓(sent)insertrun" {
		t.Errorf("the sent line reads %q", got)
	}
	if got := b.text(`document.querySelector('` + noop + ` .run-send').getAttribute("aria-label")`); got != "Send “NOOP” again (sent already)" {
		t.Errorf("the sent line's run button is named %q", got)
	}
	b.wait(`[...document.querySelectorAll("#transcript li.line.server")].some((l) => l.textContent.includes("250 2.0.0"))`, "NOOP's reply")
	b.shot("lesson-buttons", look{width: 1280}, look{width: 375, dark: true})
	b.setLook(look{width: 1280})

	// A second run asks; Cancel sends nothing, and clicking on and on
	// sends nothing either: only "Send again" does, once.
	before := clients()
	b.do(chromedp.Click(chromedp.CSS(noop + " .run-send")))
	b.wait(`document.activeElement?.classList.contains("run-again-yes")`, "the question, focused")
	if got := b.text(`document.querySelector('` + noop + ` .run-again').getAttribute("aria-label")`); got != "“NOOP” was sent already. Send it again?" {
		t.Errorf("the question is %q", got)
	}
	if got := b.text(`document.querySelector("#lesson-status").textContent`); got != "“NOOP” was sent already. Send it again?" {
		t.Errorf("announced %q", got)
	}
	b.shot("lesson-again", look{width: 1280})
	b.do(chromedp.Click(chromedp.CSS(noop + " .run-again-no")))
	b.wait(`document.activeElement?.classList.contains("run-send")`, "the focus back on run")
	for i := 0; i < 24; i++ {
		b.eval(`document.querySelector('`+noop+` .run-send')?.click(), true`, nil)
	}
	b.eval(`new Promise((r) => setTimeout(() => r(true), 300))`, nil)
	if got := clients(); got != before {
		t.Fatalf("runs of a sent line went without asking: %s client lines, %s before\n%s", got, before, b.transcript())
	}
	b.do(chromedp.Click(chromedp.CSS(noop + " .run-again-yes")))
	b.wait(`document.querySelectorAll("#transcript li.line.client").length === `+before+` + 1`, "the line sent again")

	// insert only fills the input; Enter sends it, and it is marked too.
	ehlo := `#lesson-body .step.current .run-line[data-line="EHLO localhost"]`
	before = clients()
	b.do(chromedp.Click(chromedp.CSS(ehlo + " .insert")))
	if v := b.text(`document.querySelector("#line").value`); v != "EHLO localhost" || clients() != before {
		t.Fatalf("insert: the input holds %q, %s client lines (were %s)", v, clients(), before)
	}
	b.typeInto("line", "\n")
	b.wait(`document.querySelector("#lesson-body .step.done .run-line[data-line='EHLO localhost']")?.classList.contains("sent")`, "the inserted line, sent, marked in its done step")

	// A new session forgets what was sent.
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.wait(`document.querySelectorAll("#lesson-body .run-line.sent").length === 0`, "the marks gone with the session")
}
