package browser

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/e2e/nginx"
)

// make static's build behind Caddy running the README's Caddyfile block:
// the precompressed copies, the caching and the Content-Security-Policy
// are what the nginx block gives (checkStaticHost), embed.html framed by
// the course's origin alone.
func TestStaticHostCaddy(t *testing.T) {
	t.Parallel()
	apptest.Short(t)
	caddy := apptest.NeedTool(t, "caddy")
	root := staticBuild(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	// No admin endpoint (tests run side by side); the site on plain HTTP.
	site := "{\n\tadmin off\n}\n" + readmeCaddy(t, map[string]string{
		"smtplay.example.edu {":      base + " {",
		"root * /srv/smtplay":        "root * " + root,
		"https://course.example.edu": "https://course.example.org",
	})
	conf := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(conf, []byte(site), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(caddy, "run", "--config", conf, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	logs := &apptest.LockedWriter{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for deadline := time.Now().Add(stepTimeout); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://")); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("caddy did not start:\n%s", logs.String())
		}
	}
	checkStaticHost(t, root, base, "https://course.example.org")
}

// readmeCaddy returns the README's ```caddy block for a static host with
// each key replaced; every key must occur.
func readmeCaddy(t *testing.T, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n"+nginx.StaticSection+"\n")
	if ok {
		section, _, _ = strings.Cut(section, "\n## ")
		_, section, ok = strings.Cut(section, "\n```caddy\n")
	}
	if ok {
		section, _, ok = strings.Cut(section, "\n```\n")
	}
	if !ok {
		t.Fatalf("README.md has no ```caddy block under %q", nginx.StaticSection)
	}
	for from, to := range repl {
		if !strings.Contains(section, from) {
			t.Fatalf("README.md's Caddyfile block no longer contains %q", from)
		}
		section = strings.ReplaceAll(section, from, to)
	}
	return fmt.Sprintln(section)
}
