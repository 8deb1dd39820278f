package session

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
)

// TestPredictions checks the warnings Check gives before a line is sent: the
// exact set of codes, and the reply each one predicts.
func TestPredictions(t *testing.T) {
	greeted := func(t *testing.T) *Session {
		s := newTestSession(true)
		recv(s, "220 ready")
		return s
	}
	yandex := func(t *testing.T) *Session {
		return ready(t, true, "SIZE 20971520", "8BITMIME", "PIPELINING", "CHUNKING", "DSN", "AUTH LOGIN", "STARTTLS", "HELP", "X-RCPTLIMIT 25")
	}
	bare := func(t *testing.T) *Session { return ready(t, true) }
	hiding := func(t *testing.T) *Session { return ready(t, true, "STARTTLS", "PIPELINING") }
	inMail := func(t *testing.T) *Session {
		s := yandex(t)
		send(t, s, "MAIL FROM:<a@example.org>")
		recv(s, "250 ok")
		return s
	}
	inRcpt := func(t *testing.T) *Session {
		s := inMail(t)
		send(t, s, "RCPT TO:<b@example.org>")
		recv(s, "250 ok")
		return s
	}
	authed := func(t *testing.T) *Session {
		s := yandex(t)
		send(t, s, "AUTH LOGIN")
		recv(s, "334 VXNlcm5hbWU6")
		send(t, s, "YQ==")
		recv(s, "334 UGFzc3dvcmQ6")
		send(t, s, "Yg==")
		recv(s, "235 ok")
		return s
	}
	quit := func(t *testing.T) *Session {
		s := yandex(t)
		send(t, s, "QUIT")
		return s
	}
	helo := func(t *testing.T) *Session {
		s := greeted(t)
		send(t, s, "HELO client.example")
		recv(s, "250 hello")
		return s
	}
	for _, tc := range []struct {
		name   string
		setup  func(*testing.T) *Session
		line   string
		want   []string
		expect string // the Expect of the first warning
	}{
		{"before greeting", func(*testing.T) *Session { return newTestSession(true) }, "EHLO x.example", []string{WarnBeforeGreeting}, ""},
		{"ehlo", greeted, "EHLO x.example", nil, ""},
		{"ehlo no domain", greeted, "EHLO", []string{WarnHelloNoDomain}, "501"},
		{"helo bare ip", greeted, "HELO 192.0.2.1", []string{WarnAddressLiteral}, "501"},
		{"mail before ehlo", greeted, "MAIL FROM:<a@example.org>", []string{WarnNoHello}, "503"},
		{"rcpt before mail", yandex, "RCPT TO:<b@example.org>", []string{WarnRcptBeforeMail}, "503"},
		{"rcpt before mail, no brackets", yandex, "RCPT TO: b@example.org", []string{WarnRcptBeforeMail, WarnNoAngleBrackets, WarnSpaceAfterColon}, "503"},
		{"data before rcpt", inMail, "DATA", []string{WarnDataBeforeRcpt}, "554"},
		{"data before mail", yandex, "DATA", []string{WarnDataBeforeRcpt}, "503"},
		{"data", inRcpt, "DATA", nil, ""},
		{"nested mail", inMail, "MAIL FROM:<c@example.org>", []string{WarnNestedMail}, "503"},
		{"mail before auth, sandbox: a note", yandex, "MAIL FROM:<a@example.org>", []string{WarnMailBeforeAuth}, ""},
		{"mail before auth, submission server: 530", func(t *testing.T) *Session {
			return readyWith(t, Options{Submission: true}, "AUTH LOGIN", "STARTTLS")
		}, "MAIL FROM:<a@example.org>", []string{WarnMailBeforeAuth}, "530"},
		{"mail before auth, server on port 25: a note", func(t *testing.T) *Session {
			return ready(t, false, "AUTH LOGIN", "STARTTLS")
		}, "MAIL FROM:<a@example.org>", []string{WarnMailBeforeAuth}, ""},
		{"mail after auth", authed, "MAIL FROM:<a@example.org>", nil, ""},
		{"mail no auth offered", bare, "MAIL FROM:<a@example.org>", nil, ""},
		{"size above limit", authed, "MAIL FROM:<a@example.org> SIZE=30000000", []string{WarnSizeExceeds}, "552"},
		{"size within limit", authed, "MAIL FROM:<a@example.org> SIZE=3000", nil, ""},
		{"size not offered", bare, "MAIL FROM:<a@example.org> SIZE=3000", []string{WarnParamNotOffered}, "555"},
		{"body 8bitmime", authed, "MAIL FROM:<a@example.org> BODY=8BITMIME", nil, ""},
		{"body binarymime", authed, "MAIL FROM:<a@example.org> BODY=BINARYMIME", []string{WarnParamNotOffered}, "555"},
		{"unknown param", authed, "MAIL FROM:<a@example.org> FROB=1", []string{WarnParamNotOffered}, "555"},
		{"smtputf8 not offered", authed, "MAIL FROM:<ą@example.org> SMTPUTF8", []string{WarnEightBitCommand, WarnParamNotOffered}, ""},
		{"dsn notify", inMail, "RCPT TO:<b@example.org> NOTIFY=FAILURE", nil, ""},
		{"dsn not offered", helo, "MAIL FROM:<a@example.org> RET=HDRS", []string{WarnParamNotOffered}, "555"},
		{"empty recipient", inMail, "RCPT TO:<>", []string{WarnEmptyRecipient}, "501"},
		{"command too long", yandex, "NOOP " + strings.Repeat("x", 510), []string{WarnCommandTooLong}, "500"},
		{"eight-bit command", yandex, "VRFY łukasz", []string{WarnEightBitCommand}, ""},
		{"auth mechanism", yandex, "AUTH PLAIN AGEAYg==", []string{WarnAuthMechanism, WarnCleartext}, "504"},
		{"auth hidden", hiding, "AUTH LOGIN", []string{WarnAuthHidden, WarnCleartext}, "530"},
		{"auth not offered", bare, "AUTH LOGIN", []string{WarnAuthNotOffered, WarnCleartext}, "503"},
		{"auth after helo", helo, "AUTH LOGIN", []string{WarnAuthNotOffered, WarnCleartext}, "503"},
		{"auth twice", authed, "AUTH LOGIN", []string{WarnAuthAlready, WarnCleartext}, "503"},
		{"auth in transaction", inMail, "AUTH LOGIN", []string{WarnAuthInTransaction, WarnCleartext}, "503"},
		{"auth before ehlo", greeted, "AUTH LOGIN", []string{WarnNoHello, WarnCleartext}, "503"},
		{"auth no mechanism", yandex, "AUTH", []string{WarnSyntax}, "501"},
		{"auth cram-md5", func(t *testing.T) *Session { return ready(t, false, "AUTH CRAM-MD5") }, "AUTH CRAM-MD5", nil, ""},
		{"auth ir not base64", yandex, "AUTH LOGIN bm90!", []string{WarnNotBase64, WarnCleartext}, "501"},
		{"auth login ir newline: the password is asked for first", yandex, "AUTH LOGIN YWxpY2UK", []string{WarnNewlineInSecret, WarnCleartext}, ""},
		{"auth plain ir newline", func(t *testing.T) *Session { return ready(t, true, "AUTH PLAIN LOGIN") }, "AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00alice\x00secret\n")), []string{WarnNewlineInSecret, WarnCleartext}, "535"},
		{"auth ir unpadded base64", func(t *testing.T) *Session { return ready(t, true, "AUTH PLAIN LOGIN") }, "AUTH PLAIN c3R1ZGVudA", []string{WarnNotBase64, WarnCleartext}, "501"},
		{"auth ir empty", func(t *testing.T) *Session { return ready(t, true, "AUTH PLAIN") }, "AUTH PLAIN =", []string{WarnCleartext}, ""},
		{"auth ir too long", yandex, "AUTH LOGIN " + strings.Repeat("QUFB", 130), []string{WarnAuthLineTooLong, WarnCleartext}, ""},
		{"starttls", yandex, "STARTTLS", nil, ""},
		{"starttls not offered", bare, "STARTTLS", []string{WarnStartTLSNotOffered}, "502"},
		{"starttls before ehlo", greeted, "STARTTLS", []string{WarnStartTLSNotOffered}, ""},
		{"starttls with arg", yandex, "STARTTLS now", []string{WarnSyntax}, "501"},
		{"bdat", inRcpt, "BDAT 10 LAST", []string{WarnBDATTunnel}, ""},
		{"bdat not offered", func(t *testing.T) *Session {
			s := bare(t)
			send(t, s, "MAIL FROM:<a@example.org>")
			recv(s, "250 ok")
			send(t, s, "RCPT TO:<b@example.org>")
			recv(s, "250 ok")
			return s
		}, "BDAT 10 LAST", []string{WarnBDATTunnel, WarnBDATNotOffered}, ""},
		{"bdat before rcpt", inMail, "BDAT 10", []string{WarnBDATTunnel, WarnDataBeforeRcpt}, ""},
		{"bdat bad size", inRcpt, "BDAT many", []string{WarnSyntax, WarnBDATTunnel}, "501"},
		{"header as command", yandex, "SUBJECT: TEST SMTP", []string{WarnHeaderInCommand}, "500"},
		{"to as command", yandex, "TO: <a@example.org>", []string{WarnHeaderInCommand}, "500"},
		{"from as command", yandex, "From:a@example.org", []string{WarnHeaderInCommand}, "500"},
		{"dot in command mode", yandex, ".", []string{WarnDotOutsideData}, "500"},
		{"unknown", yandex, "FROBNICATE", []string{WarnUnknownCommand}, "500"},
		{"obsolete", yandex, "TURN", []string{WarnUnknownCommand}, "502"},
		{"etrn not offered", yandex, "ETRN example.org", []string{WarnUnknownCommand}, "500"},
		{"vendor command", yandex, "XCLIENT ADDR=1.2.3.4", nil, ""},
		{"empty", yandex, "", []string{WarnEmptyLine}, "500"},
		{"ehlo in transaction", inRcpt, "EHLO again.example", []string{WarnHelloResets}, ""},
		{"after quit", quit, "NOOP", []string{WarnAfterQuit}, ""},
		{"vrfy", yandex, "VRFY postmaster", nil, ""},
		{"vrfy empty", yandex, "VRFY", []string{WarnSyntax}, "501"},
		{"rset", inRcpt, "RSET", nil, ""},
		{"quit", yandex, "QUIT", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.setup(t)
			a := s.Check(tc.line)
			if got := codes(a.Warnings); !slices.Equal(got, tc.want) {
				t.Fatalf("Check(%q) warnings %v, want %v\n%+v", tc.line, got, tc.want, a.Warnings)
			}
			if len(a.Warnings) > 0 && a.Warnings[0].Expect != tc.expect {
				t.Errorf("expect %q, want %q", a.Warnings[0].Expect, tc.expect)
			}
			for _, w := range a.Warnings {
				if w.Message.English == "" || w.RFC == "" {
					t.Errorf("incomplete warning %+v", w)
				}
			}
			if a.Explanation.English == "" || a.Mode != ModeCommand || a.Seq != 0 {
				t.Errorf("analysis %+v", a)
			}
			if len(s.Transcript()) != len(s.Transcript()) || s.Check(tc.line).Line != a.Line {
				t.Error("Check is not repeatable")
			}
		})
	}
}

