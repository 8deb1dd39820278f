package browser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// On a phone (375 px) the open lesson step stays next to the input: after
// Connect it sits just above the input line, both on screen, and it moves
// on with the lesson; a held line's box shows its title whole.
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := openBrowser(t, hs.URL, "?lesson=hello-smtp")
	b.setLook(look{width: 375})
	b.wait(`document.querySelector("#lesson-body .step.current") !== null`, "the lesson's first step")
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.wait(`document.querySelector("#status").dataset.status === "open"`, "the session to open")
	b.wait(`document.querySelector("#lesson-body .step.done") !== null || document.querySelector("#lesson-body .step.current .run-line") !== null`, "a step with lines")

	// The open step's title, just above the input, both in the viewport.
	next := func() string {
		return b.text(`document.querySelector("#lesson-body .step.current .step-title").textContent`)
	}
	besideInput := func(what string) {
		t.Helper()
		var g struct {
			Shown                      bool
			Title                      string
			NowTop, NowBottom, FormTop float64
			FormBottom, Height         float64
		}
		b.eval(`(() => {
			document.querySelector("#line").scrollIntoView({ block: "nearest" });
			const now = document.querySelector("#step-now"), form = document.querySelector("#prompt");
			const r = now.getBoundingClientRect(), f = form.getBoundingClientRect();
			return { shown: !now.hidden && r.height > 0, title: now.querySelector("strong")?.textContent || "",
				nowTop: r.top, nowBottom: r.bottom, formTop: f.top, formBottom: f.bottom, height: innerHeight };
		})()`, &g)
		want := next()
		switch {
		case !g.Shown:
			t.Fatalf("%s: no current step next to the input at 375 px", what)
		case g.Title != want:
			t.Errorf("%s: the step above the input is %q, the lesson's current step %q", what, g.Title, want)
		case g.FormTop-g.NowBottom > 16 || g.FormTop < g.NowBottom-1:
			t.Errorf("%s: the step ends %.0f px above the input (want it right above)", what, g.FormTop-g.NowBottom)
		case g.NowTop < 0 || g.FormBottom > g.Height:
			t.Errorf("%s: the step (top %.0f) and the input (bottom %.0f) are not both on a %.0f px screen", what, g.NowTop, g.FormBottom, g.Height)
		}
	}
	besideInput("after Connect")
	b.shot("phone-step", look{width: 375}, look{width: 375, dark: true})
	b.setLook(look{width: 375})

	// Its run button sends the line; the next step takes its place.
	first := next()
	sent := b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`)
	b.do(chromedp.Click(chromedp.CSS("#step-now .run-send")))
	b.wait(`document.querySelectorAll("#transcript li.line.client").length > `+sent, "the step's line to be sent from beside the input")
	b.wait(fmt.Sprintf(`document.querySelector("#lesson-body .step.current .step-title")?.textContent !== %q`, first), "the next step")
	besideInput("after the first step")

	// A held line: the box's title is whole, inside the console, on screen.
	b.typeLine("RCPT TO:<friend@example.org>")
	b.wait(`!document.querySelector("#hold").hidden`, "the line to be held")
	var cut string
	b.eval(`(() => {
		const title = document.querySelector("#hold-title"), hold = document.querySelector("#hold");
		const t = title.getBoundingClientRect(), h = hold.getBoundingClientRect();
		const c = document.querySelector(".console").getBoundingClientRect();
		if (!title.textContent) return "the title is empty";
		if (t.top < h.top || t.top < c.top) return "the title starts " + Math.round(Math.max(h.top, c.top) - t.top) + " px above its box";
		if (t.top < 0 || t.bottom > innerHeight) return "the title is off screen (" + Math.round(t.top) + " to " + Math.round(t.bottom) + ")";
		const at = document.elementFromPoint(t.left + 4, t.top + t.height / 2);
		if (!title.contains(at)) return "the title is covered by " + (at ? at.tagName + "." + at.className : "nothing");
		return "";
	})()`, &cut)
	if cut != "" {
		t.Errorf("the hold box at 375 px: %s", cut)
	}
	b.shot("phone-hold", look{width: 375}, look{width: 375, dark: true})
	if strings.TrimSpace(b.text(`document.querySelector("#hold-title").textContent`)) == "" {
		t.Error("no hold title")
	}
}
