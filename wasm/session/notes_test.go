package session

import (
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// TestReplyNotes checks what a reply is said to mean at each point.
func TestReplyNotes(t *testing.T) {
	cmd := func(line string) pending {
		c, _ := ParseCommand(line)
		return pending{kind: kindCommand, cmd: c}
	}
	for _, tc := range []struct {
		p     pending
		code  int
		lines []string
		want  string
	}{
		{pending{kind: kindGreeting}, 220, nil, "EHLO <your-domain>"},
		{pending{kind: kindGreeting}, 554, nil, "QUIT"},
		{cmd("EHLO x.example"), 250, nil, "extension"},
		{cmd("HELO x.example"), 250, nil, "without extensions"},
		{cmd("HELO"), 501, nil, "HELO localhost"},
		{cmd("EHLO x.example"), 502, nil, "only know HELO"},
		{cmd("AUTH LOGIN"), 235, nil, "logged in"},
		{cmd("AUTH LOGIN"), 504, nil, "AUTH line"},
		{cmd("AUTH LOGIN"), 538, nil, "STARTTLS"},
		{pending{kind: kindAuthReply}, 535, nil, "echo -n"},
		{pending{kind: kindAuthReply}, 432, nil, ""},
		{cmd("MAIL FROM:<a@b>"), 530, []string{"5.7.0 Must issue a STARTTLS command first"}, "STARTTLS first"},
		{cmd("MAIL FROM:<a@b>"), 530, []string{"5.7.0 Authentication required"}, "AUTH"},
		{cmd("MAIL FROM:<a@b>"), 250, nil, "RCPT TO"},
		{cmd("RCPT TO:<a@b>"), 251, nil, "accepted"},
		{cmd("RCPT TO:<a@b>"), 450, nil, "others stay"},
		{cmd("DATA"), 354, nil, "single dot"},
		{pending{kind: kindEndOfData}, 250, nil, "taken the message"},
		{pending{kind: kindEndOfData}, 552, nil, "not accepted"},
		{cmd("STARTTLS"), 220, nil, "handshake"},
		{cmd("QUIT"), 221, nil, "Goodbye"},
		{cmd("RSET"), 250, nil, "forgotten"},
		{cmd("MAIL FROM:<a@b>"), 503, nil, "Out of order"},
		{cmd("FROB"), 500, nil, "does not know"},
		{cmd("NOOP"), 421, nil, "closing"},
		{cmd("NOOP"), 250, nil, ""},
	} {
		got := replyNote(tc.p, Reply{Code: tc.code, Lines: tc.lines}).English
		if (tc.want == "" && got != "") || !strings.Contains(got, tc.want) {
			t.Errorf("note for %d to %s = %q, want %q", tc.code, tc.p.to(), got, tc.want)
		}
	}
}

func TestOddCodes(t *testing.T) {
	s := newTestSession(true)
	r := lastReply(t, recv(s, "269 2.9.9 odd"))
	if r.Title.English == "" || !strings.Contains(r.Category.English, "x6z") || r.EnhancedTitle == "" || r.Explanation.English == "" {
		t.Errorf("odd reply %+v", r)
	}
}

func TestOptimistic(t *testing.T) {
	for verb, want := range map[string]int{"STARTTLS": 220, "DATA": 354, "QUIT": 221, "AUTH": 235, "MAIL": 250} {
		if got := optimistic(pending{kind: kindCommand, cmd: Command{Verb: verb}}); got != want {
			t.Errorf("%s: %d", verb, got)
		}
	}
	if optimistic(pending{kind: kindAuthReply}) != 235 || optimistic(pending{kind: kindGreeting}) != 220 {
		t.Error("kinds")
	}
}

// TestResetBeforeHello: RSET is allowed before EHLO and keeps the phase,
// also after STARTTLS.
func TestResetBeforeHello(t *testing.T) {
	s := ready(t, true, "STARTTLS")
	send(t, s, "STARTTLS")
	recv(s, "220 go")
	s.TLSStarted(TLSInfo{Version: "TLS 1.3", Verified: true})
	send(t, s, "RSET")
	recv(s, "250 ok")
	wantPhase(t, s, PhaseTLS)
	s = newTestSession(true)
	recv(s, "220 hi")
	send(t, s, "RSET")
	recv(s, "250 ok")
	wantPhase(t, s, PhaseGreeted)
	if a := s.Check("RCPT TO:<a@b.example>"); !hasWarning(a.Warnings, WarnRcptBeforeMail) {
		t.Errorf("%v", codes(a.Warnings))
	}
	if a := s.Check("RCPT TO"); !hasWarning(a.Warnings, WarnSyntax) {
		t.Errorf("%v", codes(a.Warnings))
	}
	// Closed before the greeting.
	s = newTestSession(true)
	if w := eventWarnings(s.Closed("proxy", phrase.Plain("dial failed"))); len(w) != 1 || !strings.Contains(w[0].Message.English, "before the server greeted") {
		t.Errorf("%+v", w)
	}
}

func TestAuthResponseEdges(t *testing.T) {
	s := ready(t, true, "AUTH PLAIN")
	send(t, s, "AUTH PLAIN")
	evs := recv(s, "334 ")
	if p := eventsOf(evs, EventPrompt); len(p) != 1 || !strings.Contains(p[0].Prompt.Hint.English, `\0user\0password`) {
		t.Errorf("prompt %+v", p)
	}
	a := s.Check(strings.Repeat("QUFB", 3100))
	if !hasWarning(a.Warnings, WarnAuthLineTooLong) || !strings.HasPrefix(a.Explanation.English, "Your response") {
		t.Errorf("%+v", a)
	}
	if a := s.Check(""); len(a.Warnings) != 0 || !a.Secret {
		t.Errorf("empty response: %+v", a)
	}
}

func TestMoreEdges(t *testing.T) {
	// A refused AUTH answer does not echo the secret.
	s := ready(t, true, "AUTH LOGIN")
	send(t, s, "AUTH LOGIN")
	recv(s, "334 UGFzc3dvcmQ6")
	if sg := s.Suggestions(); sg[0].Line.English != "<base64 of your password>" {
		t.Errorf("%+v", sg)
	}
	a, err := s.Submit("c2VjcmV0\x00")
	if err != ErrBadLine || a.Line != Mask || a.Shown != Mask || !a.Secret || a.Error.English == "" {
		t.Errorf("%+v %v", a, err)
	}
	// BDAT chunk data is counted down.
	s = ready(t, true, "CHUNKING", "PIPELINING")
	send(t, s, "MAIL FROM:<a@b.example>")
	send(t, s, "RCPT TO:<c@d.example>")
	send(t, s, "BDAT 9 LAST")
	if a := send(t, s, "hello"); a.Mode != ModeChunk || s.State().Mode != ModeChunk {
		t.Errorf("%+v", a)
	}
	if a := send(t, s, "x"); a.Mode != ModeChunk || s.State().Mode != ModeCommand {
		t.Errorf("after the chunk: %+v %s", a, s.State().Mode)
	}
	// Closed with commands unanswered.
	s = ready(t, true, "PIPELINING")
	send(t, s, "NOOP")
	if w := eventWarnings(s.Closed("proxy", phrase.Plain("timeout"))); len(w) != 1 || !strings.Contains(w[0].Message.English, "NOOP") {
		t.Errorf("%+v", w)
	}
}

func TestAfterClose(t *testing.T) {
	s := ready(t, true)
	s.Closed("server", phrase.Plain("EOF"))
	recv(s, "421 late")
	wantPhase(t, s, PhaseClosed)
	if s.TLSStarted(TLSInfo{}) != nil {
		t.Error("TLS after close")
	}
	wantPhase(t, s, PhaseClosed)
}
