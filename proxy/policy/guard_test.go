package policy_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/proxy/policy"
)

func TestGuardCheck(t *testing.T) {
	tests := []struct {
		ip     string
		reason string // substring of the DeniedError; "" means allowed
	}{
		// Public addresses are allowed.
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"2606:4700::1111", ""},
		{"2a00:1450:4001:80b::201a", ""},
		{"::ffff:8.8.8.8", ""},     // IPv4-mapped public
		{"64:ff9b::808:808", ""},   // NAT64 of 8.8.8.8
		{"64:ff9b:1::808:808", ""}, // local-use NAT64 of 8.8.8.8
		{"2002:808:808::1", ""},    // 6to4 of 8.8.8.8
		{"11.0.0.1", ""},           // just past 10/8
		{"100.128.0.0", ""},        // just past 100.64/10
		{"172.32.0.1", ""},         // just past 172.16/12
		{"198.20.0.1", ""},         // just past 198.18/15
		{"223.255.255.255", ""},    // just below multicast
		{"2001:1::1", ""},          // just past Teredo's /32
		{"100::1:0:0:0:1", ""},     // just past 100::/64
		{"::1:0:0:1", ""},          // just past ::/96
		{"fe00::1", ""},            // between fc00::/7 and fe80::/10
		{"2001:db9::1", ""},        // just past 2001:db8::/32

		// IPv4 ranges, first and last address of each.
		{"0.0.0.0", "this network"},
		{"0.255.255.255", "this network"},
		{"10.0.0.0", "private"},
		{"10.255.255.255", "private"},
		{"100.64.0.0", "carrier-grade NAT"},
		{"100.127.255.255", "carrier-grade NAT"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.255", "loopback"},
		{"169.254.169.254", "link-local address (cloud metadata)"},
		{"169.254.0.0", "link-local"},
		{"172.16.0.0", "private"},
		{"172.31.255.255", "private"},
		{"192.0.0.0", "IETF protocol"},
		{"192.0.0.255", "IETF protocol"},
		{"192.0.2.1", "documentation"},
		{"192.168.0.1", "private"},
		{"192.168.255.255", "private"},
		{"198.18.0.0", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"198.51.100.7", "documentation"},
		{"203.0.113.9", "documentation"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved or broadcast"},
		{"255.255.255.255", "reserved or broadcast"},

		// IPv6 ranges.
		{"::", "unspecified"},
		{"::1", "IPv6 loopback"},
		{"::7f00:1", "IPv4-compatible"},
		{"::808:808", "IPv4-compatible"},
		{"fe80::1", "link-local IPv6"},
		{"fe80::1%eth0", "link-local IPv6"},
		{"febf:ffff::1", "link-local IPv6"},
		{"fc00::1", "unique local"},
		{"fd00:ec2::254", "unique local"},
		{"fdff:ffff::1", "unique local"},
		{"ff02::1", "multicast IPv6"},
		{"ff0e::1", "multicast IPv6"},
		{"2001:db8::1", "documentation"},
		{"2001:db8:ffff::1", "documentation"},
		{"100::", "discard-only"},
		{"100::ffff:ffff:ffff:ffff", "discard-only"},

		// IPv4 carried in IPv6.
		{"::ffff:127.0.0.1", "IPv4-mapped address for 127.0.0.1, which is a loopback"},
		{"::ffff:10.1.2.3", "IPv4-mapped address for 10.1.2.3, which is a private"},
		{"::ffff:0.0.0.0", "IPv4-mapped address for 0.0.0.0"},
		{"64:ff9b::a9fe:a9fe", "NAT64 address for 169.254.169.254, which is a link-local address (cloud metadata)"},
		{"64:ff9b::7f00:1", "NAT64 address for 127.0.0.1"},
		{"64:ff9b:1::a00:1", "local-use NAT64 address for 10.0.0.1"},
		{"64:ff9b:1:ffff::7f00:1", "local-use NAT64 address for 127.0.0.1"},
		{"2002:a9fe:a9fe::", "6to4 address for 169.254.169.254"},
		{"2002:7f00:1::1", "6to4 address for 127.0.0.1"},
		{"2002:c0a8:101:1::1", "6to4 address for 192.168.1.1"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
		{"2001:0:ffff:ffff::1", "Teredo"},
	}
	for _, tt := range tests {
		ip := netip.MustParseAddr(tt.ip)
		err := policy.Guard{}.Check(ip)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("Check(%s) = %v, want allowed", tt.ip, err)
			}
			continue
		}
		var d *policy.DeniedError
		if !errors.As(err, &d) {
			t.Errorf("Check(%s) = %v, want *DeniedError", tt.ip, err)
			continue
		}
		if d.Addr != ip || !strings.Contains(err.Error(), tt.reason) || !strings.HasPrefix(err.Error(), tt.ip+" is ") {
			t.Errorf("Check(%s) = %q (addr %s), want %q about %s", tt.ip, err, d.Addr, tt.reason, tt.ip)
		}
	}
}

