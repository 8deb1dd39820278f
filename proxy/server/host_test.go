package server

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/smtplay/smtplay/internal/logbuf"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wire"
)

// rawRequest sends one GET with the Host header host and the given extra
// header lines to addr, and returns the status and the body's start.
func rawRequest(t *testing.T, addr, path, host string, header ...string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
	for _, h := range header {
		req += h + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	return resp.StatusCode, string(body)
}

// upgrade is a browser's websocket handshake from a page at origin.
func upgrade(origin string) []string {
	return []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol: " + wire.Subprotocol, "Origin: " + origin}
}

// countingServer is a lab SMTP server that counts the connections it gets.
func countingServer(t *testing.T) (port int, connections *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	connections = &atomic.Int32{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			_, _ = io.WriteString(c, "220 lab ESMTP\r\n")
			c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, connections
}

// docs/SECURITY.md T2a, test plan 16a: a page whose name rebinds to a lab
// proxy gets 421 for the page, the API and the tunnel, and no server is
// dialled; /healthz answers any Host.
func TestRebindingHostIsMisdirected(t *testing.T) {
	port, dialled := countingServer(t)
	_, hs := startServer(t, "-allow-private", "-allow", "localhost:"+strconv.Itoa(port))
	addr := hs.Listener.Addr().String()
	for _, host := range []string{"evil.example", "evil.example:" + strings.Split(addr, ":")[1], "192.0.2.7", ""} {
		for _, path := range []string{"/", "/embed", "/app.js", "/api/targets", "/api/settings", "/api/sandbox/x/messages"} {
			if code, body := rawRequest(t, addr, path, host); code != http.StatusMisdirectedRequest || !strings.Contains(body, "-allow-host") {
				t.Errorf("Host %q, GET %s: %d %q, want 421 and a sentence", host, path, code, body)
			}
		}
		code, body := rawRequest(t, addr, "/tunnel", host, upgrade("http://"+host)...)
		if code != http.StatusMisdirectedRequest {
			t.Errorf("Host %q, the tunnel: %d %q, want 421 and no upgrade", host, code, body)
		}
		if code, _ := rawRequest(t, addr, "/healthz", host); code != http.StatusOK {
			t.Errorf("Host %q, /healthz: %d, want 200", host, code)
		}
	}
	// The rebinding page itself: its websocket is refused before the
	// upgrade, so its open never reaches the lab server.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, wsURL(hs), &websocket.DialOptions{
		Host: "evil.example", HTTPHeader: http.Header{"Origin": {"http://evil.example"}}, Subprotocols: []string{wire.Subprotocol},
	})
	if err == nil {
		_ = wsjson.Write(ctx, ws, wire.Open{Type: wire.TypeOpen, Host: "localhost", Port: port})
		for range 2 {
			if _, msg, err := ws.Read(ctx); err == nil {
				t.Logf("the rebinding page got %q", msg)
			}
		}
		ws.CloseNow()
		t.Errorf("the rebinding page's websocket was upgraded")
	} else if resp == nil || resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("the rebinding page's websocket: %v, want 421", err)
	}
	if n := dialled.Load(); n != 0 {
		t.Fatalf("the lab server was dialled %d times", n)
	}
}

