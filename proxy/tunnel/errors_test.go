package tunnel

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

func TestBadRequests(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Send("EHLO x\r\n")
	c.Error(wire.BadRequest) // binary before opened
	c.Raw(websocket.MessageText, []byte("{not json"))
	c.Error(wire.BadRequest)
	c.JSON(map[string]string{"type": "launch"})
	c.Error(wire.BadRequest)
	c.Raw(websocket.MessageText, []byte(`{"target":"real"}`))
	c.Error(wire.BadRequest) // no type
	c.Raw(websocket.MessageText, []byte("\xff\xfe"))
	c.Error(wire.BadRequest) // not UTF-8 (the browser could not send it, a script can)
	c.Open("real")
	c.Line("220 test ESMTP\r\n")
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "real"})
	c.Error(wire.BadRequest) // second open
	c.Send("NOOP\r\n")
	c.Line("250 ok\r\n") // the session went on
	if srv.got() != "NOOP\r\n" {
		t.Fatalf("server received %q", srv.got())
	}
}

func TestRefusedOpens(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	tests := []struct {
		name string
		open wire.Open
		code wire.Code
	}{
		{"unknown target", wire.Open{Target: "gmail"}, wire.NotAllowed},
		{"host not listed", wire.Open{Host: "10.0.0.1", Port: 22}, wire.NotAllowed},
		{"listed host other port", wire.Open{Host: "localhost", Port: 25}, wire.NotAllowed},
		{"both target and host", wire.Open{Target: "real", Host: "localhost", Port: srv.port()}, wire.BadRequest},
		{"nothing", wire.Open{}, wire.BadRequest},
		{"mailbox on a real server", wire.Open{Target: "real", Mailbox: "abc"}, wire.BadRequest},
		// docs/SECURITY.md, test plan 14: numeric and local spellings never match an entry.
		{"decimal IPv4", wire.Open{Host: "2130706433", Port: 587}, wire.NotAllowed},
		{"octal IPv4", wire.Open{Host: "0177.0.0.1", Port: 587}, wire.NotAllowed},
		{"hex IPv4", wire.Open{Host: "0x7f.1", Port: 587}, wire.NotAllowed},
		{"IPv4-mapped IPv6", wire.Open{Host: "::ffff:127.0.0.1", Port: 587}, wire.NotAllowed},
		{"bracketed IPv6 loopback", wire.Open{Host: "[::1]", Port: 587}, wire.NotAllowed},
		{"cloud metadata", wire.Open{Host: "169.254.169.254", Port: 80}, wire.NotAllowed},
		{"gmail on port 25", wire.Open{Host: "smtp.gmail.com", Port: 25}, wire.NotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, url)
			tt.open.Type = wire.TypeOpen
			c.JSON(tt.open)
			c.End(tt.code)
		})
	}
	if n := srv.connections(); n != 0 {
		t.Fatalf("refused opens made %d connections", n)
	}
	// The host and port form reaches a listed entry, case and trailing dot aside.
	c := dial(t, url)
	c.JSON(wire.Open{Type: wire.TypeOpen, Host: "LOCALHOST.", Port: srv.port()})
	c.Expect(wire.TypeOpened, nil)
	c.Line("220 test ESMTP\r\n")
}

func TestDialGuardRefusesLoopback(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, Config{}, localTarget("inside", srv.port()))
	c := dial(t, url)
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "inside"})
	e := c.End(wire.NotAllowed)
	if !strings.Contains(e.Message, "127.0.0.1") && !strings.Contains(e.Message, "::1") {
		t.Fatalf("message %q does not name the address", e.Message)
	}
	if n := srv.connections(); n != 0 {
		t.Fatalf("the guard let %d connections through", n)
	}
}

