package browser

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// Share and export, end to end. A session on the sandbox logs in with AUTH
// LOGIN (the practice login, through the helper) and sends a message. Its
// share link, with the transcript, carries no credential: not the
// password, not its base64, not the user name's. Export as code, opened and
// driven from the keyboard, gives Python with smtplib and the public
// practice login, and says how to serve the sandbox to programs. The link, opened in a fresh tab, shows the
// script in the lesson panel and the transcript read-only, each line
// explained as in a live session; "Run it yourself", Connect, the AUTH
// helper where the AUTH line was, "Send all these lines", and the message
// arrives.
func TestBrowserShare(t *testing.T) {
	t.Parallel()
	a, hs := apptest.Start(t)
	user, pass := a.Sandbox().Demo()
	secrets := []string{pass, apptest.B64(pass), apptest.B64(user), apptest.B64("\x00" + user + "\x00" + pass)}
	b := newBrowser(t, hs.URL)

	// (a) The session, typed.
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO share.test")
	b.wait(`document.querySelector("#caps").textContent.includes("AUTH")`, "the capabilities")
	b.login()
	for _, l := range []string{"MAIL FROM:<me@example.org>", "RCPT TO:<friend@example.org>", "DATA", "Subject: Shared hello", "", ".a line that starts with a dot", "Bye.", ".", "QUIT"} {
		b.typeLine(l)
	}
	b.waitLine("server", "221 ")
	b.wait(`[...document.querySelectorAll("#inbox .subject")].some((s) => s.textContent === "Shared hello")`, "the message in the inbox")

	// The share link, with the transcript.
	b.do(chromedp.Click(chromedp.ID("share")))
	b.wait(`document.querySelector("#share-dialog").open && document.querySelector("#share-link").value.includes("#script=")`, "the share dialog")
	b.do(chromedp.Click(chromedp.ID("share-replay")))
	b.wait(`document.querySelector("#share-link").value.includes("replay=")`, "the link with the replay")
	link := b.text(`document.querySelector("#share-link").value`)
	if note := b.text(`document.querySelector("#share-note").textContent`); !strings.Contains(note, "taken out of 2 lines") {
		t.Errorf("the dialog does not say what was left out: %q", note)
	}
	u, err := url.Parse(link)
	if err != nil || u.Path != "/" || u.RawQuery != "" {
		t.Fatalf("link %q: %v", link, err)
	}
	fragment, err := url.ParseQuery(u.Fragment)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(link, s) || strings.Contains(link, url.QueryEscape(s)) || strings.Contains(u.Fragment, s) {
			t.Errorf("the link carries %q:\n%s", s, link)
		}
	}
	script := strings.Split(fragment.Get("script"), "\n")
	if fragment.Get("target") != "sandbox" || len(script) != 11 || script[1] != "AUTH LOGIN" || script[7] != ".a line that starts with a dot" ||
		!strings.Contains(fragment.Get("replay"), "C: ********\nS: 334 UGFzc3dvcmQ6\nC: ********\nS: 235 ") {
		t.Fatalf("fragment:\n%q\n%s", script, fragment.Get("replay"))
	}
	b.shot("share-dialog", look{width: 1280}, look{width: 375, dark: true})
	b.do(chromedp.Click(chromedp.ID("share-close")))

	// (c) Export as code, from the keyboard: Enter opens it, the arrows pick Python, Escape closes it.
	b.typeInto("export-code", "\n")
	b.wait(`document.querySelector("#code-dialog").open && document.activeElement === document.querySelector("#code-format")`, "the export dialog, its format focused")
	b.typeInto("code-format", kb.ArrowDown+kb.ArrowDown)
	b.wait(`document.querySelector("#code-format").value === "python" && document.querySelector("#code-text").textContent.includes("smtplib")`, "the Python code")
	// The sandbox's practice login is public: it is in the code, its user
	// name carrying this tab's mailbox; no listener serves, and the dialog
	// says how to start one.
	code := b.text(`document.querySelector("#code-text").textContent`)
	if !strings.Contains(code, `USERNAME = "`+user+`+`) || !strings.Contains(code, `PASSWORD = "`+pass+`"`) {
		t.Errorf("the code does not log in with the practice login:\n%s", code)
	}
	if dialog := b.text(`document.querySelector("#code-dialog").textContent`); !strings.Contains(dialog, "practice login, which is public") || !strings.Contains(dialog, "smtplay-session.py") || !strings.Contains(dialog, "./bin/smtplay -sandbox-smtp 127.0.0.1:2525") {
		t.Errorf("the dialog does not say what the code holds, or how to start a listener:\n%s", dialog)
	}
	b.shot("export-dialog", look{width: 1280}, look{width: 375, dark: true})
	// Its "include secrets" is its own: the transcript's stays as it was.
	b.do(chromedp.Click(chromedp.ID("code-secrets")))
	b.wait(`document.querySelector("#code-secrets").checked && !document.querySelector("#export-secrets").checked`, "the export's switch alone ticked")
	b.do(chromedp.Click(chromedp.ID("code-secrets")))
	b.typeInto("code-format", kb.Escape)
	b.wait(`!document.querySelector("#code-dialog").open`, "Escape to close the export dialog")

	// (b) The link in a fresh tab: the script and the read-only replay.
	tab, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	c := &browser{t: t, ctx: tab, base: b.base}
	c.watch()
	c.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(link))
	c.wait(`document.body.dataset.ready === "true"`, "the shared page to be ready")
	t.Cleanup(c.check)
	c.wait(`document.querySelector(".replay-banner")?.textContent.includes("Replay of a shared session — read-only")`, "the replay banner")
	if pill := c.text(`document.getElementById("status-text").textContent`); pill != "Replay · not connected" {
		t.Errorf("the status pill says %q during a replay", pill)
	}
	if got := c.text(`document.querySelector(".lesson-title")?.textContent + " | " + document.querySelectorAll("#lesson-body .run-line").length`); got != "A shared session | 10" {
		t.Errorf("the lesson panel: %q", got)
	}
	if note := c.text(`document.querySelector("#lesson-body .script-auth")?.textContent`); !strings.Contains(note, "logged in with AUTH LOGIN. Credentials never travel in a link: log in with the AUTH helper") {
		t.Errorf("the script does not say how to log in: %q", note)
	}
	replayed := c.transcript()
	want := fmt.Sprintf("%d %d", strings.Count(fragment.Get("replay"), "C: "), strings.Count(fragment.Get("replay"), "S: "))
	if n := c.text(`String(document.querySelectorAll("#transcript li.line.client").length) + " " + document.querySelectorAll("#transcript li.line.server").length`); n != want ||
		!strings.Contains(replayed, "334 VXNlcm5hbWU6") || strings.Count(replayed, "********") != 2 {
		t.Errorf("replayed %s lines:\n%s", n, replayed)
	}
	for _, s := range secrets {
		if strings.Contains(replayed, s) {
			t.Errorf("the replay shows %q", s)
		}
	}
	if got := c.text(`[document.querySelector("#line").disabled, document.querySelector("#send").disabled, document.querySelector("#share").disabled, document.querySelector("#export-code").disabled].join(" ")`); got != "true true true true" {
		t.Errorf("the replay is not read-only: input, send, share, export disabled = %s", got)
	}
	c.explains("334 VXNlcm5hbWU6", `"VXNlcm5hbWU6" is base64 for "Username:"`)
	c.explains("RCPT TO:<friend@example.org>", "RFC 5321")
	c.shot("replay", look{width: 1280}, look{width: 375, dark: true})

	// Run it yourself: connect, log in with the helper, send all the lines.
	c.do(chromedp.Click(chromedp.CSS(".replay-banner button")))
	c.wait(`!document.querySelector(".replay-banner") && document.querySelectorAll("#transcript li").length === 0 && document.activeElement.id === "connect"`, "the replay to end")
	c.do(chromedp.Click(chromedp.ID("connect")))
	c.waitLine("server", "220 ")
	c.do(chromedp.Click(chromedp.CSS("#lesson-body .run-line:nth-child(1) button")))
	c.typeInto("line", "\n")
	c.wait(`document.querySelector("#caps").textContent.includes("AUTH")`, "EHLO from the script")
	// Where the AUTH line was, the script opens the AUTH helper.
	c.do(chromedp.Click(chromedp.CSS("#lesson-body .script-auth button")))
	c.wait(`document.querySelector("#auth-helper").open && document.activeElement.id === "auth-user" && document.querySelector("input[name=mech]:checked").value === "LOGIN"`, "the AUTH helper open on LOGIN")
	c.do(chromedp.Click(chromedp.ID("auth-demo")))
	c.wait(`document.querySelectorAll("#auth-lines li").length === 3`, "the AUTH LOGIN lines")
	c.do(chromedp.Click(chromedp.ID("auth-send")))
	c.waitLine("server", "235 ")
	c.do(chromedp.Click(chromedp.CSS("#lesson-body .run-all")))
	c.waitLine("server", "221 ")
	c.wait(`[...document.querySelectorAll("#inbox .subject")].some((s) => s.textContent === "Shared hello")`, "the shared message in the inbox")
}

