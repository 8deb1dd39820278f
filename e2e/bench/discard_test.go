//go:build unix

package bench

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The real-server peer: a go-smtp server on loopback that takes every
// message and throws it away. It is the target of the real-server paths
// (BenchmarkNOOPReal, the smtplay-real idle sessions) and the upper bound of
// BenchmarkIngest: an SMTP server that does nothing with what it gets.

// discardBackend makes sessions that accept everything and keep nothing.
type discardBackend struct{}

func (discardBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return discardSession{}, nil }

type discardSession struct{}

func (discardSession) Mail(string, *smtp.MailOptions) error { return nil }
func (discardSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (discardSession) Reset()                               {}
func (discardSession) Logout() error                        { return nil }

func (discardSession) Data(r io.Reader) error {
	_, err := io.Copy(io.Discard, r)
	return err
}

// serveDiscard serves the discarding server on l until l is closed.
func serveDiscard(l net.Listener) {
	srv := smtp.NewServer(discardBackend{})
	srv.Domain = "discard.bench.test"
	srv.MaxMessageBytes = 64 << 20
	srv.MaxRecipients = 100
	srv.ReadTimeout = 10 * time.Minute
	srv.WriteTimeout = time.Minute
	_ = srv.Serve(l)
}

// startDiscard serves the discarding server in this process until the
// benchmark ends and returns its address.
func startDiscard(b *testing.B) string {
	b.Helper()
	ln := apptest.Listen(b)
	go serveDiscard(ln)
	b.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

// discardEnv asks TestDiscardHelper to serve.
const discardEnv = "SMTPLAY_BENCH_DISCARD"

// startDiscardProcess serves the discarding server from a helper process,
// so that its memory is not the measured process's, and returns its address.
func startDiscardProcess(b *testing.B) string {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDiscardHelper$", "-test.timeout=60m")
	cmd.Env = append(os.Environ(), discardEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); _, _ = io.Copy(io.Discard, stdout); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
			return addr
		}
	}
	b.Fatal("the discarding server's process ended without listening")
	return ""
}

// TestDiscardHelper is startDiscardProcess' server process: it raises its
// descriptor limit, serves on loopback, prints "listening ADDR" and serves
// until its stdin closes. Run by `go test` itself, it skips.
func TestDiscardHelper(t *testing.T) {
	if os.Getenv(discardEnv) == "" {
		t.Skip("the server process of the real-server benchmarks")
	}
	raiseFDLimit(idleWant + fdSpare)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go serveDiscard(ln)
	fmt.Println("listening", ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
	ln.Close()
}
