package session

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// The two seed sessions, line for line as the articles in testdata/seeds print
// them. "C " lines are typed, "S " lines come from the server.

// gmail2012 is the first seed's PuTTY session with smtp.gmail.com:587
// (000_c9917b078b377495.txt, Rys. 3–9).
var gmail2012 = []string{
	"S 220 mx.google.com ESMTP dm3sm18090848wib.3",
	"C EHLO",
	"S 502 5.5.1 Unrecognized command. dm3sm18090848wib.3",
	"C EHLO smtp.gmail.com",
	"S 250-mx.google.com at your service",
	"S 250-SIZE 35882577",
	"S 250-8BITMIME",
	"S 250-AUTH LOGIN PLAIN XOAUTH XOAUTH2",
	"S 250-ENHANCEDSTATUSCODES",
	"S 250 STARTTLS",
	"C AUTH LOGIN",
	"S 334 VXNlcm5hbWU6",
	"C Z29ybmlrc210cEBnbWFpbC5jb20=",
	"S 334 UGFzc3dvcmQ6",
	"C Z29ybmlrc210cA==",
	"S 235 2.7.0 Accepted",
	"C MAIL FROM: <gorniksmtp@gmail.com>",
	"S 250 2.1.0 OK dm3sm18090848wib.3",
	"C RCPT TO: <gorniksmtp@gmail.com>",
	"S 250 2.1.5 OK dm3sm18090848wib.3",
	"C DATA",
	"S 354 Go ahead dm3sm18090848wib.3",
	"C SUBJECT: TEST SMTP",
	"C TO: <gorniksmtp@gmail.com>",
	"C Content-type: text/html; charset=utf-8",
	"C Witaj, właśnie przeprowadzam test SMTP.",
	"C .",
	"S 250 2.0.0 OK 1348511888 dm3sm18090848wib.3",
	"C QUIT",
}

// yandex2009 is the second seed's telnet session with smtp.yandex.ru:2025
// (001_07f3edf9ead378cc.txt). The article leaves the base64 login and
// password as placeholders; its own examples stand in for them
// (dmFzaWFwdXBraW4= is "vasiapupkin", MTIzNDU2 is "123456"). The capability
// list is as printed: "250 DSN" ends the reply, and six more lines follow.
var yandex2009 = []string{
	"S 220 Yandex ESMTP (NO UCE) (NO UBE) server ready at Mon, 2 Feb 2009 13:47:22 +0300",
	"C EHLO [91.198.212.5]",
	"S 250-smtp18.yandex.ru Hello 91.198.212.5",
	"S 250-SIZE 20971520",
	"S 250-8BITMIME",
	"S 250-PIPELINING",
	"S 250-CHUNKING",
	"S 250-ENHANCEDSTATUSCODES",
	"S 250 DSN",
	"S 250-X-RCPTLIMIT 25",
	"S 250-AUTH = LOGIN",
	"S 250-AUTH LOGIN",
	"S 250-STARTTLS",
	"S 250 HELP",
	"C AUTH LOGIN",
	"S 334 VXNlcm5hbWU6",
	"C dmFzaWFwdXBraW4=",
	"S 334 UGFzc3dvcmQ6",
	"C MTIzNDU2",
	"S 235 Authentication successful.",
	"C MAIL FROM: vasiapupkin@ya.ru",
	"S 250 2.1.0 Sender syntax Ok;",
	"C RCPT TO: billy@microsoft.com",
	"S 250 2.1.5 Recipient address syntax Ok; rcpt = <billy@microsoft.com>",
	"C DATA",
	"S 354 Start mail input; end with <CRLF>. <CRLF>",
	"C From: Vasia Pupkin <vasiapupkin@ya.ru>",
	"C To: Billy G <billy@microsoft.com>",
	"C Subject: Hello Billy",
	"C ",
	"C Hello, Billy! You'll die tomorrow!",
	"C .",
	"S 250 2.0.0 accepted; S10436885AbZBBKvs",
	"C QUIT",
	"S 221 2.0.0 smtp18.yandex.ru Out",
}

// printedAs maps a scripted line to how the article prints it, where the
// article's example is not valid as typed.
var printedAs = map[string]string{"dmFzaWFwdXBraW4=": "dmFzaWFwdXBraW4 ="}

