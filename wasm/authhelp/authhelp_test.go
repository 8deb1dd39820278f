package authhelp

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-sasl"

	"github.com/smtplay/smtplay/wasm/session"
)

func decode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%q is not base64: %v", s, err)
	}
	return b
}

// TestPlainServer checks the PLAIN line against go-sasl's PLAIN server.
func TestPlainServer(t *testing.T) {
	for _, tc := range []struct{ user, pass string }{
		{"gorniksmtp@gmail.com", "gorniksmtp"},
		{"łukasz", "zażółć gęślą jaźń"},
		{"a", ""},
	} {
		lines, err := Plain(tc.user, tc.pass)
		if err != nil || len(lines) != 1 {
			t.Fatalf("Plain: %v %v", lines, err)
		}
		l := lines[0]
		mech, ir, _ := strings.Cut(strings.TrimPrefix(l.Text, "AUTH "), " ")
		if mech != "PLAIN" || !l.Secret || l.Decoded != `\0`+tc.user+`\0`+session.Mask || l.RFC != "RFC 4616 §2" {
			t.Errorf("line %+v", l)
		}
		var gotUser, gotPass string
		srv := sasl.NewPlainServer(func(identity, user, pass string) error {
			gotUser, gotPass = user, pass
			return nil
		})
		if _, done, err := srv.Next(decode(t, ir)); err != nil || !done || gotUser != tc.user || gotPass != tc.pass {
			t.Errorf("server got %q %q (%v %v)", gotUser, gotPass, done, err)
		}
	}
	// The first seed's AUTH PLAIN description, checked by hand.
	lines, _ := Plain("gorniksmtp@gmail.com", "gorniksmtp")
	if string(decode(t, strings.Fields(lines[0].Text)[2])) != "\x00gorniksmtp@gmail.com\x00gorniksmtp" {
		t.Error("not \\0user\\0pass")
	}
}

// TestLoginSeed reproduces the first seed's AUTH LOGIN lines.
func TestLoginSeed(t *testing.T) {
	lines, err := Login("gorniksmtp@gmail.com", "gorniksmtp")
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Text: "AUTH LOGIN"},
		{Text: "Z29ybmlrc210cEBnbWFpbC5jb20=", Secret: true, After: "334 VXNlcm5hbWU6", Decoded: "gorniksmtp@gmail.com"},
		{Text: "Z29ybmlrc210cA==", Secret: true, After: "334 UGFzc3dvcmQ6", Decoded: session.Mask},
	}
	for i, w := range want {
		l := lines[i]
		if l.Text != w.Text || l.Secret != w.Secret || l.After != w.After || l.Decoded != w.Decoded || l.Explanation.IsZero() || l.RFC == "" {
			t.Errorf("line %d = %+v, want %+v", i, l, w)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want error
	}{
		{second(Plain("", "x")), ErrEmptyUser},
		{second(Plain("a\x00b", "x")), ErrNUL},
		{second(Plain("a", "x\x00")), ErrNUL},
		{second(Login("", "x")), ErrEmptyUser},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("got %v, want %v", tc.err, tc.want)
		}
	}
}

func second(_ []Line, err error) error { return err }

// TestThroughSession types the LOGIN lines into a session with the sandbox:
// the engine marks the same lines secret and the server's prompts match.
func TestThroughSession(t *testing.T) {
	s := session.New(session.Options{Sandbox: true})
	s.Receive([]byte("220 sandbox\r\n"))
	s.Submit("EHLO localhost")
	s.Receive([]byte("250-sandbox\r\n250 AUTH PLAIN LOGIN\r\n"))
	lines, _ := Login("alice", "secret")
	for _, l := range lines {
		if l.After != "" {
			s.Receive([]byte(l.After + "\r\n"))
		}
		a, err := s.Submit(l.Text)
		if err != nil || a.Secret != l.Secret || len(a.Warnings) > 1 {
			t.Errorf("%q: %+v %v", l.Text, a, err)
		}
	}
	s.Receive([]byte("235 2.7.0 ok\r\n"))
	if st := s.State(); !st.Authenticated {
		t.Errorf("state %+v", st)
	}
}