func TestDialFailures(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closedPort := portOf(ln)
	ln.Close()
	// A resolver whose DNS server does not answer: lookups fail at once.
	deadDNS := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return nil, errors.New("no DNS server here")
	}}
	_, url := startTunnel(t, lab(Config{Resolver: deadDNS}),
		localTarget("refused", closedPort, func(t *policy.Target) { t.Host = "127.0.0.1" }),
		localTarget("nodns", 587, func(t *policy.Target) { t.Host = "smtp.nowhere.test" }))
	for name, want := range map[string]string{"refused": "refused the connection", "nodns": "DNS"} {
		c := dial(t, url)
		c.JSON(wire.Open{Type: wire.TypeOpen, Target: name})
		if e := c.End(wire.DialFailed); !strings.Contains(e.Message, want) {
			t.Errorf("%s: message %q lacks %q", name, e.Message, want)
		}
	}
}

func TestFrameRefusals(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 test ESMTP\r\n")
	for _, frame := range []string{
		"RCPT TO:<a@b>\nDATA\r\n", // docs/SECURITY.md, test plan 1
		"\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "NOOP", "NOOP\r\nNO\x00OP\r\n", "",
	} {
		c.Send(frame)
		c.Error(wire.BadLineEnding)
	}
	c.Send(strings.Repeat("x", wire.MaxMessage-1) + "\r\n")
	c.Error(wire.FrameTooLarge)
	c.Send("STARTTLS\r\nEHLO x\r\n")
	c.Error(wire.ReplyPending)
	c.Send("BDAT 10 LAST\r\n")
	c.Error(wire.NotSupported)
	c.Send("AUTH LOGIN\r\n")
	c.Error(wire.NotAllowed) // a real server, no TLS
	c.Send("DATA\r\n")
	c.Line("354 go ahead\r\n")
	// DATA content: a smuggling attempt inside the body is refused whole.
	c.Send("x\n.\r\nMAIL FROM:<ceo@bank>\r\n")
	c.Error(wire.BadLineEnding)
	c.Send("Subject: hi\r\n\r\nSTARTTLS\r\n.\r\n")
	c.Line("250 2.0.0 queued\r\n")
	c.Send("QUIT\r\n")
	c.Line("221 2.0.0 bye\r\n")
	c.Closed(wire.ByServer)
	// The server received only what was accepted, nothing of a refused frame.
	want := "DATA\r\nSubject: hi\r\n\r\nSTARTTLS\r\n.\r\nQUIT\r\n"
	if got := srv.got(); got != want {
		t.Fatalf("server received %q, want %q", got, want)
	}
}

func TestDataPendingRefusesNextFrame(t *testing.T) {
	release := make(chan struct{})
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		p.readLine()
		<-release
		p.say("354 go\r\n")
		p.readLine()
	})
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 hi\r\n")
	c.Send("DATA\r\n")
	c.Send("Subject: early\r\n")
	if e := c.Error(wire.ReplyPending); e.Detail != "reply-pending" || e.Args["verb"] != "DATA" {
		t.Errorf("refusal %q %v, want reply-pending naming DATA", e.Detail, e.Args)
	}
	close(release)
	c.Line("354 go\r\n")
}

func TestOversizedMessageClosesWith1009(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 test ESMTP\r\n")
	c.Send(strings.Repeat("x", 2<<20) + "\r\n")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.Conn.Read(ctx)
		if err != nil {
			if s := websocket.CloseStatus(err); s != websocket.StatusMessageTooBig {
				t.Fatalf("close status %v (%v), want 1009", s, err)
			}
			break
		}
	}
	if srv.got() != "" {
		t.Fatalf("server received %d bytes", len(srv.got()))
	}
}

