package sandbox

import (
	"crypto/x509"
	"slices"
	"strings"
	"testing"
)

func TestProfilesList(t *testing.T) {
	s := newTestSandbox(t, Config{})
	ps := s.Profiles()
	if len(ps) != 2 || ps[0].Name != "sandbox" || ps[1].Name != "sandbox-strict" {
		t.Fatalf("profiles %+v", ps)
	}
	for _, p := range ps {
		if p.Description == "" {
			t.Errorf("%s has no description", p.Name)
		}
	}
	if u, p := s.Demo(); u != "student" || p != "practice" {
		t.Errorf("demo %q %q", u, p)
	}
	if _, _, err := s.Connect("nonesuch", "", nil); err == nil {
		t.Error("unknown profile accepted")
	}
}

func hasAuth(ehlo []string) bool {
	return slices.ContainsFunc(ehlo, func(l string) bool { return strings.HasPrefix(l[4:], "AUTH") })
}

func TestLenientProfile(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	if !hasAuth(c.do("EHLO client.example", "250 ")) {
		t.Error("lenient profile hides AUTH before TLS")
	}
	// Mail without AUTH and without TLS is accepted.
	if got := c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: plain\r\n\r\nx\r\n"); !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("got %q", got)
	}
	// AUTH before TLS works.
	if got := c.authPlain("student", "practice"); got[0] != "235 2.7.0 Authentication successful" {
		t.Fatalf("got %q", got)
	}
	if len(list(t, s, token).Messages) != 1 {
		t.Fatal("not stored")
	}
}

func TestStrictProfile(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox-strict", "", nil)
	ehlo := c.do("EHLO client.example", "250 ")
	if hasAuth(ehlo) || !slices.Contains(ehlo, "250-STARTTLS") {
		t.Errorf("strict EHLO before TLS: %q", ehlo)
	}
	c.exact("AUTH PLAIN "+b64("\x00student\x00practice"), "530 5.7.0 Must issue a STARTTLS command first")
	c.exact("AUTH LOGIN", "530 5.7.0 Must issue a STARTTLS command first")
	c.exact("MAIL FROM:<a@example.org>", "530 5.7.0 Must issue a STARTTLS command first")

	c.startTLS(s, "sandbox-strict")
	ehlo = c.do("EHLO client.example", "250 ")
	if !slices.Contains(ehlo, "250-AUTH PLAIN LOGIN") || slices.Contains(ehlo, "250-STARTTLS") {
		t.Errorf("strict EHLO after TLS: %q", ehlo)
	}
	c.exact("MAIL FROM:<a@example.org>", "530 5.7.0 Authentication required")
	c.exact("AUTH PLAIN "+b64("\x00student\x00wrong"), "535 5.7.8 Authentication credentials invalid (use the practice login shown on the page)")
	c.exact("MAIL FROM:<a@example.org>", "530 5.7.0 Authentication required")
	c.do("AUTH PLAIN "+b64("\x00student\x00practice"), "235 ")
	got := c.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: strict\r\n\r\nx\r\n")
	if !strings.HasPrefix(got[0], "250 2.0.0 Ok: queued as ") {
		t.Fatalf("got %q", got)
	}
	l := list(t, s, token)
	if len(l.Messages) != 1 {
		t.Fatal("not stored")
	}
	_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+l.Messages[0].ID+"/raw")
	if !strings.Contains(string(raw), "(smtplay sandbox, profile sandbox-strict) with ESMTPSA id") {
		t.Errorf("Received header: %q", raw)
	}
}

func TestCertificate(t *testing.T) {
	s := newTestSandbox(t, Config{Hostname: "practice.example"})
	for _, name := range []string{"sandbox", "sandbox-strict", "practice.example"} {
		c, _ := dial(t, s, "sandbox", "", nil)
		st := c.startTLS(s, name) // fails the test unless verified for name
		if alg := st.PeerCertificates[0].PublicKeyAlgorithm; alg != x509.ECDSA {
			t.Errorf("key %v", alg)
		}
		if got := c.do("EHLO client.example", "250 "); got[0] != "250-practice.example Hello client.example" {
			t.Errorf("EHLO %q", got[0])
		}
	}
	if _, err := New(Config{Hostname: "bad host\r\n"}); err == nil {
		t.Error("a host name with spaces accepted")
	}
	for h, ok := range map[string]bool{"a.b": true, "a-1.example": true, "-a.b": false, "a..b": false, "a.": false, "": false, "ä.de": false} {
		if validHostname(h) != ok {
			t.Errorf("validHostname(%q) != %v", h, ok)
		}
	}
}
