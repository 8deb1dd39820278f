package clients

import (
	"crypto/tls"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wasm/export"
)

// Each export of wasm/export, run by its real tool against the sandbox's TCP
// listener (-sandbox-smtp), delivers the session's message: it arrives in the
// shared mailbox with its subject, and its content (quotes, $, a backslash, a
// line starting with ".", UTF-8) byte for byte after the trace headers.
// Between them the runs cover STARTTLS and plain TCP, AUTH PLAIN and LOGIN,
// revealed passwords and passwords read from SMTP_PASSWORD. Implicit TLS is
// covered by the golden files only: the listener speaks STARTTLS.
func TestExportRunsAgainstSandboxListener(t *testing.T) {
	apptest.Short(t)
	a, hs := apptest.Start(t)
	addr, mailbox := apptest.ServeSandboxSMTP(t, a)
	user, pass := a.Sandbox().Demo()
	host, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)

	session := func(name string) export.Session {
		return export.Session{
			Host: host, Port: port, Sandbox: true, TLS: export.TLSStartTLS, EHLO: "export.test",
			Auth: export.AuthPlain, Username: user,
			From: "student@example.org", To: []string{"friend@example.org", "forward@example.org"},
			Data: []string{
				`Subject: ` + name + ` export "quoted" it's $5 \ 100%`,
				"To: <friend@example.org>",
				"Content-Type: text/plain; charset=utf-8",
				"",
				"Zażółć gęślą jaźń — " + name,
				"..a line that starts with a dot",
				"Rcpt at the start of a line is text, not an s_client command,",
				"Quit too.",
				"\ttab, and a last line",
			},
		}
	}
	// implicit is an SMTPS front for the listener, port-465 style, whose
	// certificate (for localhost) a test CA issued: generated code for a
	// real server verifies it once SSL_CERT_FILE trusts that CA.
	ca := tunneltest.NewCA(t)
	caFile, _ := ca.WritePEM(t, t.TempDir(), "localhost")
	implicit := tlsFront(t, ca.ServerConfig(t, "localhost"), addr)
	_, implicitPort, _ := net.SplitHostPort(implicit)
	realServer := func(s *export.Session) {
		s.Sandbox, s.TLS, s.Host = false, export.TLSImplicit, "localhost"
		s.Port, _ = strconv.Atoi(implicitPort)
	}

	type runner func(t *testing.T, tool, code string, s export.Session) *exec.Cmd
	script := func(name string) runner {
		return func(t *testing.T, tool, code string, _ export.Session) *exec.Cmd {
			return exec.Command(tool, writeTemp(t, name, code))
		}
	}
	shell := func(t *testing.T, _, code string, _ export.Session) *exec.Cmd { return exec.Command("sh", "-c", code) }
	openssl := func(t *testing.T, _, _ string, s export.Session) *exec.Cmd {
		st, err := export.OpenSSLSteps(s)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", "-c", st.Command)
		cmd.Stdin = strings.NewReader(strings.Join(st.Lines, "\n") + "\n")
		return cmd
	}
	tools := map[string]struct {
		format export.Format
		run    runner
	}{
		"swaks": {export.FormatSwaks, shell}, "php": {export.FormatPHP, script("session.php")},
		"python3": {export.FormatPython, script("session.py")}, "go": {export.FormatGo, goRun},
		"openssl": {export.FormatOpenSSL, openssl},
	}
	runs := []struct {
		name, tool string
		edit       func(*export.Session)
		// refused: the run must fail on the certificate and deliver nothing.
		refused bool
	}{
		{"swaks", "swaks", nil, false},
		{"php-starttls-login", "php", func(s *export.Session) { s.Auth = export.AuthLogin }, false},
		{"php-plain-tcp", "php", func(s *export.Session) { s.TLS, s.Password = export.TLSNone, pass }, false},
		{"python-login", "python3", func(s *export.Session) { s.Auth, s.Password = export.AuthLogin, pass }, false},
		{"python-plain-tcp", "python3", func(s *export.Session) { s.TLS = export.TLSNone }, false},
		{"go-login", "go", func(s *export.Session) { s.Auth = export.AuthLogin }, false},
		// PlainAuth without TLS: net/smtp allows it to 127.0.0.1 only.
		{"go-plain-tcp", "go", func(s *export.Session) { s.TLS, s.Password = export.TLSNone, pass }, false},
		{"openssl", "openssl", func(s *export.Session) { s.Password = pass }, false},
		// Implicit TLS to a "real" server, verified.
		{"swaks-implicit-verified", "swaks", realServer, false},
		{"php-implicit-verified", "php", realServer, false},
		{"python-implicit-verified", "python3", realServer, false},
		{"go-implicit-verified", "go", realServer, false},
		{"openssl-implicit-verified", "openssl", func(s *export.Session) { realServer(s); s.Password = pass }, false},
		// The sandbox's self-signed certificate, taken for a real server's:
		// verification refuses it.
		{"swaks-verifies", "swaks", func(s *export.Session) { s.Sandbox = false }, true},
		{"php-verifies", "php", func(s *export.Session) { s.Sandbox = false }, true},
		{"python-verifies", "python3", func(s *export.Session) { s.Sandbox = false }, true},
		{"go-verifies", "go", func(s *export.Session) { s.Sandbox = false }, true},
		{"openssl-verifies", "openssl", func(s *export.Session) { s.Sandbox, s.Password = false, pass }, true},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			tool := apptest.NeedTool(t, r.tool)
			s := session(r.name)
			if r.edit != nil {
				r.edit(&s)
			}
			code, err := export.Generate(tools[r.tool].format, s)
			if err != nil {
				t.Fatal(err)
			}
			if s.Password == "" && strings.Contains(code, pass) {
				t.Fatalf("the unrevealed password is in the code:\n%s", code)
			}
			cmd := tools[r.tool].run(t, tool, code, s)
			if cmd.Env == nil {
				cmd.Env = os.Environ()
			}
			cmd.Env = append(cmd.Env, export.PasswordEnv+"="+pass, "SSL_CERT_FILE="+caFile)
			timer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
			defer timer.Stop()
			out, err := cmd.CombinedOutput()
			subject := strings.TrimPrefix(s.Data[0], "Subject: ")
			if r.refused {
				if err == nil || !strings.Contains(strings.ToLower(string(out)), "certificate") {
					t.Fatalf("%s: want a certificate error, got %v\n%s", r.name, err, out)
				}
				if raw, ok := apptest.BySubject(t, hs.URL, mailbox, subject); ok {
					t.Fatalf("delivered despite the certificate error:\n%s", raw)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v\n%s\n--- code:\n%s", r.name, err, out, code)
			}
			raw, ok := apptest.BySubject(t, hs.URL, mailbox, subject)
			if !ok {
				t.Fatalf("no message with Subject %q in the shared mailbox\n--- output:\n%s", subject, out)
			}
			want := strings.Join(s.Message(), "\r\n") + "\r\n"
			if !strings.HasSuffix(raw, "\r\n"+want) {
				t.Fatalf("message content differs:\n got %q\nwant …%q\n--- output:\n%s", raw, want, out)
			}
		})
	}
}

// tlsFront serves TLS on a new local port and relays each connection, in
// the clear, to backend: implicit TLS in front of a STARTTLS server.
func tlsFront(t *testing.T, cfg *tls.Config, backend string) string {
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				b, err := net.Dial("tcp", backend)
				if err != nil {
					return
				}
				defer b.Close()
				go func() { io.Copy(b, c); b.(*net.TCPConn).CloseWrite() }()
				io.Copy(c, b)
			}()
		}
	}()
	return ln.Addr().String()
}

// goRun runs a Go export as a program of its own: a temporary module, the
// standard library only, no workspace.
func goRun(t *testing.T, goTool, code string, _ export.Session) *exec.Cmd {
	dir := t.TempDir()
	for name, text := range map[string]string{"go.mod": "module smtplaysession\n\ngo 1.21\n", "main.go": code} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goTool, "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	return cmd
}

// writeTemp writes code to a file in a temporary directory and returns its
// path.
func writeTemp(t *testing.T, name, code string) string {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
