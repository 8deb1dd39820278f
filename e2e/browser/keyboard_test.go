package browser

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The first seed's whole session, retyped with the keyboard alone: only key
// events, no clicks and no focus set by the test. Tab reaches Connect from
// the top of the page; Enter connects and puts the focus in the input;
// from the empty input Tab moves on to Send, Next steps and the Helpers,
// and Shift+Tab comes back; the completion list opens as a line is typed,
// ↓ chooses, Escape closes it (Tab then moves on), Tab takes a suggestion;
// each held line is decided from the hold's buttons and the focus returns
// to the input; after QUIT, Tab reaches the message in the inbox, Enter
// opens it and Escape closes it.
func TestBrowserKeyboardSeedSession(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)

	b.tabTo(`document.activeElement.id === "connect"`, "the Connect button", 30)
	b.do(keys(kb.Enter))
	b.waitLine("server", "220 ")
	b.wait(`document.activeElement.id === "line"`, "the focus in the input after connecting")

	// Out of the empty input and back.
	b.do(keys(kb.Tab))
	b.focusIs("send", "Tab from the empty input")
	n := 1 + b.tabTo(`!!document.activeElement.closest("#next")`, "a Next steps button", 20)
	n += b.tabTo(`!!document.activeElement.closest(".helper")`, "the Helpers", 40)
	for range n {
		b.do(shiftTab())
	}
	b.focusIs("line", fmt.Sprintf("%d Shift+Tab back", n))

	// The completion list.
	b.do(keys("eh"))
	b.wait(`!document.getElementById("completions").hidden && document.getElementById("line").getAttribute("aria-expanded") === "true"`, "the completion list for eh")
	b.shot("keyboard-completions", look{width: 1280}, look{width: 1280, dark: true}, look{width: 375}, look{width: 375, dark: true})
	b.do(keys(kb.ArrowDown))
	if id := b.text(`document.getElementById("line").getAttribute("aria-activedescendant") || ""`); id == "" || b.text(`document.getElementById(`+strconv.Quote(id)+`)?.getAttribute("aria-selected") || ""`) != "true" {
		t.Errorf("↓ in the list: active descendant %q is not a selected option", id)
	}
	b.shot("keyboard-completion-chosen", look{width: 1280}, look{width: 375, dark: true})
	b.do(keys(kb.Escape))
	b.wait(`document.getElementById("completions").hidden`, "Escape to close the list")
	b.do(keys(kb.Tab))
	b.focusIs("send", "Tab after Escape closed the list")
	b.do(shiftTab())
	b.focusIs("line", "Shift+Tab from Send")
	if v := b.text(`document.getElementById("line").value`); v != "eh" {
		t.Errorf("Tab with the list closed changed the line to %q", v)
	}
	b.do(keys(kb.Backspace + kb.Backspace + "eh"))
	b.wait(`!document.getElementById("completions").hidden`, "the completion list again")
	b.do(keys(kb.Tab))
	b.focusIs("line", "Tab taking a suggestion")
	if v := b.text(`document.getElementById("line").value`); v != "EHLO localhost" {
		t.Errorf("Tab took %q, want EHLO localhost", v)
	}
	b.wait(`document.getElementById("completions").hidden`, "the list closed after taking")
	for range len("EHLO localhost") {
		b.do(keys(kb.Backspace))
	}

	for _, st := range gmailRetyped(false) {
		b.keyStep(st)
	}
	b.waitLine("server", "221 ")

	// The inbox, by Tab from wherever the closed input left the focus.
	b.wait(`document.querySelector("#inbox button") !== null`, "the message in the inbox")
	b.tabTo(`!!document.activeElement.closest("#inbox button")`, "the message in the inbox", 80)
	b.do(keys(kb.Enter))
	b.wait(`document.getElementById("message").open && document.getElementById("message").contains(document.activeElement)`, "the message view open, with the focus in it")
	b.do(keys(kb.Escape))
	b.wait(`!document.getElementById("message").open && !!document.activeElement.closest("#inbox button")`, "the focus back on the message after Escape")
}

// keyStep types one seed line and Enter in the focused input; a held line
// is sent anyway from the hold's buttons, reached by Tab, and the focus
// must come back to the input.
func (b *browser) keyStep(st seedStep) {
	b.t.Helper()
	b.focusIs("line", "before typing "+strconv.Quote(st.line))
	servers := b.text(`String(document.querySelectorAll("#transcript li.line.server").length)`)
	clients := b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`)
	b.do(keys(st.line + kb.Enter))
	if st.held || st.breaks {
		b.wait(`!document.getElementById("hold").hidden && document.getElementById("hold").contains(document.activeElement)`, "the hold of "+st.line+", with the focus in it")
		b.tabTo(`document.activeElement.id === "hold-send"`, "Send anyway", 6)
		b.do(keys(kb.Enter))
	}
	b.wait(`document.querySelectorAll("#transcript li.line.client").length > `+clients, "the line "+st.line+" sent")
	if st.answer {
		b.wait(`document.querySelectorAll("#transcript li.line.server").length > `+servers, "the reply to "+st.line)
	}
	if st.line != "QUIT" {
		b.wait(`document.activeElement.id === "line"`, "the focus in the input after "+st.line)
	}
}

// tabTo presses Tab until cond holds (maybe not at all), at most max
// times, and says how many it pressed.
func (b *browser) tabTo(cond, what string, max int) int {
	b.t.Helper()
	var path []string
	for i := 0; i <= max; i++ {
		var ok bool
		b.eval(cond, &ok)
		if ok {
			return i
		}
		if i < max {
			b.do(keys(kb.Tab))
			path = append(path, b.focused())
		}
	}
	b.t.Fatalf("%d Tabs did not reach %s; the focus went: %v", max, what, path)
	return 0
}

// focusIs fails the test unless the element with the id has the focus.
func (b *browser) focusIs(id, after string) {
	b.t.Helper()
	if got := b.focused(); got != "#"+id {
		b.t.Fatalf("%s: the focus is on %s, want #%s", after, got, id)
	}
}

// focused describes the focused element: #id, or its tag and text.
func (b *browser) focused() string {
	b.t.Helper()
	return b.text(`(() => { const e = document.activeElement; return !e ? "nothing" : e.id ? "#" + e.id : e.tagName.toLowerCase() + "(" + e.textContent.trim().slice(0, 30) + ")"; })()`)
}

// shiftTab presses Shift+Tab.
func shiftTab() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			ev := input.DispatchKeyEventParams{Type: typ, Key: "Tab", Code: "Tab", WindowsVirtualKeyCode: 9, NativeVirtualKeyCode: 9, Modifiers: 8}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
				return err
			}
		}
		return nil
	})
}
