package browser

import (
	"strings"
	"testing"
	"time"

	"net/smtp"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/smtplay/smtplay/e2e/apptest"
)

const polishBody = "Witaj, właśnie przeprowadzam test SMTP. ąćęłńóśźż"

// The first seed's session, typed key by key in the page: EHLO without a
// domain (held, sent anyway, its error explained), EHLO, STARTTLS and the
// TLS card, AUTH LOGIN through the helper, MAIL, RCPT, DATA through the
// composer with a Polish body, QUIT; then the message opens in the inbox
// with every letter intact.
func TestBrowserSeedFlow(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)

	if first := b.text(`document.querySelector("#target").options[0].value`); first != "sandbox" {
		t.Fatalf("first target %q", first)
	}
	if info := b.text(`document.querySelector("#target-info").textContent`); !strings.Contains(info, "student") || !strings.Contains(info, "practice") {
		t.Fatalf("target info %q: no practice login", info)
	}
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.wait(`document.querySelector("#status").dataset.status === "open"`, "the status to say connected")

	// EHLO without a domain: held before anything is sent, then sent anyway.
	b.typeLine("EHLO")
	b.wait(`!document.querySelector("#hold").hidden && document.querySelector("#hold").textContent.includes("501")`, "the 501 warning")
	if n := b.text(`String(document.querySelectorAll("#transcript li.line.client").length)`); n != "0" {
		t.Fatalf("%s client lines sent before the decision", n)
	}
	b.do(chromedp.Click(chromedp.ID("hold-send")))
	b.waitLine("server", "501 5.5.2")
	seq := b.text(`[...document.querySelectorAll("#transcript li.line.server")].find((l) => l.textContent.includes("501 5.5.2")).dataset.seq`)
	b.do(chromedp.Click(chromedp.CSS(`#transcript li[data-seq="` + seq + `"]`)))
	b.wait(`(() => { const e = document.querySelector("#transcript .explain"); return e && e.textContent.includes("501") && e.textContent.includes("5.5.2") && e.textContent.includes("needs your domain"); })()`, "the 501 explained")
	b.shot("explain", look{width: 1280}, look{width: 375, dark: true})

	b.typeLine("EHLO smtp.test")
	b.wait(`document.querySelector("#caps").textContent.includes("STARTTLS")`, "the capabilities")
	b.typeLine("STARTTLS")
	b.wait(`!document.querySelector("#tls-card").hidden`, "the TLS card")
	card := b.text(`document.querySelector("#tls-card").textContent`)
	for _, want := range []string{"TLS 1.3", "verified", "smtplay sandbox", "sandbox.smtplay"} {
		if !strings.Contains(card, want) {
			t.Errorf("TLS card lacks %q: %s", want, card)
		}
	}
	b.typeLine("EHLO smtp.test")
	b.wait(`document.querySelector("#caps").textContent.includes("AUTH") && document.querySelector('#diagram [data-phase="ready"]').classList.contains("current")`, "EHLO after TLS")

	// AUTH LOGIN through the helper, typed into its fields.
	b.do(chromedp.Click(chromedp.CSS("#auth-helper summary")))
	b.typeInto("auth-user", "student")
	b.typeInto("auth-pass", "practice")
	b.wait(`document.querySelectorAll("#auth-lines li").length === 3`, "the AUTH LOGIN lines")
	if lines := b.text(`document.querySelector("#auth-lines").textContent`); strings.Contains(lines, "cHJhY3RpY2U=") {
		t.Fatalf("the helper shows the password's base64 before it is revealed: %s", lines)
	}
	b.do(chromedp.Click(chromedp.ID("auth-send")))
	b.waitLine("server", "235 ")
	b.shot("auth", look{width: 1280, dark: true})
	transcript := b.text(`document.querySelector("#transcript").textContent`)
	if strings.Contains(transcript, "cHJhY3RpY2U=") || strings.Contains(transcript, "c3R1ZGVudA==") || !strings.Contains(transcript, "********") {
		t.Fatalf("credentials not masked in the transcript:\n%s", transcript)
	}
	if n := b.text(`String([...document.querySelectorAll("#transcript li.line.client")].filter((l) => l.querySelector(".lock")?.childElementCount).length)`); n == "0" {
		t.Fatal("no lock on the lines sent after TLS")
	}
	// A masked line reveals itself on request, its base64 decoded, and hides again.
	secret := b.text(`[...document.querySelectorAll("#transcript li.line.client")].find((l) => l.textContent.endsWith("********")).dataset.seq`)
	b.do(chromedp.Click(chromedp.CSS(`#transcript li[data-seq="` + secret + `"]`)))
	b.do(chromedp.Click(chromedp.CSS(`#transcript li[data-seq="` + secret + `"] .explain button`)))
	if shown := b.text(`document.querySelector('#transcript li[data-seq="` + secret + `"]').textContent`); !strings.Contains(shown, "c3R1ZGVudA==") || !strings.Contains(shown, "Decoded: student") {
		t.Errorf("revealed line %q", shown)
	}
	b.do(chromedp.Click(chromedp.CSS(`#transcript li[data-seq="` + secret + `"] .explain button`)))
	if shown := b.text(`document.querySelector('#transcript li[data-seq="` + secret + `"] .text').textContent`); shown != "********" {
		t.Errorf("hidden again: %q", shown)
	}

	b.typeLine("MAIL FROM:<gorniksmtp@example.org>")
	b.waitLine("server", "250 2.1.0")
	b.typeLine("RCPT TO:<gorniksmtp@example.org>")
	b.waitLine("server", "250 2.1.5")

	// DATA through the composer, which takes the envelope already given.
	b.do(chromedp.Click(chromedp.CSS("#composer summary")))
	b.wait(`document.querySelector("#c-from").value === "gorniksmtp@example.org" && document.querySelector("#c-to").value === "gorniksmtp@example.org"`,
		"the composer to take the envelope")
	b.clear("c-subject", "c-body")
	b.typeInto("c-subject", "Test SMTP — zażółć gęślą jaźń")
	b.typeInto("c-body", polishBody)
	b.do(chromedp.Click(chromedp.ID("c-review")))
	b.wait(`document.querySelector("#c-lines").textContent.includes("Subject: =?utf-8?q?")`, "the composed lines")
	b.do(chromedp.Click(chromedp.ID("c-send")))
	b.waitLine("server", "250 2.0.0")
	b.wait(`document.querySelector("#inbox button") !== null`, "the message in the inbox")
	b.typeLine("QUIT")
	b.waitLine("server", "221 ")
	b.wait(`document.querySelector("#status").dataset.status === "closed"`, "the status to say disconnected")
	// Copy says on its button whether the transcript reached the clipboard.
	b.do(chromedp.Click(chromedp.ID("copy")))
	b.wait(`["Copied", "Copy failed"].includes(document.getElementById("copy").textContent)`, "Copy to say what it did")
	b.shot("seed-flow", look{width: 1280}, look{width: 1280, dark: true}, look{width: 375}, look{width: 375, dark: true})

	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.querySelector("#message").open && document.querySelector("#msg-panel pre") !== null`, "the message to open")
	if subject := b.text(`document.querySelector("#msg-subject").textContent`); subject != "Test SMTP — zażółć gęślą jaźń" {
		t.Errorf("subject %q", subject)
	}
	if text := b.text(`document.querySelector("#msg-panel pre").textContent`); strings.TrimRight(text, "\r\n") != polishBody {
		t.Errorf("text %q, want %q", text, polishBody)
	}
	b.shot("message", look{width: 1280}, look{width: 375, dark: true})
	b.do(chromedp.Click(chromedp.CSS(`#message [data-tab="raw"]`)))
	b.wait(`document.querySelector("#msg-panel pre")?.textContent.includes("Content-Transfer-Encoding: quoted-printable")`, "the raw source")
}

