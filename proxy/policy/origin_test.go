package policy_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/proxy/policy"
)

func TestOriginsAllow(t *testing.T) {
	same, err := policy.NewOrigins("", nil)
	if err != nil {
		t.Fatal(err)
	}
	public, err := policy.NewOrigins("https://Play.Example.org:443/smtplay/", nil)
	if err != nil {
		t.Fatal(err)
	}
	embed, err := policy.NewOrigins("", []string{"https://course.example.edu", "https://*.example.edu", "http://localhost:8080", "https://preview-*.pages.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	publicV6, err := policy.NewOrigins("http://[::1]:8080", nil)
	if err != nil {
		t.Fatal(err)
	}
	publicEmbed, err := policy.NewOrigins("https://play.example.org", []string{"https://course.example.edu"})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		o       policy.Origins
		host    string   // the request's Host
		origins []string // Origin headers; nil for none
		want    bool
	}{
		{"absent Origin", same, "play.example.org", nil, true},
		{"absent Origin, public URL", public, "internal:8080", nil, true},
		{"same host", same, "play.example.org", []string{"https://play.example.org"}, true},
		{"same host, case", same, "Play.Example.ORG", []string{"https://play.example.org"}, true},
		{"same host and port", same, "localhost:8080", []string{"http://localhost:8080"}, true},
		{"same host, http", same, "play.example.org", []string{"http://play.example.org"}, true},
		{"same host, default port in Host", same, "play.example.org:443", []string{"https://play.example.org"}, true},
		{"same host, default port in Origin", same, "play.example.org", []string{"https://play.example.org:443"}, true},
		{"same IPv6 host", same, "[::1]:8080", []string{"http://[::1]:8080"}, true},
		{"same host, other port", same, "localhost:8080", []string{"http://localhost:9090"}, false},
		{"same host, port vs none", same, "localhost:8080", []string{"http://localhost"}, false},
		{"foreign", same, "play.example.org", []string{"https://evil.example"}, false},
		{"foreign suffix", same, "play.example.org", []string{"https://play.example.org.evil.example"}, false},
		{"null", same, "play.example.org", []string{"null"}, false},
		{"empty Origin", same, "play.example.org", []string{""}, false},
		{"two Origins", same, "play.example.org", []string{"https://play.example.org", "https://evil.example"}, false},
		{"garbage", same, "play.example.org", []string{"play.example.org"}, false},
		{"other scheme", same, "play.example.org", []string{"ftp://play.example.org"}, false},
		{"origin with path", same, "play.example.org", []string{"https://play.example.org/x"}, false},
		{"origin with user", same, "play.example.org", []string{"https://u@play.example.org"}, false},

		{"public exact", public, "internal:8080", []string{"https://play.example.org"}, true},
		{"public, explicit default port", public, "internal:8080", []string{"https://play.example.org:443"}, true},
		{"public, case", public, "internal:8080", []string{"https://PLAY.example.org"}, true},
		{"public, http variant", public, "play.example.org", []string{"http://play.example.org"}, false},
		{"public, other port", public, "play.example.org", []string{"https://play.example.org:8443"}, false},
		{"public, same host no longer enough", public, "internal:8080", []string{"http://internal:8080"}, false},
		{"public, subdomain", public, "play.example.org", []string{"https://x.play.example.org"}, false},
		{"public, null", public, "play.example.org", []string{"null"}, false},

		{"public IPv6", publicV6, "x", []string{"http://[::1]:8080"}, true},
		{"public IPv6, other port", publicV6, "x", []string{"http://[::1]:8081"}, false},

		{"pattern exact", embed, "play.example.org", []string{"https://course.example.edu"}, true},
		{"pattern wildcard", embed, "play.example.org", []string{"https://cs101.example.edu"}, true},
		{"pattern wildcard, case", embed, "play.example.org", []string{"https://CS101.Example.EDU"}, true},
		{"pattern wildcard in label", embed, "play.example.org", []string{"https://preview-42.pages.example.com"}, true},
		{"pattern wildcard, not the bare domain", embed, "play.example.org", []string{"https://example.edu"}, false},
		{"pattern wildcard, one label only", embed, "play.example.org", []string{"https://a.b.example.edu"}, false},
		{"pattern wildcard, suffix attack", embed, "play.example.org", []string{"https://x.example.edu.evil.example"}, false},
		{"pattern wildcard, lookalike", embed, "play.example.org", []string{"https://xexample.edu"}, false},
		{"pattern wildcard in label, empty", embed, "play.example.org", []string{"https://preview-.pages.example.com"}, false},
		{"pattern http variant", embed, "play.example.org", []string{"http://course.example.edu"}, false},
		{"pattern wildcard http variant", embed, "play.example.org", []string{"http://cs101.example.edu"}, false},
		{"pattern other port", embed, "play.example.org", []string{"https://course.example.edu:8443"}, false},
		{"pattern default port", embed, "play.example.org", []string{"https://course.example.edu:443"}, true},
		{"pattern with port", embed, "play.example.org", []string{"http://localhost:8080"}, true},
		{"pattern with port, https variant", embed, "play.example.org", []string{"https://localhost:8080"}, false},
		{"pattern, same host still fine", embed, "play.example.org", []string{"https://play.example.org"}, true},
		{"pattern and public URL", publicEmbed, "x", []string{"https://course.example.edu"}, true},
		{"public URL and pattern, foreign", publicEmbed, "x", []string{"https://evil.example"}, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/tunnel", nil)
		r.Host = tt.host
		for _, o := range tt.origins {
			r.Header.Add("Origin", o)
		}
		if got := tt.o.Allow(r); got != tt.want {
			t.Errorf("%s: Allow(Host %q, Origin %q) = %v, want %v", tt.name, tt.host, tt.origins, got, tt.want)
		}
	}
}

func TestNewOriginsRefuses(t *testing.T) {
	tests := []struct {
		public   string
		patterns []string
		want     string
	}{
		{"play.example.org", nil, "-public-url"},
		{"ftp://play.example.org", nil, "http or https"},
		{"https://*.example.org", nil, "wildcard"},
		{"https://", nil, "-public-url"},
		{"", []string{"*"}, "http or https"},
		{"", []string{"https://*"}, "matches too much"},
		{"", []string{"https://*.edu"}, "matches too much"},
		{"", []string{"https://example.*.edu"}, "matches too much"},
		{"", []string{"course.example.edu"}, "http or https"},
		{"", []string{"https://course.example.edu/path"}, "no path"},
		{"", []string{"https://course.example.edu?x"}, "no path"},
		{"", []string{"https://course..example.edu"}, "empty label"},
		{"", []string{"https://course.example.edu:"}, "not an origin"},
		{"", []string{"https://user@course.example.edu"}, "not an origin"},
		{"", []string{"https://course.example.edu", "null"}, `"null"`},
	}
	for _, tt := range tests {
		_, err := policy.NewOrigins(tt.public, tt.patterns)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewOrigins(%q, %q) error = %v, want %q", tt.public, tt.patterns, err, tt.want)
		}
	}
}
