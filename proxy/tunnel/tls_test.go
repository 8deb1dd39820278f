package tunnel

import (
	"crypto/tls"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

// goSMTP is a real go-smtp server on loopback that keeps what it receives.
type goSMTP struct {
	mu       sync.Mutex
	messages []string
	auths    []string
}

func (b *goSMTP) NewSession(*smtp.Conn) (smtp.Session, error) { return &goSMTPSession{b: b}, nil }

type goSMTPSession struct{ b *goSMTP }

func (s *goSMTPSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *goSMTPSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.b.mu.Lock()
		s.b.auths = append(s.b.auths, user)
		s.b.mu.Unlock()
		return nil
	}), nil
}
func (s *goSMTPSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *goSMTPSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *goSMTPSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.messages = append(s.b.messages, string(b))
	s.b.mu.Unlock()
	return err
}
func (s *goSMTPSession) Reset()        {}
func (s *goSMTPSession) Logout() error { return nil }

// startGoSMTP serves go-smtp on loopback, with STARTTLS or implicit TLS.
func startGoSMTP(t *testing.T, cfg *tls.Config, implicit bool) (*goSMTP, int) {
	t.Helper()
	be := &goSMTP{}
	s := smtp.NewServer(be)
	s.Domain = "localhost"
	s.TLSConfig = cfg
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.AllowInsecureAuth = false
	ln, err := listenLoopback(t)
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, cfg)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return be, portOf(ln)
}

func TestSTARTTLSThroughTunnel(t *testing.T) {
	ca := newTestCA(t)
	be, port := startGoSMTP(t, ca.serverConfig(t, "localhost"), false)
	_, url := startTunnel(t, lab(Config{RootCAs: ca.Pool}), localTarget("real", port))
	c := dial(t, url)
	o := c.Open("real")
	if o.Host != "localhost" || o.Port != port || o.TLS != "none" || !strings.HasPrefix(o.Remote, "127.0.0.1:") || o.Mailbox != "" {
		t.Fatalf("opened = %+v", o)
	}
	c.Line("220 localhost ESMTP Service Ready\r\n")
	c.Send("EHLO client.test\r\n")
	ehlo := c.Reply()
	if !strings.Contains(ehlo, "STARTTLS") || strings.Contains(ehlo, "AUTH") {
		t.Fatalf("EHLO before TLS: %q", ehlo)
	}
	// AUTH before TLS to a real server is refused by the proxy.
	c.Send("AUTH PLAIN AHVzZXIAcGFzcw==\r\n")
	c.Error(wire.NotAllowed)
	c.Send("STARTTLS\r\n")
	c.Line("220 2.0.0 Ready to start TLS\r\n")
	var info wire.TLS
	c.Expect(wire.TypeTLS, &info)
	if !info.Verified || info.VerifyError != "" || info.Version != "TLS 1.3" || info.Cipher == "" ||
		info.ServerName != "localhost" || info.Discarded != 0 || len(info.Chain) != 2 ||
		info.Chain[0].DNSNames[0] != "localhost" || info.Chain[1].Subject != "CN=smtplay test CA" {
		t.Fatalf("tls = %+v", info)
	}
	if _, err := time.Parse(time.RFC3339, info.Chain[0].NotAfter); err != nil {
		t.Fatalf("not_after %q: %v", info.Chain[0].NotAfter, err)
	}
	c.Send("EHLO client.test\r\n")
	if ehlo := c.Reply(); !strings.Contains(ehlo, "AUTH PLAIN") {
		t.Fatalf("EHLO after TLS: %q", ehlo)
	}
	c.Send("AUTH PLAIN AHVzZXIAcGFzcw==\r\n")
	c.Line("235 2.0.0 Authentication succeeded\r\n")
	body := "Subject: hi\r\n\r\nWitaj, \xc4\x85\xc4\x87\xc4\x99 \xff 8-bit\r\n..dot-stuffed\r\n"
	c.Send("MAIL FROM:<a@localhost>\r\nRCPT TO:<b@localhost>\r\nDATA\r\n")
	c.Line("250 2.0.0 Roger, accepting mail from <a@localhost>\r\n")
	c.Line("250 2.0.0 I'll make sure <b@localhost> gets this\r\n")
	c.Line("354 Go ahead. End your data with <CR><LF>.<CR><LF>\r\n")
	c.Send(body + ".\r\nQUIT\r\n")
	c.Line("250 2.0.0 OK: queued\r\n")
	c.Line("221 2.0.0 Bye\r\n")
	c.Closed(wire.ByServer)
	be.mu.Lock()
	defer be.mu.Unlock()
	want := strings.Replace(body, "\r\n..dot", "\r\n.dot", 1)
	if len(be.messages) != 1 || be.messages[0] != want {
		t.Fatalf("server received %q, want %q", be.messages, want)
	}
	if len(be.auths) != 1 || be.auths[0] != "user" {
		t.Fatalf("auths %q", be.auths)
	}
}