// RCPT before MAIL: the engine's 503 warning shows before anything is sent.
// Taken back, the line never reaches the server: the next reply answers
// NOOP, and no 503 ever arrives.
func TestBrowserOutOfOrderWarning(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeInto("line", "eh\t") // Tab completes from the engine's suggestions
	if line := b.text(`document.querySelector("#line").value`); line != "EHLO localhost" {
		t.Fatalf("Tab completed %q", line)
	}
	b.typeInto("line", "\n")
	b.waitLine("server", "250 LIMITS")

	b.typeLine("RCPT TO:<gorniksmtp@example.org>")
	b.wait(`!document.querySelector("#hold").hidden`, "the warning")
	hold := b.text(`document.querySelector("#hold").textContent`)
	if !strings.Contains(hold, "503") || !strings.Contains(hold, "RCPT before MAIL") {
		t.Fatalf("hold %q", hold)
	}
	if got := b.text(`smtplay.exportText()`); strings.Contains(got, "-> RCPT") {
		t.Fatalf("RCPT is in the transcript:\n%s", got)
	}
	b.shot("out-of-order", look{width: 1280}, look{width: 375})

	b.do(chromedp.Click(chromedp.ID("hold-edit")))
	if line := b.text(`document.querySelector("#line").value`); line != "RCPT TO:<gorniksmtp@example.org>" {
		t.Fatalf("the line was not given back for editing: %q", line)
	}
	b.clear("line")
	b.typeLine("NOOP")
	b.waitLine("server", "I have successfully done nothing")
	b.typeInto("line", kb.ArrowUp+kb.ArrowUp+kb.ArrowUp) // NOOP, the held RCPT, EHLO
	if line := b.text(`document.querySelector("#line").value`); line != "EHLO localhost" {
		t.Errorf("three steps back in the history: %q", line)
	}
	transcript := b.transcript()
	if strings.Contains(transcript, "503") || strings.Contains(transcript, "→RCPT") {
		t.Fatalf("the held RCPT reached the server:\n%s", transcript)
	}
}

