package session

import (
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Waiting names the oldest line still owed a reply, its kind and when it
// was sent, and never a secret.
func TestWaiting(t *testing.T) {
	s := newTestSession(true)
	w := s.Waiting()
	if w == nil || w.Kind != kindGreeting || w.Line != "" || w.Seq != 0 || w.Since != s.start.UnixMilli() {
		t.Fatalf("before the greeting: %+v", w)
	}
	recv(s, "220 sandbox ESMTP")
	if w := s.Waiting(); w != nil {
		t.Fatalf("after the greeting: %+v", w)
	}
	send(t, s, "EHLO client.test")
	recv(s, "250-sandbox", "250-PIPELINING", "250 AUTH PLAIN LOGIN")
	a := send(t, s, "NOOP")
	send(t, s, "RSET")
	w = s.Waiting()
	if w == nil || w.Kind != kindCommand || w.Verb != "NOOP" || w.Line != "NOOP" || w.Seq != a.Seq || w.Blocks {
		t.Fatalf("NOOP and RSET unanswered: %+v", w)
	}
	recv(s, "250 ok")
	if w := s.Waiting(); w == nil || w.Verb != "RSET" {
		t.Fatalf("NOOP answered: %+v", w)
	}
	recv(s, "250 ok")

	send(t, s, "AUTH LOGIN")
	if w := s.Waiting(); w == nil || w.Verb != "AUTH" || !w.Blocks {
		t.Fatalf("AUTH unanswered: %+v", w)
	}
	recv(s, "334 VXNlcm5hbWU6")
	send(t, s, "c3R1ZGVudA==")
	w = s.Waiting()
	if w == nil || w.Kind != kindAuthReply || w.Line != Mask || !w.Blocks {
		t.Fatalf("AUTH answer unanswered: %+v", w)
	}
	recv(s, "334 UGFzc3dvcmQ6")
	send(t, s, "cHJhY3RpY2U=")
	recv(s, "235 ok")

	send(t, s, "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=")
	if w := s.Waiting(); w == nil || w.Line != "AUTH PLAIN "+Mask {
		t.Fatalf("AUTH PLAIN unanswered: %+v", w)
	}
	recv(s, "503 already authenticated")

	send(t, s, "MAIL FROM:<a@example.org>")
	send(t, s, "RCPT TO:<b@example.org>")
	recv(s, "250 ok", "250 ok")
	send(t, s, "DATA")
	recv(s, "354 go ahead")
	send(t, s, "Subject: hi")
	if w := s.Waiting(); w != nil {
		t.Fatalf("typing the message: %+v", w)
	}
	send(t, s, ".")
	if w := s.Waiting(); w == nil || w.Kind != kindEndOfData || w.Line != "." {
		t.Fatalf("the final dot unanswered: %+v", w)
	}
	recv(s, "250 queued")
	send(t, s, "QUIT")
	s.Closed("server", phrase.Text{})
	if w := s.Waiting(); w != nil {
		t.Fatalf("closed: %+v", w)
	}
}
