package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// needTool returns the path of a command the test drives, failing under CI
// (which installs it) and skipping elsewhere when it is missing.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: .ci/run installs it", name)
		}
		t.Skipf("%s is not installed (apt-get install %s)", name, name)
	}
	return path
}

// A real SMTP client, swaks, delivers into the sandbox's TCP listener
// (-sandbox-smtp): with STARTTLS and AUTH PLAIN it succeeds and the message
// lands in the shared mailbox; a fault address and a wrong password give
// their codes.
func TestSwaksAgainstSandboxListener(t *testing.T) {
	swaks := needTool(t, "swaks")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	a, hs := startApp(t, "-sandbox-smtp", addr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := a.startSandboxSMTP(ctx); err != nil {
		t.Fatal(err)
	}
	user, pass := a.sandbox.Demo()
	host, port, _ := net.SplitHostPort(addr)
	run := func(args ...string) (string, bool) {
		base := []string{"--server", host, "--port", port, "--from", "student@example.org", "--helo", "swaks.test", "--timeout", "20"}
		out, err := exec.Command(swaks, append(base, args...)...).CombinedOutput()
		return string(out), err == nil
	}
	out, ok := run("--to", "friend@example.org", "--tls", "--auth", "PLAIN", "--auth-user", user, "--auth-password", pass,
		"--header", "Subject: hello from swaks", "--body", "Zażółć gęślą jaźń")
	if !ok || !strings.Contains(out, "235 ") || !strings.Contains(out, "<~  250 ") {
		t.Fatalf("swaks with TLS and AUTH PLAIN failed:\n%s", out)
	}
	var list struct {
		Messages []struct{ ID, Subject string }
	}
	getJSON(t, hs.URL+"/api/sandbox/"+a.sharedMailbox+"/messages", &list)
	if len(list.Messages) != 1 || list.Messages[0].Subject != "hello from swaks" {
		t.Fatalf("shared mailbox: %+v", list)
	}
	if raw := rawMessage(t, hs.URL, a.sharedMailbox, 0); !strings.Contains(raw, "Zażółć gęślą jaźń") {
		t.Fatalf("raw message: %q", raw)
	}
	if out, ok := run("--to", "unknown@example.org"); ok || !strings.Contains(out, "550 5.1.1") {
		t.Fatalf("fault address: ok=%v\n%s", ok, out)
	}
	if out, ok := run("--to", "friend@example.org", "--tls", "--auth", "LOGIN", "--auth-user", user, "--auth-password", "wrong"); ok || !strings.Contains(out, "535 5.7.8") {
		t.Fatalf("wrong password: ok=%v\n%s", ok, out)
	}
}
