package export

import (
	"encoding/base64"
	"reflect"
	"testing"

	"github.com/smtplay/smtplay/wasm/session"
)

// seedTranscript plays the first seed's session (STARTTLS, AUTH LOGIN, one
// recipient refused) through the session engine and returns it.
func seedTranscript(t *testing.T, implicit bool) *session.Session {
	t.Helper()
	s := session.New(session.Options{Sandbox: true})
	b64 := func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }
	send := func(line string) {
		t.Helper()
		if _, err := s.Submit(line); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
	}
	recv := func(lines string) { s.Receive([]byte(lines)) }
	if implicit {
		s.TLSStarted(session.TLSInfo{Version: "TLS 1.3"})
	}
	recv("220 sandbox ready\r\n")
	if !implicit {
		send("EHLO first.example")
		recv("250-sandbox\r\n250 STARTTLS\r\n")
		send("STARTTLS")
		recv("220 2.0.0 Ready to start TLS\r\n")
		s.TLSStarted(session.TLSInfo{Version: "TLS 1.3"})
	}
	send("EHLO smtp.gmail.com")
	recv("250-sandbox\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n")
	send("AUTH LOGIN")
	recv("334 VXNlcm5hbWU6\r\n")
	send(b64("student"))
	recv("334 UGFzc3dvcmQ6\r\n")
	send(b64("practice"))
	recv("235 2.7.0 Authentication successful\r\n")
	send("MAIL FROM:<gorniksmtp@gmail.com>")
	recv("250 2.1.0 OK\r\n")
	send("RCPT TO:<unknown@example.org>")
	recv("550 5.1.1 no such user\r\n")
	send("RCPT TO:<gorniksmtp@gmail.com>")
	recv("250 2.1.5 OK\r\n")
	send("DATA")
	recv("354 Go ahead\r\n")
	for _, l := range seedSession().Message() {
		send(l)
	}
	send(".")
	recv("250 2.0.0 OK queued\r\n")
	send("QUIT")
	recv("221 2.0.0 Bye\r\n")
	return s
}

// The seed's session read back from the engine's transcript is the Session
// the golden files show; the password only when revealed.
func TestExportFromTranscript(t *testing.T) {
	for _, implicit := range []bool{false, true} {
		s := seedTranscript(t, implicit)
		want := seedSession()
		want.Host, want.Port, want.Sandbox = "", 0, false
		if implicit {
			want.TLS = TLSImplicit
		}
		got := FromTranscript(s.Transcript(), TranscriptOptions{Reveal: s.Reveal})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("implicit=%v:\n got %+v\nwant %+v", implicit, got, want)
		}
		got = FromTranscript(s.Transcript(), TranscriptOptions{Reveal: s.Reveal, RevealPassword: true})
		if got.Password != "practice" {
			t.Errorf("revealed password: %q", got.Password)
		}
		got = FromTranscript(s.Transcript(), TranscriptOptions{})
		if got.Auth != AuthLogin || got.Username != "" || got.Password != "" {
			t.Errorf("without Reveal: auth %q user %q password %q", got.Auth, got.Username, got.Password)
		}
	}
}

// AUTH PLAIN, with the initial response or after a 334, gives the user name.
func TestExportFromTranscriptPlain(t *testing.T) {
	blob := base64.StdEncoding.EncodeToString([]byte("\x00student\x00practice"))
	for _, lines := range [][]string{{"AUTH PLAIN " + blob}, {"AUTH PLAIN", blob}} {
		s := session.New(session.Options{Sandbox: true})
		s.Receive([]byte("220 ready\r\n"))
		s.Submit("EHLO x")
		s.Receive([]byte("250 AUTH PLAIN\r\n"))
		for i, l := range lines {
			if _, err := s.Submit(l); err != nil {
				t.Fatal(err)
			}
			if i < len(lines)-1 {
				s.Receive([]byte("334 \r\n"))
			}
		}
		s.Receive([]byte("235 ok\r\n"))
		got := FromTranscript(s.Transcript(), TranscriptOptions{Reveal: s.Reveal, RevealPassword: true})
		if got.Auth != AuthPlain || got.Username != "student" || got.Password != "practice" || got.TLS != TLSNone {
			t.Errorf("%q: %+v", lines, got)
		}
		// Without Reveal the mechanism is still known; the credentials are not.
		got = FromTranscript(s.Transcript(), TranscriptOptions{})
		if got.Auth != AuthPlain || got.Username != "" || got.Password != "" {
			t.Errorf("%q without Reveal: %+v", lines, got)
		}
	}
}

// AUTH LOGIN with the user name as initial response: the one answer after
// it is the password.
func TestExportFromTranscriptLoginInitial(t *testing.T) {
	b64 := func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }
	s := session.New(session.Options{Sandbox: true})
	s.Receive([]byte("220 ready\r\n"))
	s.Submit("EHLO x")
	s.Receive([]byte("250 AUTH LOGIN\r\n"))
	for _, exchange := range [][2]string{{"AUTH LOGIN " + b64("student"), "334 UGFzc3dvcmQ6"}, {b64("practice"), "235 ok"}} {
		if _, err := s.Submit(exchange[0]); err != nil {
			t.Fatal(err)
		}
		s.Receive([]byte(exchange[1] + "\r\n"))
	}
	got := FromTranscript(s.Transcript(), TranscriptOptions{Reveal: s.Reveal, RevealPassword: true})
	if got.Auth != AuthLogin || got.Username != "student" || got.Password != "practice" {
		t.Errorf("revealed: %+v", got)
	}
	got = FromTranscript(s.Transcript(), TranscriptOptions{})
	if got.Auth != AuthLogin || got.Username != "" || got.Password != "" {
		t.Errorf("without Reveal: %+v", got)
	}
}