// A server that is not on the list: the page shows the proxy's sentence.
func TestBrowserRefusedTarget(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.eval(`smtplay.connect(new URL("tunnel", location.href).href.replace(/^http/, "ws"), {host: "smtp.example.org", port: 25})`, nil)
	b.wait(`!document.querySelector("#alert").hidden`, "the alert")
	alert := b.text(`document.querySelector("#alert").textContent`)
	for _, want := range []string{"only reaches the servers on its list", "smtp.example.org:25 is not on this playground's list"} {
		if !strings.Contains(alert, want) {
			t.Errorf("alert %q lacks %q", alert, want)
		}
	}
	b.wait(`document.querySelector("#status").dataset.status === "closed"`, "the status to say disconnected")
	b.shot("refused", look{width: 1280}, look{width: 375, dark: true})
}

// Mail a real client sends to the -sandbox-smtp listener shows in the page
// opened at the address smtplay prints: …/#mailbox=TOKEN.
func TestBrowserSharedMailbox(t *testing.T) {
	t.Parallel()
	a, hs := apptest.Start(t)
	addr, mailbox := apptest.ServeSandboxSMTP(t, a)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Navigate(hs.URL + "/?shared#mailbox=" + mailbox))
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
	msg := "Subject: from a real client\r\n\r\nZażółć gęślą jaźń\r\n"
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("student@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("friend@example.org"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(msg)); err != nil || w.Close() != nil {
		t.Fatalf("DATA: %v", err)
	}
	b.wait(`[...document.querySelectorAll("#inbox .subject")].some((s) => s.textContent === "from a real client")`, "the message in the inbox")

	// The playground goes away: the page keeps polling, throws nothing
	// (b.check), and keeps the list it had.
	hs.CloseClientConnections()
	hs.Listener.Close()
	time.Sleep(2 * sharedPoll)
	if got := b.text(`document.querySelector("#inbox .subject")?.textContent || ""`); got != "from a real client" {
		t.Errorf("with the playground gone the inbox shows %q", got)
	}
}

// sharedPoll is how often the page polls a shared mailbox (static/inbox.js).
const sharedPoll = 3 * time.Second
