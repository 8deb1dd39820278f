package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/internal/logbuf"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wire"
)

// startServer serves smtplay as `make run` does, with args, on a test listener.
func startServer(t *testing.T, args ...string) (*Server, *httptest.Server) {
	t.Helper()
	f, err := ParseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	if f.Options.Page, err = testPage(); err != nil {
		t.Fatal(err)
	}
	s, err := New(f.Options)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { hs.Close() })
	return s, hs
}

func wsURL(hs *httptest.Server) string { return "ws" + strings.TrimPrefix(hs.URL, "http") + "/tunnel" }

func getJSON(t *testing.T, url string, v any) int {
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

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// The tunnel contract's checks (the first seed's session among them) over
// a websocket into the sandbox: the in-page sandbox passes them too
// (wasm/sandboxworker).
func TestSeedFlowThroughTunnelOnSandbox(t *testing.T) {
	_, hs := startServer(t, contractLimits...)
	dial := func(t testing.TB) *tunneltest.Client { return tunneltest.Dial(t, wsURL(hs)) }
	tunneltest.Contract(t, dial, func(path string) (int, []byte) {
		resp, err := http.Get(hs.URL + "/" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	})
}

func TestHealthAndPage(t *testing.T) {
	s, hs := startServer(t)
	for path, ctype := range map[string]string{"/healthz": "text/plain", "/": "text/html", "/" + s.page.Prefix() + "app.js": "text/javascript", "/" + s.page.Prefix() + "style.css": "text/css"} {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// The proxy logs one line per session at open and close, and neither logs
// nor metrics hold a credential: not the password, not its base64, not the
// AUTH PLAIN blob.
func TestLogsAndMetricsHoldNoSecrets(t *testing.T) {
	logs := &logbuf.Buffer{}
	a, err := New(Options{Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler())
	defer hs.Close()
	user, pass := a.sandbox.Demo()
	c := tunneltest.Dial(t, wsURL(hs))
	c.Open("sandbox")
	c.Reply()
	c.Send("EHLO x\r\n")
	c.Reply()
	c.Send("AUTH LOGIN\r\n")
	c.Reply()
	c.Send(b64(user) + "\r\n")
	c.Reply()
	c.Send(b64(pass) + "\r\n")
	c.Reply()
	plain := b64("\x00" + user + "\x00" + pass)
	c.Send("AUTH PLAIN " + plain + "\r\n")
	c.Reply()
	c.Send("QUIT\r\n")
	c.Reply()
	c.Closed(wire.ByServer)
	logs.WaitFor(t, "session closed")
	out := logs.String()
	for _, secret := range []string{pass, b64(pass), plain} {
		if strings.Contains(out, secret) {
			t.Fatalf("the log holds %q:\n%s", secret, out)
		}
	}
	if strings.Count(out, `"session open"`) != 1 || strings.Count(out, `"session closed"`) != 1 {
		t.Fatalf("want one open and one close line:\n%s", out)
	}

	// The metrics count the session and hold no secret either.
	rec := httptest.NewRecorder()
	a.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	metrics := rec.Body.String()
	for _, want := range []string{
		`smtplay_sessions_total{outcome="server",target="sandbox"} 1`,
		`smtplay_sessions_open{target="sandbox"} 0`,
		`smtplay_sandbox_mailboxes 1`,
		`smtplay_server_response_seconds_count`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, secret := range []string{pass, b64(pass), plain} {
		if strings.Contains(metrics, secret) {
			t.Fatalf("the metrics hold %q", secret)
		}
	}
	if n := getJSON(t, hs.URL+"/metrics", nil); n != http.StatusNotFound {
		t.Fatalf("the public listener serves /metrics: %d", n)
	}
}

// SIGINT or SIGTERM cancels Serve's context: every session is told and closed.
func TestServeShutsDownGracefully(t *testing.T) {
	a, err := New(Options{ShutdownWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	c := tunneltest.Dial(t, "ws://"+ln.Addr().String()+"/tunnel")
	c.Open("sandbox")
	c.Reply()
	cancel()
	if cl := c.Closed(wire.ByProxy); !strings.Contains(cl.Reason, "shutting down") {
		t.Fatalf("reason %q", cl.Reason)
	}
	c.Gone()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return")
	}
}

// A client that sends its handshake slowly is cut off (Slowloris).
func TestSlowHandshakeTimesOut(t *testing.T) {
	a, err := New(Options{HeaderTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.Serve(ctx, ln)
	if n := getJSON(t, "http://"+ln.Addr().String()+"/healthz", nil); n != 200 {
		t.Fatalf("healthz: %d", n)
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, _ = io.WriteString(conn, "GET /tunnel HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n")
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = io.ReadAll(conn)
	if err != nil || time.Since(start) > 3*time.Second {
		t.Fatalf("the half-sent handshake was not cut off: %v after %s", err, time.Since(start))
	}
}
