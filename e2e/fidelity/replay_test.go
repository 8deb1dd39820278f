package fidelity

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// The checks read the engine through its behaviour (codes, phases, keys,
// whether a text is empty), never its English, so that rewording a table
// or changing how texts are held does not break them.

// said reports whether the field name of v (a struct) holds some text,
// whatever type holds it.
func said(v any, name string) bool {
	f := reflect.ValueOf(v).FieldByName(name)
	return f.IsValid() && !f.IsZero()
}

// enhancedAtStart matches an RFC 3463 code opening a reply's text.
var enhancedAtStart = regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}( |$)`)

// checker reports what the engine cannot account for. A finding whose key
// is in known is an engine gap already reported: it is logged, not failed,
// and a known gap that no longer happens fails, so the list stays true.
type checker struct {
	t     *testing.T
	known map[string]bool
	seen  map[string]bool
}

// gap reports a finding, by a key that names it without English.
func (c *checker) gap(key, format string, args ...any) {
	c.t.Helper()
	if c.known[key] {
		c.seen[key] = true
		c.t.Logf("known engine gap %q: "+format, append([]any{key}, args...)...)
		return
	}
	c.t.Errorf("[%s] "+format, append([]any{key}, args...)...)
}

// done fails on known gaps that did not happen.
func (c *checker) done() {
	c.t.Helper()
	for k := range c.known {
		if !c.seen[k] {
			c.t.Errorf("known engine gap %q no longer happens: take it off the list", k)
		}
	}
}

// replay plays rec into a fresh Session, made as the page makes it from
// the opened message (a sandbox's profile included), with what the person
// types and what the tunnel delivers, and fails
// the test on every line the engine cannot account for:
//   - a reply whose code or enhanced code is not in wasm/explain's tables,
//     or that carries no explanation, or that answers nothing or the wrong
//     line;
//   - a server line without an explanation;
//   - a capability the engine does not know, or an AUTH mechanism;
//   - a prediction (a warning's expected code) the reply contradicts, or a
//     server said to accept a line that refuses it;
//   - a warning about a server line, or about TLS other than the test CA;
//   - a typed line the engine would send otherwise than it was sent;
//   - and an end other than closed after QUIT's 221.
//
// known lists the engine gaps already reported (see checker). It returns
// the Session and the analyses of the typed lines, for further checks.
func replay(t *testing.T, rec []Line, known ...string) (*session.Session, []session.Analysis) {
	t.Helper()
	c := &checker{t: t, known: map[string]bool{}, seen: map[string]bool{}}
	for _, k := range known {
		c.known[k] = true
	}
	defer c.done()
	s := session.New(session.Options{})
	var waiting, typed []session.Analysis // lines sent, their replies to come; every line typed
	for i, l := range rec {
		switch l.Dir {
		case Opened:
			o := l.Opened
			s = session.New(session.Options{Sandbox: o.Remote == "sandbox", Profile: o.Profile, Submission: o.Port == 587 || o.Port == 465})
		case Client:
			a, err := s.Submit(l.Text)
			if errors.Is(err, session.ErrNeedsConfirm) {
				a, err = s.SubmitConfirmed(l.Text)
			}
			if err != nil {
				t.Errorf("line %d %q: Submit: %v", i, l.Text, err)
				continue
			}
			if !said(a, "Explanation") {
				t.Errorf("line %d %q: the typed line is not explained", i, l.Text)
			}
			if l.Wire != "" && a.Send != l.Wire {
				t.Errorf("line %d %q: the engine sends %q, the line went as %q", i, l.Text, a.Send, l.Wire)
			}
			typed = append(typed, a)
			if a.Mode == session.ModeCommand || a.Mode == session.ModeAuthResponse || a.EndsData {
				waiting = append(waiting, a)
			}
		case Server:
			for _, ev := range s.Receive([]byte(l.Text)) {
				waiting = c.event(i, l.Text, ev, waiting)
				if r := ev.Reply; ev.Kind == session.EventReply && r.To == "EHLO" && r.Code == 250 && len(s.Capabilities()) != len(r.Lines)-1 {
					t.Errorf("line %d: %d capability lines, the engine keeps %d", i, len(r.Lines)-1, len(s.Capabilities()))
				}
			}
		case TLS:
			evs := s.TLSStarted(session.TLSInfo{Version: l.TLS.Version, Cipher: l.TLS.Cipher, ServerName: l.TLS.ServerName,
				Verified: l.TLS.Verified, VerifyError: l.TLS.VerifyError, Discarded: l.TLS.Discarded})
			for _, ev := range evs {
				if ev.Kind == session.EventWarning && !(ev.Warning.Code == session.WarnTLSUnverified && !l.TLS.Verified) {
					t.Errorf("line %d: TLS warning %s", i, ev.Warning.Code)
				}
			}
		case Closed:
			if p := s.State().Phase; p != session.PhaseClosing {
				t.Errorf("the server closed after QUIT, but the engine is in phase %s, not %s", p, session.PhaseClosing)
			}
			for _, ev := range s.Closed(l.Text, phrase.Text{}) {
				if ev.Kind == session.EventWarning {
					t.Errorf("closing after 221 warned: %s", ev.Warning.Code)
				}
			}
		}
	}
	if len(waiting) > 0 {
		t.Errorf("lines never matched to a reply: %d, first %q", len(waiting), waiting[0].Shown)
	}
	if p := s.State().Phase; p != session.PhaseClosed {
		t.Errorf("final phase %s, want %s", p, session.PhaseClosed)
	}
	return s, typed
}

// checkEvent checks one event of server line i and returns the lines still
// waiting for a reply.
func (c *checker) event(i int, line string, ev session.Event, waiting []session.Analysis) []session.Analysis {
	t := c.t
	t.Helper()
	text := strings.TrimRight(line, "\r\n")
	switch ev.Kind {
	case session.EventLine:
		if code, _ := strconv.Atoi(text[:3]); ev.Entry.Code != code {
			t.Errorf("line %d %q: read as code %d", i, text, ev.Entry.Code)
		}
		if !said(*ev.Entry, "Explanation") {
			t.Errorf("line %d %q: the server line is not explained", i, text)
		}
	case session.EventReply:
		c.reply(i, text, ev.Reply)
		if ev.Reply.To == "greeting" {
			break
		}
		if ev.Reply.To == "" || len(waiting) == 0 {
			t.Errorf("line %d %q: a reply the engine matched to no line (To %q)", i, text, ev.Reply.To)
			break
		}
		a := waiting[0]
		waiting = waiting[1:]
		if ev.Reply.Answers != a.Shown {
			t.Errorf("line %d %q: matched to %q, but it answers %q", i, text, ev.Reply.Answers, a.Shown)
		}
		for _, w := range a.Warnings {
			if w.Expect != "" && w.Expect != strconv.Itoa(ev.Reply.Code) {
				c.gap(fmt.Sprintf("predict %s %s, got %d", w.Code, w.Expect, ev.Reply.Code),
					"line %d %q: the engine predicted %s for %q; the server said %d", i, text, w.Expect, a.Shown, ev.Reply.Code)
			}
			if w.Accepted && ev.Reply.Code >= 400 {
				c.gap(fmt.Sprintf("accepted %s, got %d", w.Code, ev.Reply.Code),
					"line %d %q: the engine said this server accepts %q (%s); it said %d", i, text, a.Shown, w.Code, ev.Reply.Code)
			}
		}
		if p := ev.Reply.Prediction; p != nil && !p.Held {
			c.gap(fmt.Sprintf("outcome %s", p.Warning), "line %d %q: the reply says the prediction %s did not hold", i, text, p.Expected)
		}
	case session.EventCapabilities:
		for _, cp := range ev.Capabilities {
			c.capability(i, cp)
		}
	case session.EventWarning:
		c.gap("warn "+ev.Warning.Code, "line %d %q: the engine warns about a real server's line: %s", i, text, ev.Warning.Code)
	}
	return waiting
}

// checkReply checks that a complete reply is explained by the tables.
func (c *checker) reply(i int, text string, r *session.Reply) {
	t := c.t
	t.Helper()
	if _, ok := explain.Reply(r.Code); !ok {
		c.gap(fmt.Sprintf("reply %d", r.Code), "line %d %q: reply code %d is not in explain's table", i, text, r.Code)
	}
	for _, f := range []string{"Title", "Explanation", "Class", "Category"} {
		if !said(*r, f) {
			t.Errorf("line %d %q: the reply has no %s", i, text, f)
		}
	}
	if m := enhancedAtStart.FindString(strings.TrimLeft(text[3:], " -")); m != "" && r.Code/100 != 3 && r.Enhanced == "" {
		t.Errorf("line %d %q: the enhanced code %s is not read", i, text, strings.TrimSpace(m))
	}
	if r.Enhanced != "" {
		if _, ok := explain.Enhanced(r.Enhanced); !ok {
			c.gap("enhanced "+r.Enhanced, "line %d %q: enhanced code %s is not in explain's table", i, text, r.Enhanced)
		}
		if !said(*r, "EnhancedTitle") || !said(*r, "EnhancedExplanation") {
			t.Errorf("line %d %q: enhanced code %s is not explained", i, text, r.Enhanced)
		}
	}
}

// checkCapability checks that the engine knows an EHLO capability and,
// for AUTH, each mechanism.
func (c *checker) capability(i int, cp session.Capability) {
	c.t.Helper()
	if _, ok := explain.Capability(cp.Keyword); !ok || cp.RFC == "" || !said(cp, "Explanation") {
		c.gap("capability "+cp.Keyword, "line %d: capability %q reads as unknown", i, cp.Line)
	}
	if cp.Keyword == "AUTH" {
		for _, m := range cp.Params {
			if _, ok := explain.Mechanism(m); !ok {
				c.gap("mechanism "+m, "line %d: AUTH mechanism %s is unknown", i, m)
			}
		}
	}
}