func TestRateLimited(t *testing.T) {
	srv := startScripted(t, smtpish)
	lim := policy.NewLimiter(policy.Limits{SessionsPerIP: 1, NewPerMinute: 100, GlobalPerSecond: 100})
	_, url := startTunnel(t, lab(Config{Limiter: lim}), localTarget("real", srv.port()))
	first := dial(t, url)
	first.Open("real")
	second := dial(t, url)
	second.End(wire.RateLimited)
	first.JSON(wire.Close{Type: wire.TypeClose})
	first.Line("220 test ESMTP\r\n")
	first.Line("221 2.0.0 bye\r\n")
	first.Closed(wire.ByClient)
	first.Gone()
	waitFor(t, func() bool { third := tryOpen(t, url); return third })
}

// A client opening sessions fast is refused once its per-minute allowance
// is spent, even though it closes each one.
func TestRateLimitedWhenOpeningFast(t *testing.T) {
	srv := startScripted(t, smtpish)
	lim := policy.NewLimiter(policy.Limits{SessionsPerIP: 100, NewPerMinute: 3, GlobalPerSecond: 100})
	_, url := startTunnel(t, lab(Config{Limiter: lim}), localTarget("real", srv.port()))
	for i := 0; i < 3; i++ {
		c := dial(t, url)
		c.Open("real")
		c.Conn.CloseNow()
	}
	c := dial(t, url)
	if e := c.End(wire.RateLimited); !strings.Contains(e.Message, "wait a minute") {
		t.Fatalf("message %q", e.Message)
	}
}

// tryOpen reports whether a new session is admitted.
func tryOpen(t *testing.T, url string) bool {
	c := dial(t, url)
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "real"})
	typ, _ := c.Next()
	return typ == wire.TypeOpened
}

func TestSessionLimits(t *testing.T) {
	srv := startScripted(t, smtpish)
	t.Run("byte budget", func(t *testing.T) {
		_, url := startTunnel(t, lab(Config{Limits: Limits{ByteBudget: 20}}), localTarget("real", srv.port()))
		c := dial(t, url)
		c.Open("real")
		c.Line("220 test ESMTP\r\n")
		c.Send("EHLO client.test\r\n") // 18 bytes
		c.Line("250 ok\r\n")
		c.Send("NOOP\r\n") // 24 > 20
		c.End(wire.SessionLimit)
	})
	t.Run("duration", func(t *testing.T) {
		_, url := startTunnel(t, lab(Config{Limits: Limits{MaxDuration: 300 * time.Millisecond}}), localTarget("real", srv.port()))
		c := dial(t, url)
		c.Open("real")
		c.Line("220 test ESMTP\r\n")
		c.End(wire.SessionLimit)
	})
}

func TestIdleTimeout(t *testing.T) {
	stalled := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		p.readLine()
		p.readLine() // never answers; returns when the proxy closes
	})
	_, url := startTunnel(t, lab(Config{Limits: Limits{Idle: 300 * time.Millisecond}}), localTarget("real", stalled.port()))
	c := dial(t, url)
	c.Open("real")
	c.Line("220 hi\r\n")
	c.Send("EHLO x\r\n")
	if e := c.End(wire.Timeout); !strings.Contains(e.Message, "server did not answer") {
		t.Fatalf("message %q", e.Message)
	}
	// The client silent before open.
	c2 := dial(t, url)
	if e := c2.End(wire.Timeout); !strings.Contains(e.Message, "nothing happened") {
		t.Fatalf("message %q", e.Message)
	}
}

// failingSandbox is a sandbox that cannot take sessions.
type failingSandbox struct{}

func (failingSandbox) Connect(netip.Addr, string, string, func(wire.Delivered)) (net.Conn, string, error) {
	return nil, "", errors.New("out of pipes")
}
func (failingSandbox) RootCAs() *x509.CertPool { return nil }

func (failingSandbox) Profile(string) *wire.Profile { return nil }

func TestInternal(t *testing.T) {
	_, url := startTunnel(t, Config{Sandbox: failingSandbox{}}, policy.Target{Name: "sandbox", Host: "sandbox", Port: 587, TLS: policy.TLSNone, Sandbox: "sandbox"})
	c := dial(t, url)
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	c.End(wire.Internal)
}