// TestCheckChangesNothing: Check leaves no trace.
func TestCheckChangesNothing(t *testing.T) {
	s := ready(t, true, "PIPELINING")
	before, n := s.State(), len(s.Transcript())
	s.Check("MAIL FROM:<a@example.org>")
	s.Check("AUTH PLAIN AGEAYg==")
	if after := s.State(); len(after.Pending) != len(before.Pending) || after.Phase != before.Phase || len(s.Transcript()) != n {
		t.Errorf("Check changed the session: %+v", after)
	}
}

func TestBadLines(t *testing.T) {
	s := ready(t, true)
	for _, l := range []string{"NOOP\r", "NOOP\nQUIT", "NO\x00OP"} {
		if _, err := s.Submit(l); err != ErrBadLine {
			t.Errorf("Submit(%q) = %v", l, err)
		}
	}
	if _, err := s.Submit(strings.Repeat("x", maxFrame)); err != ErrTooLong {
		t.Errorf("huge line: %v", err)
	}
}

func TestContentWarnings(t *testing.T) {
	data := func(t *testing.T, caps ...string) *Session {
		s := ready(t, true, caps...)
		send(t, s, "MAIL FROM:<a@example.org>")
		recv(s, "250 ok")
		send(t, s, "RCPT TO:<b@example.org>")
		recv(s, "250 ok")
		send(t, s, "DATA")
		recv(s, "354 go")
		return s
	}
	s := data(t, "SIZE 100")
	if a := send(t, s, "Zażółć: gęślą"); !hasWarning(a.Warnings, WarnEightBitText) || a.Header != "" || a.Title.English != "Body text" {
		t.Errorf("8-bit without 8BITMIME: %+v", a)
	}
	s = data(t, "SIZE 100")
	if a := send(t, s, "Subject: Zażółć gęślą"); !hasWarning(a.Warnings, WarnEightBitText) || a.Header != "Subject" {
		t.Errorf("8-bit without 8BITMIME: %+v", a)
	}
	if a := send(t, s, "Subject: ąę"); hasWarning(a.Warnings, WarnEightBitText) {
		t.Error("8-bit warned twice")
	}
	if a := send(t, s, " folded"); a.Title.English != "Folded header line" {
		t.Errorf("fold: %+v", a)
	}
	if a := send(t, s, "X-Mailer: smtplay"); a.Title.English != "X-Mailer: custom header" {
		t.Errorf("X- header: %+v", a)
	}
	if a := send(t, s, "Keywords: a"); a.Title.English != "Keywords: header field" {
		t.Errorf("other header: %+v", a)
	}
	if a := send(t, s, strings.Repeat("y", 40)); !hasWarning(a.Warnings, WarnSizeExceeds) || !hasWarning(a.Warnings, WarnMissingBlankLine) {
		t.Errorf("size: %v", codes(a.Warnings))
	}
	if a := send(t, s, strings.Repeat("z", 999)); !slices.Equal(codes(a.Warnings), []string{WarnTextTooLong}) {
		t.Errorf("long line: %v", codes(a.Warnings))
	}
	if sg := s.Suggestions(); len(sg) != 1 || sg[0].Line.English != "." {
		t.Errorf("body suggestions %+v", sg)
	}
	s = data(t)
	sg := s.Suggestions()
	var lines []string
	for _, g := range sg {
		lines = append(lines, g.Line.English)
	}
	if len(sg) != 8 || sg[0].Line.English != "From: <a@example.org>" || sg[1].Line.English != "To: <b@example.org>" || !strings.HasPrefix(sg[3].Line.English, "Date: Mon, 24 Sep 2012 18:38:") || sg[6].Line.English != "" || sg[7].Line.English != "." {
		t.Errorf("header suggestions %q", lines)
	}
	send(t, s, "from: <a@example.org>")
	if sg := s.Suggestions(); sg[0].Line.English != "To: <b@example.org>" {
		t.Errorf("From: still suggested: %+v", sg[0])
	}
	if a := send(t, s, "Date: Mon, 24 Sep 2012 18:38:00 +0000"); a.Header != "Date" {
		t.Errorf("Date: %+v", a)
	}
	if a := send(t, s, "."); len(a.Warnings) != 0 {
		t.Errorf("dot with From and Date: %v", codes(a.Warnings))
	}
}

