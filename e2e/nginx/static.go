package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/e2e/apptest"
)

// readmeFile is the README whose "Host it on a static site" section holds
// the nginx block StartStatic serves.
var readmeFile = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "README.md")
}()

// brotliStatic is Debian's libnginx-mod-http-brotli-static, which the
// README's block uses (e2e/deps.sh installs it).
const brotliStatic = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

// StaticSection is the README's heading above the nginx block.
const StaticSection = "## Host it on a static site"

// StartStatic serves root (make static's build/static, or a copy) with
// nginx running the README's own block for a static host, on a free
// loopback port, with Debian's mime.types as its nginx.conf has them.
// The placeholder origin https://course.example.edu becomes embedder
// (the course page's origin). It returns http://127.0.0.1:PORT.
func StartStatic(t *testing.T, root, embedder string) string {
	t.Helper()
	nginx := apptest.NeedTool(t, "nginx")
	if _, err := os.Stat(brotliStatic); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: run e2e/deps.sh", brotliStatic)
		}
		t.Skipf("%s is missing: apt-get install libnginx-mod-http-brotli-static", brotliStatic)
	}
	dir := t.TempDir()
	port := freePort(t)
	site := readmeBlock(t, map[string]string{
		"listen 80;":                 fmt.Sprintf("listen 127.0.0.1:%d;", port),
		"root /srv/smtplay;":         fmt.Sprintf("root %s;", root),
		"https://course.example.edu": embedder,
	})
	startNginx(t, nginx, dir, site, port, "load_module "+brotliStatic+";",
		"include /etc/nginx/mime.types; default_type application/octet-stream;")
	return fmt.Sprintf("http://127.0.0.1:%d", port)
}

// readmeBlock returns the first ```nginx block of the README's static
// section with each key replaced; every key must occur.
func readmeBlock(t *testing.T, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n"+StaticSection+"\n")
	if ok {
		section, _, _ = strings.Cut(section, "\n## ")
		_, section, ok = strings.Cut(section, "\n```nginx\n")
	}
	if ok {
		section, _, ok = strings.Cut(section, "\n```\n")
	}
	if !ok {
		t.Fatalf("README.md has no ```nginx block under %q", StaticSection)
	}
	for from, to := range repl {
		if !strings.Contains(section, from) {
			t.Fatalf("README.md's nginx block for a static host no longer contains %q", from)
		}
		section = strings.ReplaceAll(section, from, to)
	}
	return section
}
