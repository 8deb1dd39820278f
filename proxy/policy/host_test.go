package policy

import (
	"net/netip"
	"strings"
	"testing"
)

// docs/SECURITY.md, T2a: a name that rebinds to the proxy is not served.
func TestHostsAllow(t *testing.T) {
	machine := func() []netip.Addr {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("192.168.1.5"), netip.MustParseAddr("fd00::5")}
	}
	lan, loop, none := netip.MustParseAddr("192.168.1.5"), netip.MustParseAddr("127.0.0.1"), netip.Addr{}
	for _, tt := range []struct {
		name      string
		publicURL string
		allow     []string
		host      string
		local     netip.Addr
		want      bool
	}{
		{"rebinding name", "", nil, "evil.example", loop, false},
		{"rebinding name with port", "", nil, "evil.example:8080", lan, false},
		{"empty Host", "", nil, "", loop, false},
		{"localhost", "", nil, "localhost:8080", loop, true},
		{"LOCALHOST.", "", nil, "LOCALHOST.:8080", loop, true},
		{"127.0.0.1", "", nil, "127.0.0.1:8080", loop, true},
		{"[::1]", "", nil, "[::1]:8080", loop, true},
		{"the address it came in on", "", nil, "10.9.8.7:8080", netip.MustParseAddr("10.9.8.7"), true},
		{"another address of the machine", "", nil, "192.168.1.5:8080", loop, true},
		{"an IPv6 address of the machine", "", nil, "[fd00::5]:8080", none, true},
		{"an address not the machine's", "", nil, "192.168.1.6:8080", lan, false},
		{"a number that is no address", "", nil, "2130706433", loop, false},
		{"-allow-host name", "", []string{"smtplay.lab.example"}, "SMTPLAY.lab.example:8080", lan, true},
		{"-allow-host name with port", "", []string{"smtplay.lab.example:8080"}, "smtplay.lab.example", lan, true},
		{"-allow-host another name", "", []string{"smtplay.lab.example"}, "evil.example", lan, false},
		{"-public-url host", "https://smtplay.example.edu/app/", nil, "smtplay.example.edu", lan, true},
		{"-public-url host with port", "https://smtplay.example.edu:8443", nil, "smtplay.example.edu:8443", lan, true},
		{"-public-url, another name", "https://smtplay.example.edu", nil, "evil.example", lan, false},
		{"-public-url, loopback still", "https://smtplay.example.edu", nil, "127.0.0.1:8080", loop, true},
		{"-public-url, the LAN address no more", "https://smtplay.example.edu", nil, "192.168.1.5:8080", lan, false},
		{"-public-url and -allow-host", "https://smtplay.example.edu", []string{"192.168.1.5"}, "192.168.1.5:8080", lan, true},
	} {
		h, err := NewHosts(tt.publicURL, tt.allow)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		h.machine = machine
		if got := h.Allow(tt.host, tt.local); got != tt.want {
			t.Errorf("%s: Allow(%q) = %v, want %v", tt.name, tt.host, got, tt.want)
		}
	}
}

func TestNewHostsRefuses(t *testing.T) {
	for _, bad := range []string{"", "*.example.edu", "https://x.example/", "user@x.example"} {
		if _, err := NewHosts("", []string{bad}); err == nil || !strings.HasPrefix(err.Error(), "-allow-host ") {
			t.Errorf("-allow-host %q: error %v, want one naming the flag", bad, err)
		}
	}
	if _, err := NewHosts("ftp://x", nil); err == nil || !strings.Contains(err.Error(), "-public-url") {
		t.Errorf("a bad -public-url: %v", err)
	}
}
