package tunnel

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
)

// testCA is the test run's certificate authority.
type testCA struct{ *tunneltest.CA }

func newTestCA(t testing.TB) *testCA { return &testCA{tunneltest.NewCA(t)} }

func (ca *testCA) serverConfig(t testing.TB, names ...string) *tls.Config {
	return ca.ServerConfig(t, names...)
}

// scripted is a raw TCP server on loopback that runs one function per
// connection and records every byte it received.
type scripted struct {
	ln       net.Listener
	mu       sync.Mutex
	received bytes.Buffer
	accepted int
	wg       sync.WaitGroup
}

// peer is the server side of one scripted connection.
type peer struct {
	net.Conn
	r *bufio.Reader
	s *scripted
}

func (p *peer) readLine() string {
	line, err := p.r.ReadString('\n')
	p.s.mu.Lock()
	p.s.received.WriteString(line)
	p.s.mu.Unlock()
	if err != nil {
		return ""
	}
	return line
}

func (p *peer) say(s string) { _, _ = io.WriteString(p.Conn, s) }

func startScripted(t testing.TB, fn func(p *peer)) *scripted {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scripted{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.accepted++
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				fn(&peer{Conn: c, r: bufio.NewReader(c), s: s})
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *scripted) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *scripted) got() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received.String()
}

func (s *scripted) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// localTarget is a lab target on loopback.
func localTarget(name string, port int, mods ...func(*policy.Target)) policy.Target {
	t := policy.Target{Name: name, Host: "localhost", Port: port, TLS: policy.TLSNone}
	for _, m := range mods {
		m(&t)
	}
	return t
}

// startTunnel serves a tunnel Server for targets; cfg's zero fields get lab defaults.
func startTunnel(t testing.TB, cfg Config, targets ...policy.Target) (*Server, string) {
	t.Helper()
	if cfg.Targets == nil {
		table, err := policy.NewTable(targets...)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Targets = table
	}
	srv := NewServer(cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		hs.Close()
	})
	return srv, "ws" + strings.TrimPrefix(hs.URL, "http") + "/tunnel"
}

func lab(cfg Config) Config {
	cfg.Guard = policy.Guard{AllowPrivate: true}
	return cfg
}

// client is the contract's test client.
type client = tunneltest.Client

func dial(t *testing.T, url string) *client { t.Helper(); return tunneltest.Dial(t, url) }

// smtpish answers like a minimal SMTP server: a greeting, 250 to every
// command, 354 to DATA, and 221 to QUIT, recording everything.
func smtpish(p *peer) {
	p.say("220 test ESMTP\r\n")
	inData := false
	for {
		line := p.readLine()
		if line == "" {
			return
		}
		switch {
		case inData && line == ".\r\n":
			inData = false
			p.say("250 2.0.0 queued\r\n")
		case inData:
		case strings.EqualFold(strings.TrimSpace(line), "DATA"):
			inData = true
			p.say("354 go ahead\r\n")
		case strings.EqualFold(strings.TrimSpace(line), "QUIT"):
			p.say("221 2.0.0 bye\r\n")
			return
		default:
			p.say("250 ok\r\n")
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func listenLoopback(t testing.TB) (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func portOf(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

func newBufReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }
