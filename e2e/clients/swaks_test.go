package clients

import (
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/e2e/apptest"
)

// needTool returns the path of a command the test drives, failing under CI
// (which installs it) and skipping elsewhere when it is missing.
// A real SMTP client, swaks, delivers into the sandbox's TCP listener
// (-sandbox-smtp): with STARTTLS and AUTH PLAIN it succeeds and the message
// lands in the shared mailbox; a fault address and a wrong password give
// their codes.
func TestSwaksAgainstSandboxListener(t *testing.T) {
	apptest.Short(t)
	swaks := apptest.NeedTool(t, "swaks")
	a, hs := apptest.Start(t)
	addr, mailbox := apptest.ServeSandboxSMTP(t, a)
	user, pass := a.Sandbox().Demo()
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
	apptest.GetJSON(t, hs.URL+"/api/sandbox/"+mailbox+"/messages", &list)
	if len(list.Messages) != 1 || list.Messages[0].Subject != "hello from swaks" {
		t.Fatalf("shared mailbox: %+v", list)
	}
	if raw := apptest.Nth(t, hs.URL, mailbox, 0); !strings.Contains(raw, "Zażółć gęślą jaźń") {
		t.Fatalf("raw message: %q", raw)
	}
	if out, ok := run("--to", "unknown@example.org"); ok || !strings.Contains(out, "550 5.1.1") {
		t.Fatalf("fault address: ok=%v\n%s", ok, out)
	}
	if out, ok := run("--to", "friend@example.org", "--tls", "--auth", "LOGIN", "--auth-user", user, "--auth-password", "wrong"); ok || !strings.Contains(out, "535 5.7.8") {
		t.Fatalf("wrong password: ok=%v\n%s", ok, out)
	}
}
