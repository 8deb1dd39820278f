package session

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// clock is a fake clock: every reading is 10 ms after the previous one.
type clock struct{ t time.Time }

func (c *clock) now() time.Time {
	c.t = c.t.Add(10 * time.Millisecond)
	return c.t
}

func newTestSession(sandbox bool) *Session { return newSessionWith(Options{Sandbox: sandbox}) }

// newSessionWith is a session with opt and the test clock.
func newSessionWith(opt Options) *Session {
	c := &clock{t: time.Date(2012, 9, 24, 18, 38, 0, 0, time.UTC)}
	opt.Now = c.now
	return New(opt)
}

// send submits a line that must be accepted.
func send(t *testing.T, s *Session, line string) Analysis {
	t.Helper()
	a, err := s.Submit(line)
	if errors.Is(err, ErrNeedsConfirm) {
		t.Fatalf("Submit(%q) needs confirmation: %v", line, a.Warnings)
	}
	if err != nil {
		t.Fatalf("Submit(%q): %v", line, err)
	}
	if a.Send == "" || a.Send[len(a.Send)-2:] != "\r\n" {
		t.Fatalf("Submit(%q).Send = %q: not CRLF-terminated", line, a.Send)
	}
	return a
}

// recv delivers server lines, one Receive each, with CRLF added.
func recv(s *Session, lines ...string) []Event {
	var evs []Event
	for _, l := range lines {
		evs = append(evs, s.Receive([]byte(l+"\r\n"))...)
	}
	return evs
}

func codes(ws []Warning) []string {
	var c []string
	for _, w := range ws {
		c = append(c, w.Code)
	}
	return c
}

func hasWarning(ws []Warning, code string) bool { return slices.Contains(codes(ws), code) }

func eventsOf(evs []Event, kind EventKind) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func eventWarnings(evs []Event) []Warning {
	var out []Warning
	for _, e := range eventsOf(evs, EventWarning) {
		out = append(out, *e.Warning)
	}
	return out
}

// lastReply returns the last complete reply among evs.
func lastReply(t *testing.T, evs []Event) Reply {
	t.Helper()
	r := eventsOf(evs, EventReply)
	if len(r) == 0 {
		t.Fatalf("no reply in %d events", len(evs))
	}
	return *r[len(r)-1].Reply
}

func wantPhase(t *testing.T, s *Session, want Phase) {
	t.Helper()
	if got := s.State().Phase; got != want {
		t.Fatalf("phase = %s, want %s", got, want)
	}
}

// ready makes a session that has been greeted and has said EHLO, the server
// offering caps.
func ready(t *testing.T, sandbox bool, caps ...string) *Session {
	t.Helper()
	return readyWith(t, Options{Sandbox: sandbox}, caps...)
}

// readyWith is ready for a session with opt.
func readyWith(t *testing.T, opt Options, caps ...string) *Session {
	t.Helper()
	s := newSessionWith(opt)
	recv(s, "220 mail.example.org ESMTP ready")
	send(t, s, "EHLO client.example")
	lines := []string{"250-mail.example.org"}
	for _, c := range caps {
		lines = append(lines, "250-"+c)
	}
	lines[len(lines)-1] = "250 " + lines[len(lines)-1][4:]
	recv(s, lines...)
	wantPhase(t, s, PhaseReady)
	return s
}
