//go:build !js

package console

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/proxy/tunnel"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// playground is the real tunnel and sandbox on a loopback HTTP server.
type playground struct {
	url  string // ws://…/tunnel
	http string // http://…
	sb   *sandbox.Sandbox
}

// sandboxConn lets the tunnel reach the sandbox, as the smtplay binary does.
type sandboxConn struct{ sb *sandbox.Sandbox }

func (a sandboxConn) Connect(client netip.Addr, profile, token string, onDeliver func(wire.Delivered)) (net.Conn, string, error) {
	return a.sb.ConnectFrom(client, profile, token, func(d sandbox.Delivery) {
		onDeliver(wire.Delivered{Type: wire.TypeDelivered, ID: d.ID, From: d.From, To: d.To, Subject: d.Subject, Size: d.Size})
	})
}

func (a sandboxConn) RootCAs() *x509.CertPool { return a.sb.RootCAs() }

func (a sandboxConn) Profile(name string) *wire.Profile { return sandbox.WireProfile(name) }

// startPlayground serves the sandbox targets and, with real set, a target
// named "real" that reaches the sandbox over TCP as a real server would be
// reached: dialled, with the proxy's rules for real servers.
func startPlayground(t *testing.T, real bool) *playground {
	t.Helper()
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var targets []policy.Target
	for _, p := range sb.Profiles() {
		targets = append(targets, policy.Target{Name: p.Name, Host: p.Name, Port: 587, Sandbox: p.Name})
	}
	ctx, cancel := context.WithCancel(context.Background())
	if real {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sb.ServeTCP(ctx, l, "sandbox"); err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		targets = append(targets, policy.Target{Name: "real", Host: "127.0.0.1", Port: port})
	}
	table, err := policy.NewTable(targets...)
	if err != nil {
		t.Fatal(err)
	}
	ts := tunnel.NewServer(tunnel.Config{Targets: table, Sandbox: sandboxConn{sb}, Guard: policy.Guard{AllowPrivate: true},
		Logger: slog.New(slog.DiscardHandler)})
	mux := http.NewServeMux()
	mux.Handle("GET /tunnel", ts)
	mux.Handle("GET /api/sandbox/", sb.Handler())
	hs := httptest.NewServer(mux)
	t.Cleanup(func() {
		cancel()
		hs.Close()
		sctx, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		_ = ts.Shutdown(sctx)
		_ = sb.Shutdown(sctx)
	})
	return &playground{url: "ws" + strings.TrimPrefix(hs.URL, "http") + "/tunnel", http: hs.URL, sb: sb}
}

// recorder keeps every event a Console emits.
type recorder struct {
	mu  sync.Mutex
	all []Event
	ch  chan Event
}

func newConsole(t *testing.T) (*Console, *recorder) {
	r := &recorder{ch: make(chan Event, 4096)}
	c := New(func(ev Event) {
		r.mu.Lock()
		r.all = append(r.all, ev)
		r.mu.Unlock()
		r.ch <- ev
	}, DialWebSocket)
	t.Cleanup(c.Close)
	return c, r
}

// until returns the next event that satisfies ok, failing after a while.
func (r *recorder) until(t *testing.T, what string, ok func(Event) bool) Event {
	t.Helper()
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	for {
		select {
		case ev := <-r.ch:
			if ok(ev) {
				return ev
			}
		case <-timer.C:
			t.Fatalf("no %s in time; events so far:\n%s", what, r.dump())
		}
	}
}

func (r *recorder) next(t *testing.T, typ EventType) Event {
	t.Helper()
	return r.until(t, string(typ), func(ev Event) bool { return ev.Type == typ })
}

// reply waits for the next complete server reply.
func (r *recorder) reply(t *testing.T) *session.Reply {
	t.Helper()
	var rep *session.Reply
	r.until(t, "reply", func(ev Event) bool {
		for _, se := range ev.Session {
			if se.Kind == session.EventReply {
				rep = se.Reply
				return true
			}
		}
		return false
	})
	return rep
}

// replyTo waits for the reply that answers verb.
func (r *recorder) replyTo(t *testing.T, to string) *session.Reply {
	t.Helper()
	for {
		if rep := r.reply(t); rep.To == to {
			return rep
		}
	}
}

// sent lists the lines sent, as shown.
func (r *recorder) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.all {
		if ev.Type == EventSent {
			out = append(out, ev.Analysis.Shown)
		}
	}
	return out
}

func (r *recorder) dump() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, ev := range r.all {
		ev.View = View{}
		j, _ := json.Marshal(ev)
		if len(j) > 300 {
			j = append(j[:300], "…"...)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// open connects to target and waits for the greeting.
func open(t *testing.T, c *Console, r *recorder, pg *playground, target string) *wire.Opened {
	t.Helper()
	c.Connect(pg.url, Target{Name: target})
	ev := r.next(t, EventOpened)
	if rep := r.reply(t); rep.Code != 220 {
		t.Fatalf("greeting %+v", rep)
	}
	return ev.Opened
}

// ask submits a line and returns its reply.
func ask(t *testing.T, c *Console, r *recorder, line string) *session.Reply {
	t.Helper()
	c.Submit(line, false)
	return r.reply(t)
}
