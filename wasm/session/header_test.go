package session

import (
	"slices"
	"testing"
)

// inData opens a transaction with mail (a MAIL FROM command) on a server
// offering 8BITMIME and SMTPUTF8, and types the lines after the 354.
func inData(t *testing.T, mail string, lines ...string) *Session {
	t.Helper()
	s := ready(t, true, "8BITMIME", "SMTPUTF8")
	send(t, s, mail)
	recv(s, "250 ok")
	send(t, s, "RCPT TO:<b@example.org>")
	recv(s, "250 ok")
	send(t, s, "DATA")
	recv(s, "354 go")
	for _, l := range lines {
		send(t, s, l)
	}
	return s
}

// The header-section checks: the warning of each, whether the line is
// held (Breaks), and the fix offered.
func TestHeaderSection(t *testing.T) {
	const plain, utf8 = "MAIL FROM:<a@example.org> BODY=8BITMIME", "MAIL FROM:<a@example.org> BODY=8BITMIME SMTPUTF8"
	for _, c := range []struct {
		name   string
		mail   string
		before []string
		line   string
		want   string // the warning, "" for none
		breaks bool
		fix    []string
	}{
		{"not a header", plain, []string{"Subject: Hi"}, "Hello there", WarnMissingBlankLine, true, []string{"", "Hello there"}},
		{"first line not a header", plain, nil, "Hello", WarnMissingBlankLine, true, []string{"", "Hello"}},
		{"space in the name", plain, nil, "Hi there: you", WarnMissingBlankLine, true, []string{"", "Hi there: you"}},
		{"leading space, nothing to fold into", plain, nil, " x", WarnMissingBlankLine, true, []string{"", " x"}},
		{"a header", plain, nil, "Subject: Hi", "", false, nil},
		{"folded", plain, []string{"Subject: Hi"}, " there", "", false, nil},
		{"header after the empty line", plain, []string{"From: <a@example.org>", ""}, "Subject: Hi", WarnHeaderAfterBody, false, nil},
		{"header after an early body", plain, []string{""}, "SUBJECT: Hi", WarnHeaderAfterBody, false, nil},
		{"unknown name in the body", plain, []string{""}, "PS: see you", "", false, nil},
		{"body text", plain, []string{""}, "Hello", "", false, nil},
		{"second Subject", plain, []string{"Subject: a"}, "subject: b", WarnDuplicateHeader, true, nil},
		{"second From", plain, []string{"From: <a@example.org>"}, "From: <a@example.org>", WarnDuplicateHeader, true, nil},
		{"second To", plain, []string{"To: <b@example.org>"}, "TO: <b@example.org>", WarnDuplicateHeader, true, nil},
		{"second Date", plain, []string{"Date: Mon, 24 Sep 2012 18:38:00 +0000"}, "Date: Mon, 24 Sep 2012 18:39:00 +0000", WarnDuplicateHeader, true, nil},
		{"second Received", plain, []string{"Received: a"}, "Received: b", "", false, nil},
		{"8-bit Subject", plain, nil, "Subject: Zażółć", WarnEightBitHeader, true, []string{"Subject: =?UTF-8?q?Za=C5=BC=C3=B3=C5=82=C4=87?="}},
		{"8-bit fold of Subject", plain, []string{"Subject: a"}, "\tgęś", WarnEightBitHeader, true, []string{"\t=?UTF-8?q?g=C4=99=C5=9B?="}},
		{"8-bit From", plain, nil, "From: Paweł <a@example.org>", WarnEightBitHeader, true, nil},
		{"8-bit Subject with SMTPUTF8", utf8, nil, "Subject: Zażółć", "", false, nil},
		{"8-bit body", plain, []string{""}, "Zażółć", "", false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := inData(t, c.mail, c.before...)
			a := s.Check(c.line)
			if got := codes(a.Warnings); (c.want == "" && len(got) > 0) || (c.want != "" && !slices.Contains(got, c.want)) {
				t.Errorf("warnings %v, want %q", got, c.want)
			}
			if a.Breaks != c.breaks {
				t.Errorf("Breaks = %v", a.Breaks)
			}
			var fix []string
			if a.Fix != nil {
				fix = a.Fix.Lines
				if a.Fix.Label.English == "" {
					t.Error("fix without a label")
				}
			}
			if !slices.Equal(fix, c.fix) {
				t.Errorf("fix %q, want %q", fix, c.fix)
			}
			// The fix itself breaks nothing.
			for _, l := range fix {
				if f := send(t, s, l); f.Breaks {
					t.Errorf("fix line %q breaks: %v", l, codes(f.Warnings))
				}
			}
		})
	}
}