// The forms a person uses still work: localhost, 127.0.0.1 and [::1] with
// the port, an -allow-host name, the -public-url's host.
func TestServedHosts(t *testing.T) {
	_, hs := startServer(t, "-allow-host", "smtplay.lab.example", "-sessions-per-ip", "100", "-sessions-per-minute", "1000")
	addr := hs.Listener.Addr().String()
	_, p, _ := net.SplitHostPort(addr)
	for _, host := range []string{"localhost:" + p, "LOCALHOST", "127.0.0.1:" + p, "[::1]:" + p, "smtplay.lab.example", "smtplay.lab.example:" + p} {
		for _, path := range []string{"/", "/api/targets", "/api/settings"} {
			if code, body := rawRequest(t, addr, path, host); code != http.StatusOK {
				t.Errorf("Host %q, GET %s: %d %q", host, path, code, body)
			}
		}
		if code, _ := rawRequest(t, addr, "/tunnel", host, upgrade("http://"+host)...); code != http.StatusSwitchingProtocols {
			t.Errorf("Host %q, the tunnel: %d, want 101", host, code)
		}
	}
	c := tunneltest.Dial(t, wsURL(hs)) // Go's client sends the listener's address
	c.Open("sandbox")
	c.Reply()

	_, pub := startServer(t, "-public-url", "https://smtplay.example.edu")
	paddr := pub.Listener.Addr().String()
	for host, want := range map[string]int{"smtplay.example.edu": 200, "SMTPLAY.example.edu:443": 200, "127.0.0.1": 200, "evil.example": 421} {
		if code, _ := rawRequest(t, paddr, "/api/targets", host); code != want {
			t.Errorf("-public-url, Host %q: %d, want %d", host, code, want)
		}
	}
}

// Without -public-url, an address of this machine other than loopback (a
// classroom using the LAN address) is served.
func TestMachineAddressServed(t *testing.T) {
	ip := nonLoopbackAddr(t)
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skip("cannot listen on", ip, err)
	}
	hs := httptest.NewUnstartedServer(s.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	defer hs.Close()
	for host, want := range map[string]int{ln.Addr().String(): 200, "evil.example": 421} {
		if code, _ := rawRequest(t, ln.Addr().String(), "/api/targets", host); code != want {
			t.Errorf("Host %q: %d, want %d", host, code, want)
		}
	}
}

func nonLoopbackAddr(t *testing.T) string {
	list, _ := net.InterfaceAddrs()
	for _, a := range list {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no non-loopback IPv4 address")
	return ""
}

func TestAllowHostFlagAndTwin(t *testing.T) {
	t.Setenv("SMTPLAY_ALLOW_HOST", "smtplay.lab.example 192.0.2.10")
	f, err := ParseFlags(nil)
	if err != nil || strings.Join(f.AllowHost, " ") != "smtplay.lab.example 192.0.2.10" {
		t.Fatalf("SMTPLAY_ALLOW_HOST: %v %v", f, err)
	}
	f, err = ParseFlags([]string{"-allow-host", "a.lab.example", "-allow-host", "b.lab.example"})
	if err != nil || strings.Join(f.AllowHost, " ") != "a.lab.example b.lab.example" {
		t.Fatalf("-allow-host: %v %v", f, err)
	}
	if _, err := New(Options{AllowHost: []string{"*.lab.example"}}); err == nil || !strings.Contains(err.Error(), "-allow-host") {
		t.Errorf("a wildcard -allow-host: %v", err)
	}
}

// Lab mode reachable from other machines without -public-url is said at start-up.
func TestLabModeOnOpenListenerWarns(t *testing.T) {
	for _, tt := range []struct {
		opts   Options
		listen string
		warn   bool
	}{
		{Options{AllowPrivate: true}, "0.0.0.0:8080", true},
		{Options{AllowPrivate: true}, "192.0.2.1:8080", true},
		{Options{AllowPrivate: true}, "[::]:8080", true},
		{Options{AllowPrivate: true}, "127.0.0.1:8080", false},
		{Options{AllowPrivate: true}, "[::1]:8080", false},
		{Options{AllowPrivate: true, PublicURL: "https://lab.example.edu"}, "0.0.0.0:8080", false},
		{Options{}, "0.0.0.0:8080", false},
	} {
		logs := &logbuf.Buffer{}
		tt.opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
		s, err := New(tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		addr, _ := net.ResolveTCPAddr("tcp", tt.listen)
		s.LogStart(addr)
		if got := strings.Contains(logs.String(), "lab mode (-allow-private)"); got != tt.warn {
			t.Errorf("%+v on %s: warned %v, want %v", tt.opts, tt.listen, got, tt.warn)
		}
	}
}