func TestGuardCheckMessage(t *testing.T) {
	err := policy.Guard{}.Check(netip.MustParseAddr("169.254.169.254"))
	if got, want := err.Error(), "169.254.169.254 is a link-local address (cloud metadata)"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestGuardCheckInvalid(t *testing.T) {
	for _, g := range []policy.Guard{{}, {AllowPrivate: true}} {
		var d *policy.DeniedError
		if err := g.Check(netip.Addr{}); !errors.As(err, &d) || err.Error() == "" {
			t.Errorf("%+v: Check(zero Addr) = %v, want *DeniedError", g, err)
		}
	}
}

func TestGuardAllowPrivate(t *testing.T) {
	g := policy.Guard{AllowPrivate: true}
	for _, s := range []string{"127.0.0.1", "10.0.0.1", "::1", "169.254.169.254", "::ffff:127.0.0.1", "fd00::1"} {
		if err := g.Check(netip.MustParseAddr(s)); err != nil {
			t.Errorf("AllowPrivate: Check(%s) = %v, want nil", s, err)
		}
	}
}

func TestGuardControl(t *testing.T) {
	tests := []struct {
		guard   policy.Guard
		network string
		address string
		deny    string // substring; "" means allowed
	}{
		{policy.Guard{}, "tcp4", "8.8.8.8:587", ""},
		{policy.Guard{}, "tcp6", "[2606:4700::1111]:465", ""},
		{policy.Guard{}, "tcp4", "127.0.0.1:587", "loopback"},
		{policy.Guard{}, "tcp6", "[::ffff:127.0.0.1]:587", "127.0.0.1 is a loopback"}, // unmapped first
		{policy.Guard{}, "tcp6", "[fe80::1%lo]:587", "link-local"},
		{policy.Guard{}, "tcp6", "[64:ff9b::a9fe:a9fe]:80", "cloud metadata"},
		{policy.Guard{}, "udp4", "8.8.8.8:53", "only TCP"},
		{policy.Guard{}, "tcp", "8.8.8.8:587", "only TCP"},
		{policy.Guard{}, "unix", "/tmp/x.sock", "not a literal"},
		{policy.Guard{}, "tcp4", "smtp.example.org:587", "not a literal"},
		{policy.Guard{}, "tcp4", "8.8.8.8:25", "not dialled on port 25"},
		{policy.Guard{}, "tcp6", "[2606:4700::1111]:22", "not dialled on port 22"},
		{policy.Guard{AllowPrivate: true}, "tcp4", "127.0.0.1:2525", ""},
		{policy.Guard{AllowPrivate: true}, "tcp4", "8.8.8.8:25", ""},
		{policy.Guard{AllowPrivate: true}, "udp4", "127.0.0.1:53", "only TCP"},
	}
	for _, tt := range tests {
		err := tt.guard.Control(context.Background(), tt.network, tt.address, nil)
		if tt.deny == "" {
			if err != nil {
				t.Errorf("Control(%s, %s) = %v, want nil", tt.network, tt.address, err)
			}
			continue
		}
		var d *policy.DeniedError
		if !errors.As(err, &d) || !strings.Contains(err.Error(), tt.deny) {
			t.Errorf("Control(%s, %s) = %v, want *DeniedError about %q", tt.network, tt.address, err, tt.deny)
		}
	}
}

// acceptCounter is a real listener that records who connected to it.
type acceptCounter struct {
	ln       net.Listener
	accepted chan net.Addr
}

// listen starts an acceptCounter on addr ("127.0.0.1:0" or "[::1]:0").
func listen(t *testing.T, addr string) *acceptCounter {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	a := &acceptCounter{ln: ln, accepted: make(chan net.Addr, 16)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			a.accepted <- c.RemoteAddr()
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return a
}

// port returns the listener's port as a string.
func (a *acceptCounter) port() string {
	_, p, _ := net.SplitHostPort(a.ln.Addr().String())
	return p
}

// requireNoAccepts proves that nothing connected so far: it connects itself,
// and the first connection the listener accepts must be that one (a
// connection let through earlier would be ahead of it in the queue).
func (a *acceptCounter) requireNoAccepts(t *testing.T) {
	t.Helper()
	c, err := net.Dial("tcp", a.ln.Addr().String())
	if err != nil {
		t.Fatalf("probe dial: %v", err)
	}
	defer c.Close()
	if first := <-a.accepted; first.String() != c.LocalAddr().String() {
		t.Fatalf("listener accepted %s before the probe %s: a refused dial connected", first, c.LocalAddr())
	}
	select {
	case extra := <-a.accepted:
		t.Fatalf("unexpected connection from %s", extra)
	default:
	}
}

func requireDenied(t *testing.T, err error, what string) {
	t.Helper()
	var d *policy.DeniedError
	if !errors.As(err, &d) {
		t.Fatalf("dial error = %v (%T), want a *DeniedError", err, err)
	}
	if !strings.Contains(err.Error(), what) {
		t.Fatalf("dial error = %q, want it to mention %q", err, what)
	}
}

func TestDialerRefusesLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			a := listen(t, addr)
			c, err := policy.Guard{}.Dialer(2e9, nil).DialContext(context.Background(), "tcp", a.ln.Addr().String())
			if err == nil {
				c.Close()
				t.Fatal("dial to loopback succeeded")
			}
			requireDenied(t, err, "loopback")
			a.requireNoAccepts(t)
		})
	}
}

func TestDialerAllowPrivateConnects(t *testing.T) {
	a := listen(t, "127.0.0.1:0")
	c, err := policy.Guard{AllowPrivate: true}.Dialer(2e9, nil).DialContext(context.Background(), "tcp", a.ln.Addr().String())
	if err != nil {
		t.Fatalf("AllowPrivate dial: %v", err)
	}
	defer c.Close()
	if got := <-a.accepted; got.String() != c.LocalAddr().String() {
		t.Fatalf("accepted %s, want %s", got, c.LocalAddr())
	}
}
