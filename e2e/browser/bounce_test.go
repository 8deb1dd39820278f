package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// A student sends to bounce@ and a second recipient: the server says 250,
// the message reaches the good recipient, and a bounce (an RFC 3464 report)
// arrives in the inbox for the envelope sender, from MAILER-DAEMON, with the
// null sender as its Return-Path.
func TestBrowserBounce(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO localhost")
	b.waitLine("server", "250 LIMITS")
	for _, line := range []string{"MAIL FROM:<student@sandbox.smtplay>", "RCPT TO:<bounce@example.org>", "RCPT TO:<friend@example.org>"} {
		b.typeLine(line)
	}
	b.waitLine("server", "bounced after the message")
	b.typeLine("DATA")
	b.waitLine("server", "354 ")
	for _, line := range []string{"From: The Director <director@example.com>", "Subject: The cake is gone", "", "Sorry.", "."} {
		b.typeLine(line)
	}
	b.waitLine("server", "250 2.0.0")
	b.wait(`document.querySelectorAll("#inbox button").length === 2`, "the message and the bounce in the inbox")
	subjects := b.text(`[...document.querySelectorAll("#inbox .subject")].map((s) => s.textContent).join(" | ")`)
	if !strings.Contains(subjects, "Delivery Status Notification (Failure)") || !strings.Contains(subjects, "The cake is gone") {
		t.Fatalf("the inbox lists %q", subjects)
	}
	b.eval(`[...document.querySelectorAll("#inbox button")].find((el) => el.textContent.includes("Delivery Status Notification")).click(), true`, nil)
	b.wait(`document.querySelector("#message").open && document.querySelector("#msg-panel pre") !== null`, "the bounce to open")
	text := strings.ReplaceAll(b.text(`document.querySelector("#msg-panel pre").textContent`), "\r\n", "\n")
	for _, want := range []string{"could not\nbe delivered", "<bounce@example.org>: 550 5.1.1", "envelope sender of your message, <student@sandbox.smtplay>"} {
		if !strings.Contains(text, want) {
			t.Errorf("the bounce's text lacks %q:\n%s", want, text)
		}
	}
	if meta := b.text(`document.querySelector("#msg-meta").textContent`); !strings.Contains(meta, "From: Mail Delivery System <MAILER-DAEMON@sandbox.smtplay>") || !strings.Contains(meta, "Envelope: <> → student@sandbox.smtplay") {
		t.Errorf("the bounce's author and envelope: %q", meta)
	}
	b.shot("bounce", look{width: 1280}, look{width: 375, dark: true})
	b.do(chromedp.Click(chromedp.CSS(`#message [data-tab="raw"]`)))
	b.wait(`document.querySelector("#msg-panel pre")?.textContent.includes("Content-Type: message/delivery-status")`, "the report's raw source")
	raw := b.text(`document.querySelector("#msg-panel pre").textContent`)
	for _, want := range []string{"Return-Path: <>", "report-type=delivery-status", "Final-Recipient: rfc822; bounce@example.org", "Status: 5.1.1", "Action: failed"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the raw bounce lacks %q", want)
		}
	}
}