// TestSeedLinesVerbatim checks the scripts against the seed articles
// (testdata/seeds): every scripted line must appear in the article.
func TestSeedLinesVerbatim(t *testing.T) {
	dir := filepath.Join("testdata", "seeds")
	for file, script := range map[string][]string{
		"000_c9917b078b377495.txt": gmail2012,
		"001_07f3edf9ead378cc.txt": yandex2009,
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, l := range script {
			line := l[2:]
			if printed, ok := printedAs[line]; ok {
				line = printed
			}
			if line != "" && !strings.Contains(text, line) {
				t.Errorf("%s: %q is not in the seed", file, line)
			}
		}
	}
}

// play runs a script. A client line that needs confirmation is confirmed,
// as the person in the article would. It returns the analyses of the client
// lines and the events of the server lines, by script index.
func play(t *testing.T, s *Session, script []string) (map[int]Analysis, map[int][]Event) {
	t.Helper()
	as, evs := map[int]Analysis{}, map[int][]Event{}
	for i, l := range script {
		line := l[2:]
		if l[0] == 'S' {
			evs[i] = recv(s, line)
			continue
		}
		a, err := s.Submit(line)
		if errors.Is(err, ErrNeedsConfirm) {
			a, err = s.SubmitConfirmed(line)
		}
		if err != nil {
			t.Fatalf("line %d %q: %v", i, line, err)
		}
		as[i] = a
	}
	return as, evs
}

