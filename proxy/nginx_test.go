package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wire"
)

// The shipped nginx example (deploy/nginx/smtplay.conf), on test ports, in
// front of smtplay: the page loads over HTTPS, a tunnel session works, the
// log names the browser's address rather than nginx's (X-Forwarded-For read
// right to left past the trusted proxy, a forged entry ignored), and a
// foreign Origin is still refused.
func TestBehindNginx(t *testing.T) {
	site := startBehindNginx(t, "127.0.0.1", nil)
	public, ca, logs := site.public, site.ca, site.logs

	// The page over HTTPS.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool}}}
	resp, err := client.Get(public + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page through nginx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// A browser at 127.0.0.2 with a forged X-Forwarded-For opens a tunnel.
	browser := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: ca.Pool},
		DialContext:     (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}).DialContext,
	}}
	dial := func(origin string) (*websocket.Conn, *http.Response, error) {
		h := http.Header{"Origin": {origin}, "X-Forwarded-For": {"6.6.6.6"}}
		return websocket.Dial(context.Background(), strings.Replace(public, "https", "wss", 1)+"/tunnel",
			&websocket.DialOptions{HTTPClient: browser, HTTPHeader: h, Subprotocols: []string{wire.Subprotocol}})
	}
	conn, _, err := dial(public)
	if err != nil {
		t.Fatalf("tunnel through nginx: %v", err)
	}
	c := &tunneltest.Client{T: t, Conn: conn}
	c.Open("sandbox")
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("greeting %q", r)
	}
	c.Send("QUIT\r\n")
	c.Reply()
	c.Closed(wire.ByServer)
	c.Gone()
	waitForLog(t, logs, "session closed")
	if out := logs.String(); !strings.Contains(out, `"client":"127.0.0.2"`) || strings.Contains(out, "6.6.6.6") {
		t.Fatalf("the log does not name the browser's address:\n%s", out)
	}

	// A foreign page may not open a tunnel, through nginx or not.
	if _, resp, err := dial("https://evil.example"); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin through nginx: %v %v", err, resp)
	}
}

// nginxSite is smtplay served behind nginx running the shipped example.
type nginxSite struct {
	public string // https://localhost:PORT, nginx's address and smtplay's -public-url
	ca     *tunneltest.CA
	chain  string // the PEM chain nginx presents
	logs   *lockedWriter
}

// startBehindNginx serves smtplay with -public-url and -trust-proxy trust
// behind nginx, whose site is deploy/nginx/smtplay.conf on test ports with
// the extra replacements.
func startBehindNginx(t *testing.T, trust string, extra map[string]string) nginxSite {
	t.Helper()
	nginx := needTool(t, "nginx")
	ca := tunneltest.NewCA(t)
	dir := t.TempDir()
	chain, key := ca.WritePEM(t, dir, "localhost")
	port := freePort(t)
	public := fmt.Sprintf("https://localhost:%d", port)

	logs := &lockedWriter{}
	opts, err := parseOptions([]string{"-public-url", public, "-trust-proxy", trust})
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(opts, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewServer(a.routes())
	t.Cleanup(upstream.Close)

	repl := map[string]string{
		"listen 443 ssl;":                  fmt.Sprintf("listen 127.0.0.1:%d ssl;", port),
		"server_name smtplay.example.edu;": "server_name localhost;",
		"/etc/ssl/smtplay/fullchain.pem":   chain,
		"/etc/ssl/smtplay/privkey.pem":     key,
		"http://127.0.0.1:8080":            upstream.URL,
	}
	for k, v := range extra {
		repl[k] = v
	}
	startNginx(t, nginx, dir, readExample(t, repl), port)
	return nginxSite{public: public, ca: ca, chain: chain, logs: logs}
}

// readExample returns the nginx example with each key replaced; every key
// must occur, so a change to the example shows here.
func readExample(t *testing.T, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile("../deploy/nginx/smtplay.conf")
	if err != nil {
		t.Fatal(err)
	}
	site := string(b)
	for from, to := range repl {
		if !strings.Contains(site, from) {
			t.Fatalf("deploy/nginx/smtplay.conf no longer contains %q", from)
		}
		site = strings.ReplaceAll(site, from, to)
	}
	return site
}

// startNginx runs nginx in the foreground with site as its only server.
func startNginx(t *testing.T, nginx, dir, site string, port int) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "smtplay.conf"), []byte(site), 0o600); err != nil {
		t.Fatal(err)
	}
	main := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
%[2]s
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    include %[1]s/smtplay.conf;
}
`, dir, map[bool]string{true: "user root;", false: ""}[os.Geteuid() == 0])
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", conf)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		_ = cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not start: %s", log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