func TestSuggestions(t *testing.T) {
	lines := func(sg []Suggestion) string {
		var out []string
		for _, g := range sg {
			out = append(out, g.Line.English)
		}
		return strings.Join(out, " | ")
	}
	s := newTestSession(true)
	if sg := s.Suggestions(); sg != nil {
		t.Errorf("before greeting: %q", lines(sg))
	}
	recv(s, "220 hi")
	if got := lines(s.Suggestions()); got != "EHLO localhost | HELO localhost" {
		t.Errorf("greeted: %s", got)
	}
	s = ready(t, true, "AUTH CRAM-MD5 LOGIN PLAIN", "STARTTLS", "HELP", "PIPELINING")
	if got := lines(s.Suggestions()); got != "STARTTLS | AUTH PLAIN | AUTH LOGIN | AUTH CRAM-MD5 | MAIL FROM:<you@example.org> | NOOP | HELP | QUIT" {
		t.Errorf("ready: %s", got)
	}
	send(t, s, "MAIL FROM:<a@example.org>")
	if got := lines(s.Suggestions()); got != "RCPT TO:<friend@example.org> | RSET" {
		t.Errorf("after MAIL (pipelined): %s", got)
	}
	send(t, s, "RCPT TO:<b@example.org>")
	if got := lines(s.Suggestions()); got != "DATA | RCPT TO:<another@example.org> | RSET" {
		t.Errorf("after RCPT: %s", got)
	}
	sg := s.Suggestions()
	if !sg[1].Template || sg[0].Template || sg[0].Why.English == "" {
		t.Errorf("template flags: %+v", sg)
	}
	send(t, s, "BDAT 0")
	recv(s, "250 a", "250 b", "250 c")
	if got := lines(s.Suggestions()); got != "BDAT 0 LAST | RSET" {
		t.Errorf("bdat: %s", got)
	}
	if a := s.Check("DATA"); !hasWarning(a.Warnings, WarnDataAfterBDAT) {
		t.Errorf("DATA after BDAT: %v", codes(a.Warnings))
	}
	send(t, s, "BDAT 0 LAST")
	recv(s, "250 done")
	wantPhase(t, s, PhaseReady)
	send(t, s, "MAIL FROM:<a@example.org>")
	send(t, s, "RCPT TO:<b@example.org>")
	send(t, s, "BDAT 0")
	if a := s.Check("DATA"); !hasWarning(a.Warnings, WarnDataAfterBDAT) {
		t.Errorf("DATA after pending BDAT: %v", codes(a.Warnings))
	}
}
