package session

import (
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wire"
)

// The two sandbox profiles as the tunnel's opened message describes them
// (proxy/sandbox's WireProfile; e2e/conformance checks them against the
// real sandbox).
var (
	lenientProfile = &wire.Profile{Name: "sandbox", Refuses: []wire.Refusal{}}
	strictProfile  = &wire.Profile{Name: "sandbox-strict", Refuses: []wire.Refusal{
		{Rule: "starttls-first", Code: 530, Enhanced: "5.7.0"},
		{Rule: "auth-first", Code: 530, Enhanced: "5.7.0"},
		{Rule: "hello-domain-or-literal", Code: 501, Enhanced: "5.5.2"},
		{Rule: "mail-angle-brackets", Code: 501, Enhanced: "5.1.7"},
		{Rule: "rcpt-angle-brackets", Code: 501, Enhanced: "5.1.3"},
	}}
)

// A prediction is stated for the server at the other end: a sandbox
// profile is known, so what only strict servers refuse becomes "this
// server refuses it" (sure) or "this server accepts it" (no prediction);
// for a real server it stays what strict servers probably answer.
func TestPredictionsFitTheTarget(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opt      Options
		caps     []string
		before   []string // lines sent and answered 250 first
		line     string
		code     string
		expect   string
		sure     bool
		accepted bool
		says     string
	}{
		{"lenient: no brackets", Options{Sandbox: true, Profile: lenientProfile}, nil, nil,
			"MAIL FROM: vasiapupkin@ya.ru", WarnNoAngleBrackets, "", false, true, "strict servers answer 501"},
		{"strict: no brackets", Options{Sandbox: true, Profile: strictProfile}, nil, nil,
			"MAIL FROM: vasiapupkin@ya.ru", WarnTLSRequired, "530", true, false, "STARTTLS first"},
		{"strict after TLS and AUTH: no brackets", Options{Sandbox: true, Profile: strictProfile}, []string{"AUTH PLAIN"}, []string{"STARTTLS", "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U="},
			"RCPT TO: billy@microsoft.com", WarnRcptBeforeMail, "503", true, false, "503"},
		{"real: no brackets", Options{}, nil, nil,
			"MAIL FROM: vasiapupkin@ya.ru", WarnNoAngleBrackets, "501", false, false, "Strict servers answer 501"},
		{"lenient: bare IP", Options{Sandbox: true, Profile: lenientProfile}, nil, nil,
			"EHLO 91.198.212.5", WarnAddressLiteral, "", false, true, "lenient and accepts it"},
		{"strict: bare IP", Options{Sandbox: true, Profile: strictProfile}, nil, nil,
			"EHLO 91.198.212.5", WarnAddressLiteral, "501", true, false, "expect 501 5.5.2"},
		{"real: bare IP", Options{}, nil, nil,
			"EHLO 91.198.212.5", WarnAddressLiteral, "501", false, false, "Strict servers answer 501"},
		{"lenient: mail before auth", Options{Sandbox: true, Profile: lenientProfile}, []string{"AUTH PLAIN LOGIN"}, nil,
			"MAIL FROM:<a@example.org>", WarnMailBeforeAuth, "", false, true, "lenient"},
		{"strict: mail before auth, after TLS", Options{Sandbox: true, Profile: strictProfile}, []string{"AUTH PLAIN LOGIN"}, []string{"STARTTLS"},
			"MAIL FROM:<a@example.org>", WarnMailBeforeAuth, "530", true, false, "530 5.7.0"},
		{"sure on a sequence error", Options{Sandbox: true, Profile: lenientProfile}, nil, nil,
			"RCPT TO:<a@example.org>", WarnRcptBeforeMail, "503", true, false, "503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := readyWith(t, tc.opt, tc.caps...)
			for _, l := range tc.before {
				send(t, s, l)
				if l == "STARTTLS" {
					recv(s, "220 go ahead")
					s.TLSStarted(TLSInfo{Verified: true})
					send(t, s, "EHLO client.example")
					recv(s, append([]string{"250-mail.example.org"}, prefixed(tc.caps)...)...)
					continue
				}
				recv(s, "235 2.7.0 ok")
			}
			a := s.Check(tc.line)
			var w *Warning
			for i := range a.Warnings {
				if a.Warnings[i].Code == tc.code {
					w = &a.Warnings[i]
				}
			}
			if w == nil {
				t.Fatalf("no %s warning: %+v", tc.code, a.Warnings)
			}
			if w.Expect != tc.expect || w.Sure != tc.sure || w.Accepted != tc.accepted || !strings.Contains(w.Message.English, tc.says) {
				t.Errorf("%+v\nwant expect %q sure %v accepted %v, saying %q", *w, tc.expect, tc.sure, tc.accepted, tc.says)
			}
		})
	}
}

// prefixed makes EHLO reply lines of caps, the last one final.
func prefixed(caps []string) []string {
	out := make([]string, len(caps))
	for i, c := range caps {
		sep := "-"
		if i == len(caps)-1 {
			sep = " "
		}
		out[i] = "250" + sep + c
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// The reply to a line with a prediction says whether the prediction held.
func TestOutcomeClosesTheLoop(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opt   Options
		line  string
		reply string
		held  bool
		says  string
	}{
		{"held", Options{Sandbox: true, Profile: lenientProfile}, "RCPT TO:<a@example.org>", "503 5.5.1 Error: need MAIL command", true, "As predicted: 503."},
		{"near", Options{}, "EHLO", "502 5.5.1 Too few arguments", true, "with 502 where 501 was expected"},
		{"contradicted by a lenient server", Options{}, "MAIL FROM: vasiapupkin@ya.ru", "250 2.1.0 Ok", false, "It is lenient here, although RFC 5321 §4.1.2 asks otherwise"},
		{"accepted as predicted", Options{Sandbox: true, Profile: lenientProfile}, "MAIL FROM: vasiapupkin@ya.ru", "250 2.1.0 Ok", true, "As predicted, this server accepted it."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := readyWith(t, tc.opt)
			send(t, s, tc.line)
			var r *Reply
			for _, ev := range recv(s, tc.reply) {
				if ev.Reply != nil {
					r = ev.Reply
				}
			}
			if r == nil || r.Prediction == nil {
				t.Fatalf("reply %+v has no outcome", r)
			}
			if r.Prediction.Held != tc.held || !strings.Contains(r.Note.English, tc.says) {
				t.Errorf("outcome %+v, note %q: want held %v, saying %q", *r.Prediction, r.Note.English, tc.held, tc.says)
			}
		})
	}
}
