// Package apptest starts smtplay for the end-to-end tests exactly as the
// smtplay command does (the same flags, the same server), on loopback
// listeners the tests own, and holds the few helpers every such test needs.
package apptest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/internal/logbuf"
	"github.com/smtplay/smtplay/proxy/server"
)

// Start serves smtplay as `make run` does, with args as on its command
// line, on a test listener that the test's end closes.
func Start(t testing.TB, args ...string) (*server.Server, *httptest.Server) {
	t.Helper()
	f, err := server.ParseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	return StartOptions(t, f.Options)
}

// StartOptions serves a server built from o, for settings that have no flag.
func StartOptions(t testing.TB, o server.Options) (*server.Server, *httptest.Server) {
	t.Helper()
	s, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.Close()
		_ = s.Shutdown(context.Background())
	})
	return s, hs
}

// ServeSandboxSMTP serves s's sandbox on a new loopback listener, as
// -sandbox-smtp does, until the test ends. It returns the listener's
// address and the shared mailbox.
func ServeSandboxSMTP(t testing.TB, s *server.Server) (addr, mailbox string) {
	t.Helper()
	ln := Listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	mailbox, err := s.ServeSandboxSMTP(ctx, ln)
	if err != nil {
		t.Fatal(err)
	}
	return ln.Addr().String(), mailbox
}

// Listen opens a listener on a free loopback port. The test keeps it open
// and hands it on, so no other process can take the port in between.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// WSURL is the tunnel's websocket URL on the test server.
func WSURL(hs *httptest.Server) string {
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/tunnel"
}

// GetJSON fetches url, decodes a 200 answer into v (when not nil) and
// returns the status code.
func GetJSON(t testing.TB, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

// B64 is s in standard base64, as AUTH wants it.
func B64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// NeedTool finds a program on PATH. Without it the test skips, except
// under CI=true, where it fails: `make deps` installs every tool.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed: `make deps` installs it", name)
		}
		t.Skipf("%s is not installed (`make deps` installs it)", name)
	}
	return path
}

// Short skips a slow test under `go test -short`.
func Short(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: skipped under -short")
	}
}

// WaitUntil polls ok until it holds, failing the test after 10 s.
func WaitUntil(t testing.TB, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for a condition")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// LockedWriter is a log buffer the logger and the test share.
type LockedWriter = logbuf.Buffer