func TestForeignOriginRefused(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	host := strings.TrimPrefix(strings.TrimSuffix(url, "/tunnel"), "ws://")
	for _, origin := range []string{"https://evil.example", "null", "http://evil.example:" + strings.Split(host, ":")[1]} {
		h := http.Header{"Origin": {origin}}
		_, resp, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{HTTPHeader: h})
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("Origin %s: err %v, resp %v; want 403", origin, err, resp)
		}
	}
	// Its own origin is accepted.
	h := http.Header{"Origin": {"http://" + host}}
	c, _, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("own origin refused: %v", err)
	}
	c.CloseNow()
	if n := srv.connections(); n != 0 {
		t.Fatalf("%d upstream connections", n)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A real server gets at most 5 recipients, 3 messages and 3 failed logins per
// session (docs/SECURITY.md, T4); the excess is never forwarded.
func TestRealServerQuota(t *testing.T) {
	srv := startScripted(t, func(p *peer) {
		p.say("220 hi\r\n")
		for inData := false; ; {
			line := p.readLine()
			switch {
			case line == "":
				return
			case inData && line == ".\r\n":
				inData = false
				p.say("250 queued\r\n")
			case inData:
			case line == "DATA\r\n":
				inData = true
				p.say("354 go\r\n")
			case strings.HasPrefix(line, "AUTH"):
				p.say("535 5.7.8 Authentication credentials invalid\r\n")
			default:
				p.say("250 ok\r\n")
			}
		}
	})
	plain := func(t *policy.Target) { t.PlainAuth = true }
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port(), plain))
	t.Run("recipients", func(t *testing.T) {
		c := dial(t, url)
		c.Open("real")
		c.Line("220 hi\r\n")
		c.Send("MAIL FROM:<a@b>\r\n" + strings.Repeat("RCPT TO:<c@d>\r\n", 5))
		for i := 0; i < 6; i++ {
			c.Line("250 ok\r\n")
		}
		c.Send("RCPT TO:<sixth@d>\r\n")
		c.End(wire.SessionLimit)
		if strings.Contains(srv.got(), "sixth") {
			t.Fatal("the sixth recipient reached the server")
		}
	})
	t.Run("messages", func(t *testing.T) {
		c := dial(t, url)
		c.Open("real")
		c.Line("220 hi\r\n")
		for i := 0; i < 3; i++ {
			c.Send("DATA\r\n")
			c.Line("354 go\r\n")
			c.Send("x\r\n.\r\n")
			c.Line("250 queued\r\n")
		}
		c.Send("DATA\r\n")
		c.End(wire.SessionLimit)
	})
	t.Run("auth failures", func(t *testing.T) {
		c := dial(t, url)
		c.Open("real")
		c.Line("220 hi\r\n")
		for i := 0; i < 3; i++ {
			c.Send("AUTH PLAIN AGEAYg==\r\n")
			c.Line("535 5.7.8 Authentication credentials invalid\r\n")
		}
		c.End(wire.SessionLimit)
	})
}

func TestAllowedEmbeddingOrigin(t *testing.T) {
	srv := startScripted(t, smtpish)
	origins, err := policy.NewOrigins("", []string{"https://*.course.example.edu"})
	if err != nil {
		t.Fatal(err)
	}
	_, url := startTunnel(t, lab(Config{Origins: origins}), localTarget("real", srv.port()))
	for origin, want := range map[string]int{
		"https://cs101.course.example.edu": http.StatusSwitchingProtocols,
		"http://cs101.course.example.edu":  http.StatusForbidden,
		"https://course.example.edu.evil":  http.StatusForbidden,
	} {
		c, resp, _ := websocket.Dial(context.Background(), url, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}})
		if resp == nil || resp.StatusCode != want {
			t.Errorf("Origin %s: %v, want %d", origin, resp, want)
		}
		if c != nil {
			c.CloseNow()
		}
	}
}
