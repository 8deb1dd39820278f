package tunnel

import (
	"errors"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wire"
)

// conversation drives a follower with client frames (">") and server lines ("<").
type step struct {
	dir  byte // '>' client frame, '<' server line
	text string
	code wire.Code // for '>': the refusal code expected, "" when accepted
	act  action    // for '<': the action expected
}

func run(t *testing.T, f *follower, steps []step) {
	t.Helper()
	for i, s := range steps {
		switch s.dir {
		case '>':
			if err := checkFrame([]byte(s.text)); err != nil {
				t.Fatalf("step %d: bad test frame %q: %v", i, s.text, err)
			}
			err := f.accept([]byte(s.text))
			var r *refusal
			var got wire.Code
			if errors.As(err, &r) {
				got = r.code
			} else if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if got != s.code {
				t.Fatalf("step %d: frame %q: refusal %q (%v), want %q", i, s.text, got, err, s.code)
			}
		case '<':
			if got := f.serverBytes([]byte(s.text)); got != s.act {
				t.Fatalf("step %d: server %q: action %v, want %v", i, s.text, got, s.act)
			}
		}
	}
}

func TestFollowerSeedFlow(t *testing.T) {
	f := newFollower()
	run(t, f, []step{
		{dir: '<', text: "220 mx.google.com ESMTP\r\n"},
		{dir: '>', text: "EHLO\r\n"},
		{dir: '<', text: "502 5.5.1 Unrecognized command.\r\n"},
		{dir: '>', text: "EHLO smtp.gmail.com\r\n"},
		{dir: '<', text: "250-mx.google.com at your service\r\n"},
		{dir: '<', text: "250 STARTTLS\r\n"},
		{dir: '>', text: "STARTTLS\r\n"},
		{dir: '>', text: "EHLO again\r\n", code: "reply_pending"},
		{dir: '<', text: "220 2.0.0 Ready to start TLS\r\n", act: actUpgrade},
		{dir: '>', text: "EHLO again\r\n", code: "reply_pending"},
	})
	f.tlsStarted()
	run(t, f, []step{
		{dir: '>', text: "EHLO smtp.gmail.com\r\n"},
		{dir: '<', text: "250 AUTH LOGIN PLAIN\r\n"},
		{dir: '>', text: "AUTH LOGIN\r\n"},
		{dir: '<', text: "334 VXNlcm5hbWU6\r\n"},
		// A continuation line that reads like a command is not one.
		{dir: '>', text: "STARTTLS\r\n"},
		{dir: '<', text: "334 UGFzc3dvcmQ6\r\n"},
		{dir: '>', text: "DATA\r\n"},
		{dir: '<', text: "235 2.7.0 Accepted\r\n"},
		{dir: '>', text: "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n"},
		{dir: '>', text: "Subject: x\r\n", code: "reply_pending"},
		{dir: '<', text: "250 2.1.0 OK\r\n"},
		{dir: '<', text: "250 2.1.5 OK\r\n"},
		{dir: '<', text: "354 Go ahead\r\n"},
		// Content that reads like commands is content.
		{dir: '>', text: "STARTTLS\r\nDATA\r\nAUTH PLAIN\r\nBDAT 10 LAST\r\n..\r\n"},
		{dir: '>', text: ".\r\nQUIT\r\n"},
		{dir: '<', text: "250 2.0.0 OK\r\n", act: actDeliver},
		{dir: '<', text: "221 bye\r\n"},
	})
	if !f.quitSent || !f.commandMode() || len(f.pending) != 0 {
		t.Fatalf("end state: quit=%v command=%v pending=%v", f.quitSent, f.commandMode(), f.pending)
	}
}

func TestFollowerRefusals(t *testing.T) {
	f := newFollower()
	f.guard = func(tlsUp bool) bool { return tlsUp }
	run(t, f, []step{
		{dir: '<', text: "220 hi\r\n"},
		{dir: '>', text: "STARTTLS\r\nEHLO x\r\n", code: "reply_pending"},
		{dir: '>', text: "DATA\r\nx\r\n", code: "reply_pending"},
		{dir: '>', text: "AUTH PLAIN AGFiAGM=\r\n", code: "not_allowed"},
		{dir: '>', text: "bdat 10 LAST\r\n", code: "not_supported"},
		{dir: '>', text: "EHLO x\r\nBDAT 3\r\n", code: "not_supported"},
		{dir: '>', text: "EHLO x\r\n"},
		{dir: '<', text: "250 ok\r\n"},
		{dir: '>', text: "DATA\r\n"},
		{dir: '<', text: "503 5.5.1 need RCPT\r\n"},
		// A refused DATA leaves command mode: STARTTLS is a command again.
		{dir: '>', text: "STARTTLS\r\n"},
		{dir: '<', text: "454 4.7.0 TLS not available\r\n"},
		{dir: '>', text: "NOOP\r\n"},
	})
	if f.tlsUp || f.upgrade {
		t.Fatal("a 454 to STARTTLS must not upgrade")
	}
}