func TestSeedGmail2012(t *testing.T) {
	s := newTestSession(false) // a real server, not the sandbox
	as, evs := play(t, s, gmail2012)

	if r := lastReply(t, evs[0]); r.To != "greeting" || r.Code != 220 || !strings.Contains(r.Note.English, "EHLO") {
		t.Errorf("greeting: %+v", r)
	}
	// EHLO without a domain: predicted, and the 502 explained.
	if w := as[1].Warnings; !hasWarning(w, WarnHelloNoDomain) || w[0].Expect != "501" {
		t.Errorf("bare EHLO warnings = %+v", w)
	}
	r := lastReply(t, evs[2])
	if r.Code != 502 || r.Enhanced != "5.5.1" || r.EnhancedTitle != "Invalid command" || r.To != "EHLO" ||
		!strings.Contains(r.Note.English, "501") || !strings.Contains(r.Class, "5yz") || !strings.Contains(r.Category.English, "x0z") {
		t.Errorf("502 to bare EHLO: %+v", r)
	}
	// The capability list.
	caps := eventsOf(evs[9], EventCapabilities)
	if len(caps) != 1 || len(caps[0].Capabilities) != 5 {
		t.Fatalf("capabilities event: %+v", caps)
	}
	size := caps[0].Capabilities[0]
	if size.Keyword != "SIZE" || !strings.Contains(size.Explanation.English, "35,882,577 bytes (34.2 MiB)") {
		t.Errorf("SIZE: %+v", size)
	}
	auth := caps[0].Capabilities[2]
	if auth.Keyword != "AUTH" || strings.Join(auth.Params, " ") != "LOGIN PLAIN XOAUTH XOAUTH2" || !strings.Contains(auth.Explanation.English, "XOAUTH2 (Google/Microsoft OAuth 2.0") {
		t.Errorf("AUTH: %+v", auth)
	}
	// AUTH LOGIN in the clear to a real server needs confirmation.
	if !as[10].NeedsConfirm || !hasWarning(as[10].Warnings, WarnCleartext) || as[10].Secret {
		t.Errorf("AUTH LOGIN analysis: %+v", as[10])
	}
	if p := eventsOf(evs[11], EventPrompt); len(p) != 1 || p[0].Prompt.Decoded != "Username:" {
		t.Errorf("334 prompt: %+v", p)
	}
	if p := eventsOf(evs[13], EventPrompt); len(p) != 1 || p[0].Prompt.Decoded != "Password:" {
		t.Errorf("334 prompt: %+v", p)
	}
	for _, i := range []int{12, 14} {
		a := as[i]
		if !a.Secret || a.Shown != Mask || a.Line != Mask || a.Mode != ModeAuthResponse || a.NeedsConfirm {
			t.Errorf("AUTH answer %d: %+v", i, a)
		}
		if raw, ok := s.Reveal(a.Seq); !ok || raw != gmail2012[i][2:] {
			t.Errorf("Reveal(%d) = %q, %v", a.Seq, raw, ok)
		}
	}
	if r := lastReply(t, evs[15]); r.Code != 235 || r.EnhancedTitle != "Other or undefined security status" {
		t.Errorf("235: %+v", r)
	}
	// MAIL FROM: <...> — a space after the colon, brackets fine.
	if c := codes(as[16].Warnings); len(c) != 1 || c[0] != WarnSpaceAfterColon {
		t.Errorf("MAIL warnings: %v", c)
	}
	if a := as[16]; a.Command.Path != "gorniksmtp@gmail.com" || !a.Command.Bracketed {
		t.Errorf("MAIL parse: %+v", a.Command)
	}
	if r := lastReply(t, evs[19]); r.EnhancedTitle != "Destination address valid" {
		t.Errorf("RCPT reply: %+v", r)
	}
	// The message: header lines in capitals, no blank line, 8-bit text.
	if a := as[22]; a.Mode != ModeContent || a.Header != "Subject" || !strings.Contains(a.Explanation.English, "case-insensitive") {
		t.Errorf("SUBJECT: line: %+v", a)
	}
	if a := as[23]; a.Header != "To" || len(a.Warnings) != 0 {
		t.Errorf("TO: line: %+v", a)
	}
	if a := as[24]; a.Header != "Content-Type" {
		t.Errorf("Content-type line: %+v", a)
	}
	if c := codes(as[25].Warnings); !hasWarning(as[25].Warnings, WarnMissingBlankLine) || !hasWarning(as[25].Warnings, WarnEightBitUndeclared) {
		t.Errorf("body line warnings: %v", c)
	}
	// The line without a colon breaks the header: held, with the empty line
	// before it offered. The header lines above it break nothing.
	if a := as[25]; !a.Breaks || a.Fix == nil || !slices.Equal(a.Fix.Lines, []string{"", gmail2012[25][2:]}) {
		t.Errorf("body line: Breaks %v, Fix %+v", a.Breaks, a.Fix)
	}
	for i := 22; i <= 24; i++ {
		if as[i].Breaks {
			t.Errorf("header line %d breaks: %v", i, codes(as[i].Warnings))
		}
	}
	if a := as[26]; !a.EndsData || len(a.Warnings) != 2 || a.Warnings[0].Code != WarnMissingHeader {
		t.Errorf("final dot: %+v", a)
	}
	if r := lastReply(t, evs[27]); r.To != "end-of-data" || !strings.Contains(r.Note.English, "taken the message") {
		t.Errorf("250 after the dot: %+v", r)
	}
	wantPhase(t, s, PhaseAuthenticated)
	s.Closed("server", phrase.Text{})
	wantPhase(t, s, PhaseClosed)

	// What the same line would be in command mode: a header, not a command.
	c := newTestSession(true).Check("SUBJECT: TEST SMTP")
	if !hasWarning(c.Warnings, WarnHeaderInCommand) || !strings.Contains(c.Explanation.English, "Some tutorials list SUBJECT:") {
		t.Errorf("SUBJECT: as a command: %+v", c)
	}

	out := s.Export(ExportOptions{})
	for _, want := range []string{
		"<-  220 mx.google.com ESMTP dm3sm18090848wib.3\n=== reply after ",
		" -> EHLO\n<-  502 5.5.1 Unrecognized command.",
		" -> AUTH LOGIN\n<-  334 VXNlcm5hbWU6\n=== reply after 0.",
		" -> ********\n<-  334 UGFzc3dvcmQ6",
		" -> Witaj, właśnie przeprowadzam test SMTP.\n -> .\n<-  250 2.0.0 OK",
		"=== Connection closed by server (without a 221 goodbye).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Z29ybmlr") {
		t.Errorf("export leaks a secret:\n%s", out)
	}
	if out := s.Export(ExportOptions{RevealSecrets: true}); !strings.Contains(out, " -> Z29ybmlrc210cA==\n") {
		t.Errorf("revealed export lacks the password line:\n%s", out)
	}
}

