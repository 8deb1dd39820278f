//go:build unix

package bench

import (
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
)

// startMailpit runs Mailpit (go install github.com/axllent/mailpit@v1.33.1)
// on loopback until the benchmark ends, with its messages in a fresh
// database in a temporary directory, and returns its SMTP address, or ""
// when it is not installed.
func startMailpit(b *testing.B) string {
	b.Helper()
	path, err := exec.LookPath("mailpit")
	if err != nil { // where go install puts it
		if gopath, e := exec.Command("go", "env", "GOPATH").Output(); e == nil {
			path, err = exec.LookPath(filepath.Join(strings.TrimSpace(string(gopath)), "bin", "mailpit"))
		}
	}
	if err != nil {
		b.Logf("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1): its comparison is skipped")
		return ""
	}
	b.Logf("mailpit: %s", path)
	smtpAddr, httpAddr := freeAddr(b), freeAddr(b)
	cmd := exec.Command(path, "--smtp", smtpAddr, "--listen", httpAddr,
		"--database", b.TempDir()+"/mailpit.db", "--disable-version-check", "--quiet")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", smtpAddr); err == nil {
			c.Close()
			return smtpAddr
		} else if time.Now().After(deadline) {
			b.Fatalf("mailpit did not start: %v", err)
		}
	}
}

// freeAddr is a loopback address nothing listens on now.
func freeAddr(b *testing.B) string {
	ln := apptest.Listen(b)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
