//go:build !js

package console

import (
	"slices"
	"testing"

	"github.com/smtplay/smtplay/wasm/session"
)

// gmailData is the first seed's message as the article types it after DATA:
// header lines in capitals, then the body with no empty line before it.
var gmailData = []string{"SUBJECT: TEST SMTP", "TO: <gorniksmtp@example.org>", "Content-type: text/html; charset=utf-8",
	"Witaj, właśnie przeprowadzam test SMTP.", "."}

// A pasted message goes line by line through the same checks as typed
// lines: the paste holds at the first line that would break the message
// (the seed's body line, with no empty line before it), the header lines
// above it sent. Fixed, the message arrives with its subject; sent anyway,
// it arrives with none, and the message view says why.
func TestPasteHoldsBrokenHeader(t *testing.T) {
	pg := startPlayground(t, false)
	for _, act := range []Action{ActionFix, ActionSend} {
		t.Run(string(act), func(t *testing.T) {
			c, r := newConsole(t)
			opened := open(t, c, r, pg, "sandbox")
			ask(t, c, r, "EHLO smtp.test")
			c.Paste(append([]string{"AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", "MAIL FROM:<gorniksmtp@example.org> BODY=8BITMIME",
				"RCPT TO:<gorniksmtp@example.org>", "DATA"}, gmailData...))
			hold := r.next(t, EventHold).View.Hold
			a := hold.Analysis
			if a.Line != gmailData[3] || !a.Breaks || a.Warnings[0].Code != session.WarnMissingBlankLine || hold.Behind != 1 ||
				a.Fix == nil || !slices.Equal(a.Fix.Lines, []string{"", gmailData[3]}) {
				t.Fatalf("hold %+v", hold)
			}
			if sent := r.sent(); !slices.Equal(sent[len(sent)-3:], gmailData[:3]) {
				t.Fatalf("sent before the hold: %q", sent)
			}
			c.Resolve(act)
			d := r.next(t, EventDelivered).Delivered
			var view struct {
				Subject    string
				HeaderNote *struct {
					Line   int
					Text   string
					Ends   string
					Fields []string
				} `json:"header_note"`
			}
			getJSON(t, pg.http+"/api/sandbox/"+opened.Mailbox+"/messages/"+d.ID, &view)
			switch act {
			case ActionFix:
				if d.Subject != "TEST SMTP" || view.HeaderNote != nil {
					t.Fatalf("fixed: delivered %+v, view %+v", d, view)
				}
				if sent := r.sent(); sent[len(sent)-3] != "" {
					t.Fatalf("no empty line sent: %q", sent)
				}
			default:
				n := view.HeaderNote
				if d.Subject != "" || n == nil || n.Line != 4 || n.Text != gmailData[3] || n.Ends != "not-a-header" ||
					!slices.Equal(n.Fields, []string{"SUBJECT", "TO", "Content-type"}) {
					t.Fatalf("sent anyway: delivered %+v, note %+v", d, n)
				}
			}
		})
	}
}

// A typed second Subject: is held with no fix: asking for one leaves it
// held; skipped, it is never sent and the message goes on.
func TestDuplicateHeaderHeld(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	open(t, c, r, pg, "sandbox")
	ask(t, c, r, "EHLO smtp.test")
	c.Paste([]string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA", "Subject: one"})
	r.replyTo(t, "DATA")
	c.Submit("Subject: two", false)
	hold := r.next(t, EventHold).View.Hold
	if a := hold.Analysis; !a.Breaks || a.Fix != nil || a.Warnings[0].Code != session.WarnDuplicateHeader || hold.Behind != 0 {
		t.Fatalf("hold %+v", hold)
	}
	c.Resolve(ActionFix)
	if c.View().Hold == nil {
		t.Fatal("a fix-less hold was resolved by ActionFix")
	}
	c.Resolve(ActionSkip)
	if rep := ask(t, c, r, "."); rep.Code != 250 {
		t.Fatalf("final dot: %+v", rep)
	}
	if slices.Contains(r.sent(), "Subject: two") {
		t.Fatalf("the skipped line was sent: %q", r.sent())
	}
}