func TestFollowerMultilineAndPieces(t *testing.T) {
	f := newFollower()
	long := "250 " + strings.Repeat("x", 20000) + "\r\n"
	run(t, f, []step{
		{dir: '<', text: "220-first\r\n"},
		{dir: '<', text: "220 second\r\n"},
		{dir: '>', text: "NOOP\r\nNOOP\r\nSTARTTLS\r\n"},
		{dir: '<', text: long[:maxPiece]},
		{dir: '<', text: long[maxPiece : 2*maxPiece]},
		{dir: '<', text: long[2*maxPiece:]},
		{dir: '<', text: "250-a\r\n"},
		{dir: '<', text: "garbage line\n"},
		{dir: '<', text: "250 b\n"},
		{dir: '<', text: "220 go\r\n", act: actUpgrade},
	})
}

func TestParseReplyStart(t *testing.T) {
	tests := []struct {
		line  string
		code  int
		final bool
	}{
		{"250 ok\r\n", 250, true},
		{"250-SIZE\r\n", 250, false},
		{"250\r\n", 250, true},
		{"250", 250, true},
		{"25", 0, false},
		{"abc def\r\n", 0, false},
		{"2a0 x\r\n", 0, false},
	}
	for _, tt := range tests {
		code, final := parseReplyStart([]byte(tt.line))
		if code != tt.code || final != tt.final {
			t.Errorf("parseReplyStart(%q) = %d, %v; want %d, %v", tt.line, code, final, tt.code, tt.final)
		}
	}
}

// TestPendingNamesTheVerbOnly: a frame sent too early names what it waits
// for by its verb, and an answer to a challenge by no content of its own.
func TestPendingNamesTheVerbOnly(t *testing.T) {
	f := newFollower()
	f.serverBytes([]byte("220 hi\r\n"))
	for _, tt := range []struct{ line, key, verb, reply string }{
		{"AUTH LOGIN\r\n", "reply-pending", "AUTH", "334 VXNlcm5hbWU6\r\n"},
		{"c2VjcmV0\r\n", "reply-pending-answer", "", "235 ok\r\n"},
		{"DATA\r\n", "reply-pending", "DATA", "354 go\r\n"},
	} {
		if err := f.accept([]byte(tt.line)); err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		err := f.accept([]byte("NOOP\r\n"))
		r, ok := errors.AsType[*refusal](err)
		if !ok || r.said.Key != tt.key || r.said.Args["verb"] != tt.verb || strings.Contains(r.Error(), "c2VjcmV0") {
			t.Errorf("after %q: %v (%+v), want %s naming %q", tt.line, err, r, tt.key, tt.verb)
		}
		f.serverBytes([]byte(tt.reply))
	}
}

// commandVerb finds the verbs the follower acts on in any case, without
// allocating for ASCII lines, and upper-cases other lines as
// bytes.ToUpper does, so that "ſtarttls" (a long s) is still STARTTLS.
func TestCommandVerb(t *testing.T) {
	for line, want := range map[string]string{
		"STARTTLS\r\n":                "STARTTLS",
		"data\r\n":                    "DATA",
		"Auth PLAIN AGFiYw==\r\n":     "AUTH",
		"quit\r\n":                    "QUIT",
		"rCpT TO:<a@example.org>\r\n": "RCPT",
		"BDAT 10 LAST\r\n":            "BDAT",
		"DATAX\r\n":                   "",
		"NOOP\r\n":                    "",
		"\r\n":                        "",
		"ſtarttls\r\n":                "STARTTLS",
	} {
		if got := commandVerb([]byte(line)); got != want {
			t.Errorf("commandVerb(%q) = %q, want %q", line, got, want)
		}
	}
	line := []byte("rcpt TO:<a@example.org>\r\n")
	if n := testing.AllocsPerRun(100, func() { _ = commandVerb(line) }); n != 0 {
		t.Errorf("%v allocations per ASCII line", n)
	}
}
