package tunnel

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
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

// testCA is a certificate authority made for one test run.
type testCA struct {
	pool *x509.CertPool
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t testing.TB) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtplay test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{pool: pool, cert: cert, key: key}
}

// serverConfig returns a TLS server config with a leaf for names.
func (ca *testCA) serverConfig(t testing.TB, names ...string) *tls.Config {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}}}
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
