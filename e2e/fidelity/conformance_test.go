package fidelity

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/wasm/session"
)

// The practice login, and the openings that reach a transaction: EHLO and
// AUTH on the lenient sandbox; EHLO, STARTTLS, EHLO and AUTH on the strict
// one.
var (
	login          = "AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00student\x00practice"))
	lenientOpening = []string{"EHLO client.example", login}
	strictOpening  = []string{"EHLO client.example", "STARTTLS", "EHLO client.example", login}
	both           = []string{"sandbox", "sandbox-strict"}
)

// conformance is one warning provoked on a profile: the lines that lead
// there (QUIT is added), and the line that must carry the warning. With
// opened, before comes after the profile's opening (TLS and AUTH as that
// profile wants them); without, it is all there is.
type conformance struct {
	warning  string
	profiles []string
	opened   bool
	before   []string
	line     string
}

// opening is the usual opening of profile.
func opening(profile string) []string {
	if profile == "sandbox-strict" {
		return strictOpening
	}
	return lenientOpening
}

// conformanceCases drive every warning that carries an expectation into the
// sandbox profiles.
var conformanceCases = []conformance{
	{session.WarnNoHello, both, false, []string{}, "MAIL FROM:<a@example.org>"},
	{session.WarnHelloNoDomain, both, false, []string{}, "EHLO"},
	{session.WarnAddressLiteral, both, false, []string{}, "EHLO 91.198.212.5"},
	{session.WarnRcptBeforeMail, both, true, nil, "RCPT TO:<a@example.org>"},
	{session.WarnNoAngleBrackets, both, true, nil, "MAIL FROM: vasiapupkin@ya.ru"},
	{session.WarnNoAngleBrackets, both, true, []string{"MAIL FROM:<a@example.org>"}, "RCPT TO: billy@microsoft.com"},
	{session.WarnNestedMail, both, true, []string{"MAIL FROM:<a@example.org>"}, "MAIL FROM:<b@example.org>"},
	{session.WarnMailBeforeAuth, []string{"sandbox"}, false, []string{"EHLO client.example"}, "MAIL FROM:<a@example.org>"},
	{session.WarnMailBeforeAuth, []string{"sandbox-strict"}, false, []string{"EHLO client.example", "STARTTLS", "EHLO client.example"}, "MAIL FROM:<a@example.org>"},
	{session.WarnTLSRequired, []string{"sandbox-strict"}, false, []string{"EHLO client.example"}, "MAIL FROM:<a@example.org>"},
	{session.WarnEmptyRecipient, both, true, []string{"MAIL FROM:<a@example.org>"}, "RCPT TO:<>"},
	{session.WarnDataBeforeRcpt, both, true, []string{"MAIL FROM:<a@example.org>"}, "DATA"},
	{session.WarnDataBeforeRcpt, both, true, nil, "DATA"},
	{session.WarnEmptyLine, both, true, nil, ""},
	{session.WarnUnknownCommand, both, true, nil, "FROBNICATE"},
	{session.WarnUnknownCommand, both, true, nil, "TURN"},
	{session.WarnUnknownCommand, both, true, nil, "ETRN example.org"},
	{session.WarnDotOutsideData, both, true, nil, "."},
	{session.WarnHeaderInCommand, both, true, nil, "SUBJECT: TEST SMTP"},
	{session.WarnSyntax, both, true, nil, "VRFY"},
	{session.WarnSyntax, both, true, nil, "MAIL FROM"},
	{session.WarnSyntax, both, true, nil, "MAIL FROM:<a@example.org"},
	{session.WarnSyntax, both, true, nil, "STARTTLS now"},
	{session.WarnTLSAlready, both, false, []string{"EHLO client.example", "STARTTLS", "EHLO client.example"}, "STARTTLS"},
	{session.WarnAuthAlready, both, true, nil, login},
	{session.WarnAuthInTransaction, []string{"sandbox"}, false, []string{"EHLO client.example", "MAIL FROM:<a@example.org>"}, login},
	{session.WarnAuthMechanism, both, false, []string{"EHLO client.example", "STARTTLS", "EHLO client.example"}, "AUTH CRAM-MD5"},
	{session.WarnAuthHidden, []string{"sandbox-strict"}, false, []string{"EHLO client.example"}, login},
	{session.WarnNotBase64, both, false, []string{"EHLO client.example", "STARTTLS", "EHLO client.example"}, "AUTH PLAIN student"},
	{session.WarnNewlineInSecret, both, false, []string{"EHLO client.example", "STARTTLS", "EHLO client.example"},
		"AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("\x00student\x00practice\n"))},
	{session.WarnParamNotOffered, both, true, nil, "MAIL FROM:<a@example.org> FROBNICATE=1"},
	{session.WarnParamNotOffered, both, true, nil, "MAIL FROM:<a@example.org> REQUIRETLS"},
	{session.WarnSizeExceeds, both, true, nil, "MAIL FROM:<a@example.org> SIZE=999999999"},
	{session.WarnCommandTooLong, both, true, nil, "NOOP " + strings.Repeat("x", 520)},
	{session.WarnTooManyRecipients, both, true, hundredRecipients(), "RCPT TO:<one-too-many@example.org>"},
}

// hundredRecipients opens a transaction with the 100 recipients the
// sandbox announces as its limit (LIMITS RCPTMAX=100).
func hundredRecipients() []string {
	lines := []string{"MAIL FROM:<a@example.org>"}
	for i := range 100 {
		lines = append(lines, fmt.Sprintf("RCPT TO:<r%d@example.org>", i))
	}
	return lines
}

// conformanceExempt are the warnings with an expectation that no sandbox
// profile can be brought to, and why.
var conformanceExempt = map[string]string{
	session.WarnNoService:      "the sandbox always greets with 220",
	session.WarnBDATNotOffered: "the sandbox offers CHUNKING",
	session.WarnDataAfterBDAT:  "the tunnel refuses BDAT, so no transaction has chunks",
	session.WarnAuthNotOffered: "both profiles offer AUTH once it is allowed; before TLS strict hides it (auth-hidden)",
}

// Every prediction the page shows before a line is sent holds on the
// sandbox profiles: each warning that carries an expectation is provoked
// through the real tunnel into both profiles, and the reply must be the
// one predicted (sure, exactly) or, where the page said this server
// accepts the line, a success. Replay checks every other line too.
func TestSandboxConformance(t *testing.T) {
	apptest.Short(t)
	_, hs := apptest.Start(t, "-sessions-per-ip", "1000", "-sessions-per-minute", "100000")
	covered := map[string]bool{}
	for _, tc := range conformanceCases {
		for _, profile := range tc.profiles {
			before := tc.before
			if tc.opened {
				before = append(slices.Clone(opening(profile)), tc.before...)
			}
			name := profile + "/" + tc.warning + "/" + strings.ReplaceAll(tc.line, " ", "_")
			t.Run(name[:min(len(name), 80)], func(t *testing.T) {
				script := append(append(slices.Clone(before), tc.line), "QUIT")
				rec := record(t, apptest.WSURL(hs), profile, script)
				_, typed := replay(t, rec)
				a := typed[len(before)]
				for _, w := range a.Warnings {
					if w.Code != tc.warning {
						continue
					}
					covered[tc.warning] = true
					if w.Expect == "" && !w.Accepted {
						t.Errorf("%s on %q carries no expectation: %+v", w.Code, tc.line, w)
					}
					if w.Expect != "" && !w.Sure {
						t.Errorf("%s on %q: a sandbox's prediction should be sure: %+v", w.Code, tc.line, w)
					}
					return
				}
				t.Errorf("%q on %s: no %s warning, got %+v", tc.line, profile, tc.warning, a.Warnings)
			})
		}
	}
	for code, why := range conformanceExempt {
		if covered[code] {
			t.Errorf("%s is exempt (%s) but was provoked: take it off the list", code, why)
		}
	}
}