func TestSeedYandex2009(t *testing.T) {
	s := newTestSession(false)
	as, evs := play(t, s, yandex2009)

	if len(as[1].Warnings) != 0 {
		t.Errorf("EHLO [91.198.212.5]: %v", as[1].Warnings)
	}
	// "250 DSN" ends the reply; the six lines after it arrive unasked and are
	// read as more capabilities, with a warning.
	if r := lastReply(t, evs[8]); r.To != "EHLO" || len(r.Lines) != 7 {
		t.Errorf("EHLO reply: %+v", r)
	}
	late := evs[13]
	if !hasWarning(eventWarnings(late), WarnLateCapabilities) {
		t.Errorf("no late-capabilities warning: %+v", late)
	}
	if ls := eventsOf(evs[9], EventLine); len(ls) != 1 || !strings.Contains(ls[0].Entry.Explanation.English, "Yandex") {
		t.Errorf("X-RCPTLIMIT line: %+v", ls)
	}
	caps := s.Capabilities()
	var kws []string
	for _, c := range caps {
		kws = append(kws, c.Keyword)
	}
	if got := strings.Join(kws, " "); got != "SIZE 8BITMIME PIPELINING CHUNKING ENHANCEDSTATUSCODES DSN X-RCPTLIMIT AUTH AUTH STARTTLS HELP" {
		t.Errorf("capabilities = %s", got)
	}
	if c := caps[6]; !c.Vendor || c.Params[0] != "25" {
		t.Errorf("X-RCPTLIMIT: %+v", c)
	}
	if c := caps[7]; !c.Legacy || len(c.Params) != 1 || c.Params[0] != "LOGIN" || !strings.Contains(c.Explanation.English, "old \"AUTH=\" form") {
		t.Errorf("AUTH = LOGIN: %+v", c)
	}
	if !strings.Contains(caps[0].Explanation.English, "20,971,520 bytes (20.0 MiB)") {
		t.Errorf("SIZE: %s", caps[0].Explanation)
	}
	// AUTH LOGIN is offered: only the clear-text warning.
	if c := codes(as[14].Warnings); len(c) != 1 || c[0] != WarnCleartext {
		t.Errorf("AUTH LOGIN warnings: %v", c)
	}
	// The article's addresses without angle brackets.
	for _, i := range []int{20, 22} {
		if !hasWarning(as[i].Warnings, WarnNoAngleBrackets) || !hasWarning(as[i].Warnings, WarnSpaceAfterColon) {
			t.Errorf("%q warnings: %v", yandex2009[i], codes(as[i].Warnings))
		}
	}
	if a := as[20]; a.Command.Path != "vasiapupkin@ya.ru" || a.Command.Bracketed {
		t.Errorf("MAIL parse: %+v", a.Command)
	}
	// From: matches the envelope; the blank line ends the header.
	if a := as[26]; a.Header != "From" || len(a.Warnings) != 0 || !strings.Contains(a.Explanation.English, "matches the envelope") {
		t.Errorf("From: %+v", a)
	}
	if a := as[29]; a.Title.English != "End of the header" {
		t.Errorf("blank line: %+v", a)
	}
	if a := as[30]; a.Title.English != "Body text" || len(a.Warnings) != 0 {
		t.Errorf("body: %+v", a)
	}
	if r := lastReply(t, evs[34]); r.To != "QUIT" || r.Code != 221 {
		t.Errorf("QUIT reply: %+v", r)
	}
	wantPhase(t, s, PhaseClosing)
	if evs := s.Closed("server", phrase.Plain("Connection closed by foreign host.")); len(eventWarnings(evs)) != 0 {
		t.Errorf("normal close warned: %+v", evs)
	}
	if _, err := s.Submit("NOOP"); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit after close: %v", err)
	}
}

// TestSeedYandexSpoof is the second seed's point: the header From need not be
// the envelope sender.
func TestSeedYandexSpoof(t *testing.T) {
	s := ready(t, true, "PIPELINING", "8BITMIME")
	for _, l := range []string{"MAIL FROM:<vasiapupkin@ya.ru>", "RCPT TO:<billy@microsoft.com>", "DATA"} {
		send(t, s, l)
	}
	recv(s, "250 2.1.0 Ok", "250 2.1.5 Ok", "354 go ahead")
	a := send(t, s, "From: Someone Else <boss@mail.ru>")
	if !hasWarning(a.Warnings, WarnHeaderFrom) || !strings.Contains(a.Warnings[0].Message.English, "spoofing") {
		t.Errorf("From: mismatch: %+v", a.Warnings)
	}
	a = send(t, s, "To: billy@microsoft.com, Steve <steve@apple.com>")
	if len(a.Warnings) != 1 || a.Warnings[0].Code != WarnHeaderTo || !strings.HasPrefix(a.Warnings[0].Message.English, "steve@apple.com") {
		t.Errorf("To: with a recipient not in the envelope: %+v", a.Warnings)
	}
}
