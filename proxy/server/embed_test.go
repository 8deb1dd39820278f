package server

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/internal/logbuf"
)

// Only /embed may be framed by the -allow-origin pages; the full page is
// framed by its own origin alone. The page may fetch lesson files from the
// -lesson-origin servers and nowhere else, and learns both lists from
// /api/settings.
func TestEmbedHeadersAndSettings(t *testing.T) {
	_, hs := startServer(t, "-allow-origin", "https://course.example.edu", "-allow-origin", "https://preview-*.pages.example.com", "-lesson-origin", "https://lessons.example.edu")
	csp := func(path string) string {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		return resp.Header.Get("Content-Security-Policy")
	}
	directive := func(policy, name string) string {
		for _, d := range strings.Split(policy, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == name {
				return strings.Join(f[1:], " ")
			}
		}
		return ""
	}
	for _, tt := range []struct{ path, frameAncestors string }{
		{"/", "'self'"},
		{"/index.html", "'self'"},
		{"/embed", "'self' https://course.example.edu https://*.pages.example.com"},
	} {
		policy := csp(tt.path)
		if got := directive(policy, "frame-ancestors"); got != tt.frameAncestors {
			t.Errorf("GET %s: frame-ancestors %q, want %q", tt.path, got, tt.frameAncestors)
		}
		if got, want := directive(policy, "connect-src"), "'self' https://lessons.example.edu"; got != want {
			t.Errorf("GET %s: connect-src %q, want %q", tt.path, got, want)
		}
	}
	var settings Settings
	if code := getJSON(t, hs.URL+"/api/settings", &settings); code != http.StatusOK {
		t.Fatalf("GET /api/settings: %d", code)
	}
	if strings.Join(settings.Embedders, " ") != "https://course.example.edu https://preview-*.pages.example.com" || strings.Join(settings.LessonOrigins, " ") != "https://lessons.example.edu" {
		t.Errorf("GET /api/settings = %+v", settings)
	}

	// A fresh smtplay: nobody else frames /embed, lessons come from itself.
	_, plain := startServer(t)
	resp, err := http.Get(plain.URL + "/embed")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	policy := resp.Header.Get("Content-Security-Policy")
	if got := directive(policy, "frame-ancestors"); got != "'self'" {
		t.Errorf("a fresh smtplay's /embed: frame-ancestors %q, want 'self'", got)
	}
	if got := directive(policy, "connect-src"); got != "'self'" {
		t.Errorf("a fresh smtplay: connect-src %q, want 'self'", got)
	}
	if _, err := New(Options{LessonOrigin: []string{"ftp://lessons.example.edu"}}); err == nil || !strings.Contains(err.Error(), "-lesson-origin") {
		t.Errorf("an -lesson-origin that is no origin: error %v, want one naming the flag", err)
	}
}

// An -allow-origin with a "*" frames more widely than it messages (CSP
// knows a wildcard only in front of a whole host): start-up says so.
func TestWidenedFramingIsLogged(t *testing.T) {
	for _, tt := range []struct {
		origins []string
		warn    bool
	}{
		{[]string{"https://course.example.edu"}, false},
		{[]string{"https://course.example.edu", "https://preview-*.pages.example.com"}, true},
		{[]string{"https://*.example.edu"}, true},
	} {
		logs := &logbuf.Buffer{}
		s, err := New(Options{AllowOrigin: tt.origins, Logger: slog.New(slog.NewTextHandler(logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		s.LogStart(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080})
		got := logs.String()
		if warned := strings.Contains(got, "framing is wider than -allow-origin"); warned != tt.warn {
			t.Errorf("%q: warned %v, want %v:\n%s", tt.origins, warned, tt.warn, got)
		}
		if tt.warn && !strings.Contains(got, "https://*.") {
			t.Errorf("%q: the warning does not show the CSP form:\n%s", tt.origins, got)
		}
	}
}
