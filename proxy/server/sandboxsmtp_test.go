package server

import (
	"context"
	"net"
	"testing"
)

// targetsSMTP returns the sandbox_smtp field of every sandbox target.
func targetsSMTP(t *testing.T, url string) []*SMTPListener {
	t.Helper()
	var targets []Target
	getJSON(t, url+"/api/targets", &targets)
	var out []*SMTPListener
	for _, tg := range targets {
		if tg.Demo != nil {
			out = append(out, tg.SandboxSMTP)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no sandbox target in %+v", targets)
	}
	return out
}

// serveSMTP serves the sandbox on ln as -sandbox-smtp does, for the test.
func serveSMTP(t *testing.T, s *Server, ln net.Listener) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	token, err := s.ServeSandboxSMTP(ctx, ln)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// /api/targets tells the page where programs reach the sandbox on TCP: no
// field without a listener; the loopback listener's own address with its
// shared mailbox; for a listener on every address the page's host; the
// operator's public address, without the mailbox.
func TestTargetsNameTheSandboxListener(t *testing.T) {
	s, hs := startServer(t)
	for _, l := range targetsSMTP(t, hs.URL) {
		if l != nil {
			t.Fatalf("sandbox_smtp without a listener: %+v", l)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	shared := serveSMTP(t, s, ln)
	port := ln.Addr().(*net.TCPAddr).Port
	for _, l := range targetsSMTP(t, hs.URL) {
		if l == nil || l.Host != "127.0.0.1" || l.Port != port || l.SharedMailbox != shared {
			t.Fatalf("loopback listener: %+v, want 127.0.0.1:%d and %s", l, port, shared)
		}
	}

	// On every address: the host the page was reached by, no shared mailbox.
	s3, hs3 := startServer(t)
	ln3, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	serveSMTP(t, s3, ln3)
	for _, l := range targetsSMTP(t, hs3.URL) {
		if l == nil || l.Host != "127.0.0.1" || l.Port != ln3.Addr().(*net.TCPAddr).Port || l.SharedMailbox != "" {
			t.Fatalf("listener on every address: %+v", l)
		}
	}

	s2, hs2 := startServer(t, "-sandbox-smtp-public", "smtp.example.org:2625")
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	serveSMTP(t, s2, ln2)
	for _, l := range targetsSMTP(t, hs2.URL) {
		if l == nil || l.Host != "smtp.example.org" || l.Port != 2625 || l.SharedMailbox != "" {
			t.Fatalf("public address: %+v", l)
		}
	}
}

func TestSandboxSMTPPublicIsChecked(t *testing.T) {
	for _, bad := range []string{"smtp.example.org", ":2525", "host:0", "host:http", "host:70000"} {
		f, err := ParseFlags([]string{"-sandbox-smtp-public", bad})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(f.Options); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
