package tunnel

import (
	"bufio"
	"crypto/x509"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

// gatedSandbox is a sandbox whose Connect waits until the test releases
// it, so a test can act while the proxy is still opening. Its server
// greets, answers 250 to every line and records them.
type gatedSandbox struct {
	connecting chan struct{} // closed when Connect is called
	release    chan struct{} // close to let Connect return
	once       sync.Once
	mu         sync.Mutex
	received   strings.Builder
}

func newGatedSandbox() *gatedSandbox {
	return &gatedSandbox{connecting: make(chan struct{}), release: make(chan struct{})}
}

func (g *gatedSandbox) Connect(netip.Addr, string, string, func(wire.Delivered)) (net.Conn, string, error) {
	g.once.Do(func() { close(g.connecting) })
	select {
	case <-g.release:
	case <-time.After(30 * time.Second):
	}
	proxySide, serverSide := net.Pipe()
	go func() {
		defer serverSide.Close()
		_, _ = serverSide.Write([]byte("220 gated ESMTP\r\n"))
		r := bufio.NewReader(serverSide)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			g.mu.Lock()
			g.received.WriteString(line)
			g.mu.Unlock()
			_, _ = serverSide.Write([]byte("250 ok\r\n"))
		}
	}()
	return proxySide, "token", nil
}

func (g *gatedSandbox) RootCAs() *x509.CertPool { return nil }

func (g *gatedSandbox) Profile(string) *wire.Profile { return nil }

func (g *gatedSandbox) got() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.received.String()
}

var gatedTarget = policy.Target{Name: "sandbox", Host: "sandbox", Port: 587, TLS: policy.TLSNone, Sandbox: "sandbox"}

// PROTOCOL.md, "Client → proxy": a binary frame before the proxy has sent
// opened is refused with bad_request, also while the proxy is connecting,
// and nothing of it reaches the server; a second open then too. The
// session goes on and is opened.
func TestBinaryBeforeOpenedRefused(t *testing.T) {
	sb := newGatedSandbox()
	_, url := startTunnel(t, Config{Sandbox: sb}, gatedTarget)
	c := dial(t, url)
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	<-sb.connecting
	c.Send("EHLO early\r\n")
	if e := c.Error(wire.BadRequest); e.Detail != "open-first" {
		t.Fatalf("detail %q", e.Detail)
	}
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	if e := c.Error(wire.BadRequest); e.Detail != "already-open" {
		t.Fatalf("a second open while opening: detail %q", e.Detail)
	}
	close(sb.release)
	c.Expect(wire.TypeOpened, nil)
	c.Line("220 gated ESMTP\r\n")
	c.Send("NOOP\r\n")
	c.Line("250 ok\r\n")
	if got := sb.got(); got != "NOOP\r\n" {
		t.Fatalf("the server received %q: a frame sent before opened went through", got)
	}
}

// A close while the proxy is still connecting ends the session at once:
// by the client, before it was opened.
func TestCloseWhileOpening(t *testing.T) {
	sb := newGatedSandbox()
	_, url := startTunnel(t, Config{Sandbox: sb}, gatedTarget)
	c := dial(t, url)
	c.JSON(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	<-sb.connecting
	c.JSON(wire.Close{Type: wire.TypeClose})
	if cl := c.Closed(wire.ByClient); cl.Detail != "closed-before-open" {
		t.Fatalf("detail %q", cl.Detail)
	}
	c.Gone()
	close(sb.release)
}

// PROTOCOL.md, "Error codes": an open refused with bad_request ends the
// session, a malformed one as much as one that names nothing; other
// malformed messages are refused and the session goes on.
func TestMalformedOpenEnds(t *testing.T) {
	srv := startScripted(t, smtpish)
	_, url := startTunnel(t, lab(Config{}), localTarget("real", srv.port()))
	for _, open := range []string{
		`{"type":"open","host":"localhost","port":587.5}`,
		`{"type":"open","target":"real","port":587.5}`,
		`{"type":"open","host":"localhost","port":"587"}`,
		`{"type":"open","target":7}`,
		`{"type":"open","mailbox":["x"]}`,
		`{"type":"open","host":"localhost","port":-1}`,
	} {
		c := dial(t, url)
		c.Raw(websocket.MessageText, []byte(open))
		c.End(wire.BadRequest)
	}
	if n := srv.connections(); n != 0 {
		t.Fatalf("malformed opens made %d connections", n)
	}
	// A message that is no open is refused, and the session goes on.
	c := dial(t, url)
	c.Raw(websocket.MessageText, []byte(`{"type":"launch","port":587.5}`))
	c.Error(wire.BadRequest)
	c.Open("real")
	c.Line("220 test ESMTP\r\n")
}
