package session

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// FuzzParseReply checks that any server bytes parse without panic, that a
// parsed line gives back its own bytes, and that a session takes them.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{"250 OK\r\n", "250-SIZE 35882577\r\n", "502 5.5.1 Unrecognized command.", "334 VXNlcm5hbWU6\n", "250\r\n", "2", "hello\r\n250 x\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseReplyLine(b)
		if err == nil {
			if r.Code < 200 || r.Code > 599 {
				t.Fatalf("code %d", r.Code)
			}
			sep := "-"
			if r.Final {
				sep = " "
			}
			body := strconv.Itoa(r.Code) + sep + r.Text
			ending := map[string]string{EndingCRLF: "\r\n", EndingLF: "\n", EndingNone: ""}[r.Ending]
			if string(b) != body+ending && !(r.Final && r.Text == "" && string(b) == strconv.Itoa(r.Code)+ending) {
				t.Fatalf("%q parsed as %+v", b, r)
			}
			if r.Enhanced != "" && (!strings.HasPrefix(r.Text, r.Enhanced) || int(r.Enhanced[0]-'0') != r.Code/100) {
				t.Fatalf("enhanced %q in %+v", r.Enhanced, r)
			}
		}
		s := newTestSession(true)
		evs := s.Receive(b)
		if bytes.IndexByte(b, '\n') >= 0 && len(eventsOf(evs, EventLine)) == 0 {
			t.Fatalf("%q: a line but no line event", b)
		}
		s.Closed("server", phrase.Text{})
		if len(s.Transcript()) == 0 {
			t.Fatal("nothing recorded")
		}
	})
}

// FuzzParseCommand checks that any typed line parses without panic, keeps its
// parts inside the line, and that a session sends it back byte for byte.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"EHLO smtp.gmail.com", "MAIL FROM: <a@b> SIZE=1", "RCPT TO:b", "AUTH PLAIN AGEAYg==", "BDAT 5 LAST", "SUBJECT: x", "", ".x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := ParseCommand(line)
		if err != nil {
			if se, ok := err.(*SyntaxError); !ok || se.Code == "" || se.Message.English == "" {
				t.Fatalf("%q: error %#v", line, err)
			}
		}
		verb, _, _ := strings.Cut(line, " ")
		if c.Verb != asciiUpper(verb) || len(c.Verb) != len(verb) {
			t.Fatalf("%q: verb %q", line, c.Verb)
		}
		if !strings.Contains(line, c.Path) || !strings.Contains(line, c.Domain) {
			t.Fatalf("%q: parts %+v not in the line", line, c)
		}
		s := ready(t, true, "PIPELINING", "AUTH PLAIN LOGIN", "CHUNKING")
		a := s.Check(line)
		if strings.ContainsAny(line, "\r\n\x00") || len(line)+3 > maxFrame {
			if a.Error.English == "" {
				t.Fatalf("%q accepted", line)
			}
			return
		}
		sub, err := s.Submit(line)
		if err != nil || sub.Send != line+"\r\n" {
			t.Fatalf("Submit(%q) = %q, %v", line, sub.Send, err)
		}
	})
}
