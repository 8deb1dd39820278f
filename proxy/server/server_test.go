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

// The first seed's session, typed through the tunnel into the sandbox.
func TestSeedFlowThroughTunnelOnSandbox(t *testing.T) {
	_, hs := startServer(t)
	var targets []struct {
		Name string
		Host string
		Port int
		TLS  string
		Demo *struct{ Username, Password string }
	}
	getJSON(t, hs.URL+"/api/targets", &targets)
	if len(targets) == 0 || targets[0].Name != "sandbox" || targets[0].Demo == nil || targets[0].TLS != "none" {
		t.Fatalf("targets %+v", targets)
	}
	user, pass := targets[0].Demo.Username, targets[0].Demo.Password

	c := tunneltest.Dial(t, wsURL(hs))
	opened := c.Open("sandbox")
	if opened.Remote != "sandbox" || opened.Mailbox == "" || opened.Host != "sandbox" {
		t.Fatalf("opened %+v", opened)
	}
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("greeting %q", r)
	}
	c.Send("EHLO\r\n")
	if r := c.Reply(); r[0] != '5' {
		t.Fatalf("EHLO without a domain: %q", r)
	}
	c.Send("EHLO smtp.test\r\n")
	if r := c.Reply(); !strings.Contains(r, "STARTTLS") {
		t.Fatalf("EHLO: %q", r)
	}
	c.Send("STARTTLS\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("STARTTLS: %q", r)
	}
	var info wire.TLS
	c.Expect(wire.TypeTLS, &info)
	if !info.Verified || info.ServerName != "sandbox" || info.Discarded != 0 {
		t.Fatalf("tls %+v", info)
	}
	c.Send("EHLO smtp.test\r\n")
	if r := c.Reply(); !strings.Contains(r, "AUTH") || !strings.Contains(r, "LOGIN") {
		t.Fatalf("EHLO after TLS: %q", r)
	}
	c.Send("AUTH LOGIN\r\n")
	c.Line("334 VXNlcm5hbWU6\r\n")
	c.Send(b64(user) + "\r\n")
	c.Line("334 UGFzc3dvcmQ6\r\n")
	c.Send(b64("wrong") + "\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "535 5.7.8") {
		t.Fatalf("wrong password: %q", r)
	}
	c.Send("AUTH PLAIN " + b64("\x00"+user+"\x00"+pass) + "\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "235 ") {
		t.Fatalf("AUTH PLAIN: %q", r)
	}
	c.Send("RCPT TO:<gorniksmtp@example.org>\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "503 5.5.1") {
		t.Fatalf("RCPT before MAIL: %q", r)
	}
	c.Send("MAIL FROM:<gorniksmtp@example.org>\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("MAIL: %q", r)
	}
	c.Send("RCPT TO:<gorniksmtp@example.org>\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("RCPT: %q", r)
	}
	c.Send("DATA\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "354 ") {
		t.Fatalf("DATA: %q", r)
	}
	body := "Subject: TEST SMTP\r\nTo: <gorniksmtp@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Witaj, właśnie przeprowadzam test SMTP. ąćęłńóśźż\r\n" +
		"8-bit: \xe9t\xe9\r\n" +
		"..a line that starts with a dot\r\n"
	c.Send(body + ".\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("end of data: %q", r)
	}
	var d wire.Delivered
	c.Expect(wire.TypeDelivered, &d)
	if d.Subject != "TEST SMTP" || d.From != "gorniksmtp@example.org" || len(d.To) != 1 || d.ID == "" {
		t.Fatalf("delivered %+v", d)
	}
	c.Send("QUIT\r\n")
	if r := c.Reply(); !strings.HasPrefix(r, "221 ") {
		t.Fatalf("QUIT: %q", r)
	}
	c.Closed(wire.ByServer)

	var list struct {
		Messages []struct {
			ID, Subject string
			Size        int
		}
	}
	getJSON(t, hs.URL+"/api/sandbox/"+opened.Mailbox+"/messages", &list)
	if len(list.Messages) != 1 || list.Messages[0].ID != d.ID || list.Messages[0].Subject != "TEST SMTP" {
		t.Fatalf("mailbox %+v", list)
	}
	resp, err := http.Get(hs.URL + "/api/sandbox/" + opened.Mailbox + "/messages/" + d.ID + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := strings.Replace(body, "\r\n..a line", "\r\n.a line", 1)
	if !strings.HasSuffix(string(raw), "\r\n"+want) || d.Size != len(want) {
		t.Fatalf("raw message %q (size %d), want it to end with %q (size %d)", raw, d.Size, want, len(want))
	}
	if n := getJSON(t, hs.URL+"/api/sandbox/nosuchtoken/messages", nil); n != 404 {
		t.Fatalf("unknown token: %d", n)
	}
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
