package policy_test

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/proxy/policy"
)

func TestParseTrusted(t *testing.T) {
	got, err := policy.ParseTrusted([]string{"10.0.0.7", "192.168.1.0/24, fd00::/64", "", "::ffff:172.16.0.1", "::ffff:172.16.0.0/112", "10.1.2.3/16"})
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, p := range got {
		s = append(s, p.String())
	}
	if got, want := strings.Join(s, " "), "10.0.0.7/32 192.168.1.0/24 fd00::/64 172.16.0.1/32 172.16.0.0/16 10.1.0.0/16"; got != want {
		t.Errorf("ParseTrusted = %q, want %q", got, want)
	}
	for _, bad := range []string{"proxy.example.org", "10.0.0.0/33", "10.0.0.1/", "fe80::1%eth0", "::ffff:10.0.0.0/64"} {
		if _, err := policy.ParseTrusted([]string{bad}); err == nil || !strings.Contains(err.Error(), "-trust-proxy") {
			t.Errorf("ParseTrusted(%q) error = %v, want a -trust-proxy error", bad, err)
		}
	}
}

func TestClientIPFrom(t *testing.T) {
	trusted, err := policy.ParseTrusted([]string{"10.0.0.1", "10.0.1.0/24", "fd00::/64"})
	if err != nil {
		t.Fatal(err)
	}
	c := policy.ClientIP{Trusted: trusted}
	tests := []struct {
		name   string
		ci     policy.ClientIP
		remote string
		xff    []string // X-Forwarded-For headers, in order
		want   string   // "" for the zero Addr
	}{
		{"no proxy configured", policy.ClientIP{}, "203.0.113.9:5555", []string{"198.51.100.1"}, "203.0.113.9"},
		{"untrusted remote ignores XFF", c, "203.0.113.9:5555", []string{"198.51.100.1"}, "203.0.113.9"},
		{"untrusted remote, spoofed private XFF", c, "203.0.113.9:5555", []string{"10.0.0.1"}, "203.0.113.9"},
		{"trusted remote, one hop", c, "10.0.0.1:4444", []string{"198.51.100.1"}, "198.51.100.1"},
		{"trusted remote, rightmost wins", c, "10.0.0.1:4444", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"spoofed leftmost ignored", c, "10.0.0.1:4444", []string{"127.0.0.1, 10.0.0.1, 198.51.100.1"}, "198.51.100.1"},
		{"several trusted hops", c, "10.0.0.1:4444", []string{"6.6.6.6, 198.51.100.1, 10.0.1.7, 10.0.1.8"}, "198.51.100.1"},
		{"several headers", c, "10.0.0.1:4444", []string{"6.6.6.6, 198.51.100.1", "10.0.1.7"}, "198.51.100.1"},
		{"all trusted", c, "10.0.0.1:4444", []string{"10.0.1.7, 10.0.1.8"}, "10.0.1.7"},
		{"no XFF", c, "10.0.0.1:4444", nil, "10.0.0.1"},
		{"malformed rightmost", c, "10.0.0.1:4444", []string{"198.51.100.1, garbage"}, "10.0.0.1"},
		{"malformed stops at last good hop", c, "10.0.0.1:4444", []string{"198.51.100.1, unknown, 10.0.1.7"}, "10.0.1.7"},
		{"empty entry stops", c, "10.0.0.1:4444", []string{"198.51.100.1,,10.0.1.7"}, "10.0.1.7"},
		{"hop with port", c, "10.0.0.1:4444", []string{"198.51.100.1:5678"}, "198.51.100.1"},
		{"IPv6 hop", c, "10.0.0.1:4444", []string{"2001:db8::5"}, "2001:db8::5"},
		{"IPv6 hop with port", c, "10.0.0.1:4444", []string{"[2001:db8::5]:80"}, "2001:db8::5"},
		{"IPv6 trusted remote", c, "[fd00::3]:4444", []string{"198.51.100.1, fd00::9"}, "198.51.100.1"},
		{"mapped trusted remote", c, "[::ffff:10.0.0.1]:4444", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"untrusted IPv6 remote", c, "[2001:db8::1]:4444", []string{"198.51.100.1"}, "2001:db8::1"},
		{"remote without port", c, "203.0.113.9", nil, "203.0.113.9"},
		{"remote not an address", c, "pipe", []string{"198.51.100.1"}, ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/tunnel", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		got := tt.ci.From(r)
		var want netip.Addr
		if tt.want != "" {
			want = netip.MustParseAddr(tt.want)
		}
		if got != want {
			t.Errorf("%s: From(remote %s, XFF %q) = %v, want %v", tt.name, tt.remote, tt.xff, got, want)
		}
	}
}