// A shared transcript that is not one says so in a sentence, and the page
// goes on: the script still shows. Server text in a replay is text, never
// markup.
func TestBrowserShareMalformed(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	frag := func(script, replay string) string {
		return "#" + url.Values{"script": {script}, "replay": {replay}, "target": {"no-such-server"}}.Encode()
	}
	b := openBrowser(t, hs.URL, frag("EHLO x\nQUIT", "S: 220 ready\nEHLO x"))
	b.wait(`document.querySelector(".replay-banner.broken")?.textContent.includes("line 2: it starts with neither")`, "the sentence about the broken replay")
	if got := b.text(`document.querySelectorAll("#lesson-body .run-line").length + " " + document.querySelectorAll("#transcript li").length + " " + document.querySelector("#lesson-body").textContent.includes("no-such-server")`); got != "2 0 true" {
		t.Errorf("script lines, transcript lines, unknown server named: %s", got)
	}
	b.shot("replay-broken", look{width: 1280})
	b.do(chromedp.Click(chromedp.CSS(".replay-banner button")))
	b.wait(`!document.querySelector(".replay-banner")`, "the sentence dismissed")

	hostile := `<img src=x onerror="alert(1)"><b>bold</b>`
	c := openBrowser(t, hs.URL, frag("", "S: 220 "+hostile))
	c.waitLine("server", hostile)
	if n := c.text(`String(document.querySelectorAll("#transcript img, #transcript b").length)`); n != "0" {
		t.Errorf("server text became %s elements", n)
	}
}

// login logs in with the practice login through the AUTH helper (LOGIN).
func (b *browser) login() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS("#auth-helper summary")), chromedp.Click(chromedp.ID("auth-demo")))
	b.wait(`document.querySelectorAll("#auth-lines li").length === 3`, "the AUTH LOGIN lines")
	b.do(chromedp.Click(chromedp.ID("auth-send")))
	b.waitLine("server", "235 ")
}

// explains selects the transcript line that contains line and waits for
// its explanation to say want.
func (b *browser) explains(line, want string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`[...document.querySelectorAll("#transcript li.line")].find((l) => l.textContent.includes(%q)).click()`, line), nil)
	b.wait(fmt.Sprintf(`document.querySelector("#transcript .explain")?.textContent.includes(%q)`, want), "the explanation of "+line)
}