func TestImplicitTLS(t *testing.T) {
	ca := newTestCA(t)
	_, port := startGoSMTP(t, ca.serverConfig(t, "localhost"), true)
	_, url := startTunnel(t, lab(Config{RootCAs: ca.Pool}), localTarget("smtps", port, func(t *policy.Target) { t.TLS = policy.TLSImplicit }))
	c := dial(t, url)
	if o := c.Open("smtps"); o.TLS != "implicit" {
		t.Fatalf("opened %+v", o)
	}
	var info wire.TLS
	c.Expect(wire.TypeTLS, &info)
	if !info.Verified || info.Version != "TLS 1.3" {
		t.Fatalf("tls = %+v", info)
	}
	c.Line("220 localhost ESMTP Service Ready\r\n")
	c.Send("EHLO x\r\n")
	if r := c.Reply(); !strings.Contains(r, "AUTH PLAIN") {
		t.Fatalf("EHLO over implicit TLS: %q", r)
	}
	// AUTH is allowed: TLS is up from the first byte.
	c.Send("AUTH PLAIN AHVzZXIAcGFzcw==\r\n")
	c.Line("235 2.0.0 Authentication succeeded\r\n")
}

func TestTLSFailures(t *testing.T) {
	ca, other := newTestCA(t), newTestCA(t)
	tests := []struct {
		name     string
		names    []string // certificate names
		roots    *testCA
		insecure bool
		implicit bool
		want     string // in the error message; "" = no error
	}{
		{"untrusted", []string{"localhost"}, other, false, false, "not signed by an authority"},
		{"wrong name", []string{"smtp.example.org"}, ca, false, false, "not valid for the name localhost"},
		{"untrusted implicit", []string{"localhost"}, other, false, true, "not signed by an authority"},
		{"insecure entry", []string{"localhost"}, other, true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, port := startGoSMTP(t, ca.serverConfig(t, tt.names...), tt.implicit)
			target := localTarget("real", port, func(p *policy.Target) {
				p.Insecure = tt.insecure
				if tt.implicit {
					p.TLS = policy.TLSImplicit
				}
			})
			_, url := startTunnel(t, lab(Config{RootCAs: tt.roots.Pool}), target)
			c := dial(t, url)
			c.JSON(wire.Open{Type: wire.TypeOpen, Target: "real"})
			if !tt.implicit {
				c.Expect(wire.TypeOpened, nil)
				c.Line("220 localhost ESMTP Service Ready\r\n")
				c.Send("STARTTLS\r\n")
				c.Line("220 2.0.0 Ready to start TLS\r\n")
			}
			if tt.want == "" {
				var info wire.TLS
				c.Expect(wire.TypeTLS, &info)
				if info.Verified || !strings.Contains(info.VerifyError, "unknown authority") {
					t.Fatalf("insecure entry: tls = %+v", info)
				}
				return
			}
			e := c.End(wire.TLSFailed)
			if !strings.Contains(e.Message, tt.want) {
				t.Fatalf("message %q lacks %q", e.Message, tt.want)
			}
		})
	}
}

func TestTLSNoCommonVersion(t *testing.T) {
	ca := newTestCA(t)
	cfg := ca.serverConfig(t, "localhost")
	cfg.MaxVersion = tls.VersionTLS11
	cfg.MinVersion = tls.VersionTLS10
	_, port := startGoSMTP(t, cfg, false)
	_, url := startTunnel(t, lab(Config{RootCAs: ca.Pool}), localTarget("old", port))
	c := dial(t, url)
	c.Open("old")
	c.Line("220 localhost ESMTP Service Ready\r\n")
	c.Send("STARTTLS\r\n")
	c.Line("220 2.0.0 Ready to start TLS\r\n")
	if e := c.End(wire.TLSFailed); !strings.Contains(e.Message, "TLS 1.2 or later") {
		t.Fatalf("message %q", e.Message)
	}
}

// A server that writes plaintext right after its 220 to STARTTLS: those bytes
// are discarded and counted, never forwarded, and the session goes on.
func TestSTARTTLSInjectionDiscarded(t *testing.T) {
	ca := newTestCA(t)
	cfg := ca.serverConfig(t, "localhost")
	const injected = "250 injected\r\n"
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		p.readLine() // STARTTLS
		p.say("220 go ahead\r\n" + injected)
		tc := tls.Server(p.Conn, cfg)
		if tc.Handshake() != nil {
			return
		}
		smtpish(&peer{Conn: tc, r: newBufReader(tc), s: p.s})
	})
	_, url := startTunnel(t, lab(Config{RootCAs: ca.Pool}), localTarget("evil", srv.port()))
	c := dial(t, url)
	c.Open("evil")
	c.Line("220 hi\r\n")
	c.Send("STARTTLS\r\n")
	c.Line("220 go ahead\r\n")
	var info wire.TLS
	c.Expect(wire.TypeTLS, &info)
	if info.Discarded != len(injected) {
		t.Fatalf("discarded = %d, want %d", info.Discarded, len(injected))
	}
	c.Line("220 test ESMTP\r\n") // the greeting of smtpish, inside TLS
	c.Send("EHLO x\r\n")
	c.Line("250 ok\r\n")
}
