// Package nginx serves smtplay behind Debian's nginx running the shipped
// site example (deploy/nginx/smtplay.conf) on test ports, for the deploy and
// browser tests.
package nginx

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/server"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
)

// exampleFile is the shipped site, found from this source file so that any
// package's tests may use it.
var exampleFile = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "deploy", "nginx", "smtplay.conf")
}()

// Site is smtplay served behind nginx running the shipped example.
type Site struct {
	Public string // https://localhost:PORT, nginx's address and smtplay's -public-url
	CA     *tunneltest.CA
	Chain  string // the PEM chain nginx presents
	Logs   *apptest.LockedWriter
}

// Start serves smtplay with -public-url and -trust-proxy trust
// behind nginx, whose site is deploy/nginx/smtplay.conf on test ports with
// the extra replacements.
func Start(t *testing.T, trust string, extra map[string]string) Site {
	t.Helper()
	nginx := apptest.NeedTool(t, "nginx")
	ca := tunneltest.NewCA(t)
	dir := t.TempDir()
	chain, key := ca.WritePEM(t, dir, "localhost")
	port := freePort(t)
	public := fmt.Sprintf("https://localhost:%d", port)

	logs := &apptest.LockedWriter{}
	_, upstream := apptest.StartOptions(t, server.Options{PublicURL: public, TrustProxy: []string{trust},
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})

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
	startNginx(t, nginx, dir, readExample(t, repl), port, "", "")
	return Site{Public: public, CA: ca, Chain: chain, Logs: logs}
}

// readExample returns the nginx example with each key replaced; every key
// must occur, so a change to the example shows here.
func readExample(t *testing.T, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(exampleFile)
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

// startNginx runs nginx in the foreground with site as its only server;
// top goes into the main context (load_module), httpTop into http's.
func startNginx(t *testing.T, nginx, dir, site string, port int, top, httpTop string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "smtplay.conf"), []byte(site), 0o600); err != nil {
		t.Fatal(err)
	}
	main := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
%[2]s
%[3]s
events { worker_connections 64; }
http {
    %[4]s
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    include %[1]s/smtplay.conf;
}
`, dir, map[bool]string{true: "user root;", false: ""}[os.Geteuid() == 0], top, httpTop)
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

// freePort finds a free loopback port for nginx, which must bind it
// itself; another process could take it in between, which would show as
// "nginx did not start".
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
