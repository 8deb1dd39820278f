package fidelity

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// Domain is the test domain the servers deliver for; alice is its one user.
const Domain = "smtplay.test"

// message is what is typed after 354, up to the lone dot: a header, an
// empty line and a UTF-8 body, one line of which needs dot-stuffing.
var message = []string{
	"Subject: Test SMTP",
	"To: <alice@" + Domain + ">",
	"Content-Type: text/plain; charset=utf-8",
	"",
	"Witaj, właśnie przeprowadzam test SMTP.",
	".a line that starts with a dot",
	"Zażółć gęślą jaźń.",
}

// script is the first seed's flow (a bare EHLO, EHLO, MAIL, RCPT, DATA, the
// message, QUIT) adapted to a server on loopback: STARTTLS and EHLO again
// instead of AUTH, BODY=8BITMIME for the UTF-8 body, and two lines the
// engine predicts an error for (RCPT before MAIL, and the bare EHLO), so
// that its predictions meet real answers. nobody@ is not a mailbox on
// Postfix.
func script() []string {
	s := []string{
		"EHLO",
		"EHLO localhost",
		"STARTTLS",
		"EHLO localhost",
		"RCPT TO:<alice@" + Domain + ">",
		"MAIL FROM: <student@example.org> BODY=8BITMIME",
		"RCPT TO: <alice@" + Domain + ">",
		"RCPT TO:<nobody@" + Domain + ">",
		"DATA",
	}
	s = append(s, message...)
	return append(s, ".", "QUIT")
}

// checkDelivered checks a delivered message against what was typed: the
// header lines are all there, and the body is byte for byte the typed body
// (lines end in eol). A server may add header lines (Received, Date...).
func checkDelivered(t *testing.T, got []byte, eol string) {
	t.Helper()
	blank := slices.Index(message, "")
	header, body, ok := bytes.Cut(got, []byte(eol+eol))
	if !ok {
		t.Fatalf("delivered message has no empty line:\n%s", got)
	}
	lines := strings.Split(string(header), eol)
	for _, h := range message[:blank] {
		if !slices.Contains(lines, h) {
			t.Errorf("delivered header lacks %q:\n%s", h, header)
		}
	}
	if want := strings.Join(message[blank+1:], eol) + eol; string(body) != want {
		t.Errorf("delivered body\n%q\nwant\n%q", body, want)
	}
}
