package console

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// The practice login, and what the wire carries of it.
var (
	demoUser     = "student"
	demoPass     = "practice"
	b64User      = base64.StdEncoding.EncodeToString([]byte(demoUser))
	b64Pass      = base64.StdEncoding.EncodeToString([]byte(demoPass))
	plainBlob    = base64.StdEncoding.EncodeToString([]byte("\x00" + demoUser + "\x00" + demoPass))
	credentials  = []string{demoUser, demoPass, b64User, b64Pass, plainBlob}
	ehloReply    = []string{"S: 250-sandbox.smtplay greets you", "S: 250-PIPELINING", "S: 250-8BITMIME", "S: 250 AUTH PLAIN LOGIN"}
	messageLines = []string{
		"C: MAIL FROM:<me@example.org>", "S: 250 2.1.0 OK",
		"C: RCPT TO:<friend@example.org>", "S: 250 2.1.5 OK",
		"C: DATA", "S: 354 Go ahead",
		"C: Subject: shared", "C: ", "C: .a line that starts with a dot", "C: .",
		"S: 250 2.0.0 OK queued",
		"C: QUIT", "S: 221 2.0.0 Bye",
	}
)

// played runs "C: " and "S: " lines through a fresh engine as the console
// would in a live session, TLS coming up after the 220 to STARTTLS. A
// client line is written as typed: the engine dot-stuffs it.
func played(t *testing.T, lines ...string) *session.Session {
	t.Helper()
	s := session.New(session.Options{Sandbox: true})
	for _, l := range lines {
		if text, ok := strings.CutPrefix(l, ServerPrefix); ok {
			s.Receive([]byte(text + "\r\n"))
			if s.State().Phase == session.PhaseStartTLS {
				s.TLSStarted(session.TLSInfo{Version: "TLS 1.3", Verified: true})
			}
			continue
		}
		if _, err := s.SubmitConfirmed(strings.TrimPrefix(l, ClientPrefix)); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
	}
	return s
}

// join builds a session from pieces.
func join(parts ...[]string) []string { return slices.Concat(parts...) }

// authSessions log in each way the engine masks: AUTH LOGIN with two
// answers, AUTH LOGIN with the user name as initial response, AUTH PLAIN
// with its blob on the line, and AUTH PLAIN after an empty 334.
var authSessions = map[string]struct {
	auth    []string
	script  []string // what the script keeps of the login
	dropped int
}{
	"login": {
		[]string{"C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: " + b64User, "S: 334 UGFzc3dvcmQ6", "C: " + b64Pass, "S: 235 2.7.0 Authentication successful"},
		[]string{"AUTH LOGIN"}, 2,
	},
	"login-initial": {
		[]string{"C: AUTH LOGIN " + b64User, "S: 334 UGFzc3dvcmQ6", "C: " + b64Pass, "S: 235 2.7.0 Authentication successful"},
		[]string{"AUTH LOGIN"}, 2,
	},
	"plain-initial": {
		[]string{"C: AUTH PLAIN " + plainBlob, "S: 235 2.7.0 Authentication successful"},
		[]string{"AUTH PLAIN"}, 1,
	},
	"plain-after-334": {
		[]string{"C: auth plain", "S: 334 ", "C: " + plainBlob, "S: 235 2.7.0 Authentication successful"},
		[]string{"auth plain"}, 1,
	},
}

// A share link never carries a credential, however the session logged in:
// not the user name or password, not their base64, not the PLAIN blob.
// The script keeps the lines as typed, the AUTH line cut to its mechanism;
// the replay masks the secret lines.
func TestShareLeavesCredentialsOut(t *testing.T) {
	for name, a := range authSessions {
		t.Run(name, func(t *testing.T) {
			s := played(t, join([]string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example"}, ehloReply, a.auth, messageLines)...)
			sh := ShareOf(s.Transcript(), true)
			data, _ := json.Marshal(sh)
			for _, secret := range credentials {
				if strings.Contains(string(data), secret) {
					t.Errorf("the link data holds %q:\n%s", secret, data)
				}
			}
			want := join([]string{"EHLO client.example"}, a.script, []string{
				"MAIL FROM:<me@example.org>", "RCPT TO:<friend@example.org>", "DATA",
				"Subject: shared", "", ".a line that starts with a dot", ".", "QUIT",
			})
			if !slices.Equal(sh.Script, want) {
				t.Errorf("script:\n%q\nwant\n%q", sh.Script, want)
			}
			if sh.Dropped != a.dropped || sh.TooLong {
				t.Errorf("dropped %d (want %d), too long %v", sh.Dropped, a.dropped, sh.TooLong)
			}
			masked := 0
			for _, l := range sh.Replay {
				if strings.HasPrefix(l, ClientPrefix) && strings.HasSuffix(l, session.Mask) {
					masked++
				}
			}
			if masked != a.dropped || len(sh.Replay) != len(s.Transcript()) {
				t.Errorf("replay: %d masked lines of %d, transcript %d:\n%s", masked, len(sh.Replay), len(s.Transcript()), strings.Join(sh.Replay, "\n"))
			}
			if without := ShareOf(s.Transcript(), false); without.Replay != nil || !slices.Equal(without.Script, sh.Script) {
				t.Errorf("without replay: %+v", without)
			}
		})
	}
}

// A line the proxy refused stays in the script, as typed, but not in the
// replay: the server never saw it, and replies keep matching without it.
func TestShareRefusedLine(t *testing.T) {
	s := played(t, join([]string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example"}, ehloReply,
		[]string{"C: MAIL FROM:<me@example.org>", "S: 250 2.1.0 OK", "C: RCPT TO:<friend@example.org>", "S: 250 2.1.5 OK", "C: BDAT 5 LAST"})...)
	s.Refused("not_supported", phrase.Plain("BDAT is not carried"))
	if _, err := s.Submit("RSET"); err != nil {
		t.Fatal(err)
	}
	s.Receive([]byte("250 2.0.0 OK\r\n"))
	sh := ShareOf(s.Transcript(), true)
	if !slices.Contains(sh.Script, "BDAT 5 LAST") || slices.Contains(sh.Replay, "C: BDAT 5 LAST") {
		t.Fatalf("script %q\nreplay %q", sh.Script, sh.Replay)
	}
	evs, err := Replay(strings.Join(sh.Replay, "\n"), ReplayOptions{Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1].View.State; last.Phase != session.PhaseReady {
		t.Errorf("after RSET's 250: %+v", last)
	}
}

// A replay too long for a link is left out; the script still goes.
func TestShareTooLong(t *testing.T) {
	lines := []string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example", "S: 250 sandbox.smtplay"}
	for range MaxReplayLines / 2 {
		lines = append(lines, "C: NOOP", "S: 250 2.0.0 OK")
	}
	sh := ShareOf(played(t, lines...).Transcript(), true)
	if !sh.TooLong || sh.Replay != nil || len(sh.Script) != MaxReplayLines/2+1 {
		t.Errorf("too long %v, replay %d lines, script %d lines", sh.TooLong, len(sh.Replay), len(sh.Script))
	}
}
