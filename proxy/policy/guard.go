package policy

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// Guard refuses dials to addresses a public playground must never reach.
//
// It checks the address actually being dialled, after DNS resolution, from
// net.Dialer.ControlContext: a name that resolves to a public address when
// checked and to 127.0.0.1 when dialled (DNS rebinding) is still refused.
// The zero Guard is the safe one.
type Guard struct {
	// AllowPrivate ("-allow-private", lab mode) lifts the address and port
	// checks, never the network check: only TCP is ever dialled.
	AllowPrivate bool
}

// DeniedError says which address was refused and why, as in
// "169.254.169.254 is a link-local address (cloud metadata)".
type DeniedError struct {
	Addr   netip.Addr // the address refused; invalid if it could not be parsed
	Reason string     // what the address is, phrased to follow "<Addr> is "
}

// Error returns "<Addr> is <Reason>", or just Reason when there is no address.
func (e *DeniedError) Error() string {
	if !e.Addr.IsValid() {
		return e.Reason
	}
	return e.Addr.String() + " is " + e.Reason
}

// deniedRanges are the address ranges a public playground never dials,
// each with what it is. Reasons follow "<address> is ".
var deniedRanges = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `a "this network" address (0.0.0.0/8), which reaches this machine`},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (10.0.0.0/8)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address (100.64.0.0/10)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address (this machine)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address (cloud metadata)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (172.16.0.0/12)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address (192.0.0.0/24)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address (192.0.2.0/24)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (192.168.0.0/16)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address (198.18.0.0/15)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address (198.51.100.0/24)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address (203.0.113.0/24)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address (224.0.0.0/4)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved or broadcast address (240.0.0.0/4)"},
	{netip.MustParsePrefix("::/128"), "the unspecified IPv6 address, which reaches this machine"},
	{netip.MustParsePrefix("::1/128"), "the IPv6 loopback address (this machine)"},
	{netip.MustParsePrefix("::/96"), "an IPv4-compatible IPv6 address (::/96, deprecated)"},
	{netip.MustParsePrefix("100::/64"), "a discard-only address (100::/64)"},
	{netip.MustParsePrefix("2001::/32"), "a Teredo address (2001::/32), whose IPv4 address is hidden and cannot be checked"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address (2001:db8::/32)"},
	{netip.MustParsePrefix("fc00::/7"), "a unique local address (private IPv6, fc00::/7; cloud metadata lives here too)"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local IPv6 address (fe80::/10)"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast IPv6 address (ff00::/8)"},
}

// carriers are IPv6 ranges that carry an IPv4 address inside; the IPv4
// address is decoded and checked in turn. first is the byte offset of the
// four IPv4 bytes within the IPv6 address.
var carriers = []struct {
	prefix netip.Prefix
	what   string
	first  int
}{
	{netip.MustParsePrefix("::ffff:0:0/96"), "an IPv4-mapped address", 12},
	{netip.MustParsePrefix("64:ff9b::/96"), "a NAT64 address", 12},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local-use NAT64 address", 12},
	{netip.MustParsePrefix("2002::/16"), "a 6to4 address", 2},
}

// Check reports why ip may not be dialled, as a *DeniedError, or nil.
// An IPv6 zone is ignored. IPv6 addresses that carry an IPv4 address
// (IPv4-mapped, NAT64, 6to4) are refused when the IPv4 address would be.
func (g Guard) Check(ip netip.Addr) error {
	if !ip.IsValid() {
		return &DeniedError{Reason: "an invalid IP address cannot be dialled"}
	}
	if g.AllowPrivate {
		return nil
	}
	bare := ip.WithZone("")
	for _, c := range carriers {
		if !c.prefix.Contains(bare) {
			continue
		}
		b := bare.As16()
		v4 := netip.AddrFrom4([4]byte(b[c.first : c.first+4]))
		if err := g.Check(v4); err != nil {
			return &DeniedError{Addr: ip, Reason: fmt.Sprintf("%s for %s, which is %s", c.what, v4, err.(*DeniedError).Reason)}
		}
		return nil
	}
	for _, d := range deniedRanges {
		if d.prefix.Contains(bare) {
			return &DeniedError{Addr: ip, Reason: d.reason}
		}
	}
	return nil
}

// dialNetworks are the only networks Control lets through.
var dialNetworks = map[string]bool{"tcp4": true, "tcp6": true}

// Control is a net.Dialer.ControlContext. It runs after the socket is made and
// before it connects: it parses the literal ip:port being dialled
// (netip.ParseAddrPort, then Unmap), allows only tcp4 and tcp6, then Check,
// then, outside lab mode, only the submission ports: the target table
// already holds no other, and this keeps it so whatever the table says.
func (g Guard) Control(ctx context.Context, network, address string, c syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &DeniedError{Reason: fmt.Sprintf("%q is not a literal IP address and port", address)}
	}
	ip := ap.Addr().Unmap()
	if !dialNetworks[network] {
		return &DeniedError{Addr: ip, Reason: fmt.Sprintf("not reachable over %q: only TCP is dialled", network)}
	}
	if err := g.Check(ip); err != nil {
		return err
	}
	if !g.AllowPrivate && !submissionPorts[int(ap.Port())] {
		return &DeniedError{Addr: ip, Reason: fmt.Sprintf("not dialled on port %d: a public playground reaches only the mail submission ports 587 and 465", ap.Port())}
	}
	return nil
}

// Dialer returns a *net.Dialer with Timeout and ControlContext set, so every
// address it connects to passes Control. A nil resolver means the default.
func (g Guard) Dialer(timeout time.Duration, resolver *net.Resolver) *net.Dialer {
	return &net.Dialer{Timeout: timeout, Resolver: resolver, ControlContext: g.Control}
}
