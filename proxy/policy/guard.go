package policy

import (
	"context"
	"maps"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/smtplay/smtplay/wire"
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
	Reason wire.Said  // what the address is, a denied.* sentence phrased to follow "<Addr> is "
}

// Error returns "<Addr> is <Reason>", or just Reason when there is no address.
func (e *DeniedError) Error() string {
	if !e.Addr.IsValid() {
		return e.Reason.English()
	}
	return e.Addr.String() + " is " + e.Reason.English()
}

// Resolved returns the sentence for host resolving to the refused address:
// wire's denied-address, with the reason nested in it.
func (e *DeniedError) Resolved(host string) wire.Said {
	s := wire.Say("denied-address", "host", host, "addr", e.Addr, "reason", e.Reason.Key)
	maps.Copy(s.Args, e.Reason.Args)
	return s
}

// deniedRanges are the address ranges a public playground never dials,
// each with the key of wire.Details that says what it is.
var deniedRanges = []struct {
	prefix netip.Prefix
	key    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "denied.this-network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "denied.private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "denied.cgnat"},
	{netip.MustParsePrefix("127.0.0.0/8"), "denied.loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "denied.link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "denied.private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "denied.ietf"},
	{netip.MustParsePrefix("192.0.2.0/24"), "denied.documentation"},
	{netip.MustParsePrefix("192.168.0.0/16"), "denied.private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "denied.benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "denied.documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "denied.documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "denied.multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "denied.reserved"},
	{netip.MustParsePrefix("::/128"), "denied.unspecified6"},
	{netip.MustParsePrefix("::1/128"), "denied.loopback6"},
	{netip.MustParsePrefix("::/96"), "denied.compatible6"},
	{netip.MustParsePrefix("100::/64"), "denied.discard6"},
	{netip.MustParsePrefix("2001::/32"), "denied.teredo"},
	{netip.MustParsePrefix("2001:db8::/32"), "denied.documentation"},
	{netip.MustParsePrefix("fc00::/7"), "denied.unique-local"},
	{netip.MustParsePrefix("fe80::/10"), "denied.link-local6"},
	{netip.MustParsePrefix("ff00::/8"), "denied.multicast6"},
}

// carriers are IPv6 ranges that carry an IPv4 address inside; the IPv4
// address is decoded and checked in turn. first is the byte offset of the
// four IPv4 bytes within the IPv6 address.
var carriers = []struct {
	prefix netip.Prefix
	key    string // of wire.Details
	first  int
}{
	{netip.MustParsePrefix("::ffff:0:0/96"), "denied.mapped", 12},
	{netip.MustParsePrefix("64:ff9b::/96"), "denied.nat64", 12},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "denied.nat64-local", 12},
	{netip.MustParsePrefix("2002::/16"), "denied.6to4", 2},
}

// Check reports why ip may not be dialled, as a *DeniedError, or nil.
// An IPv6 zone is ignored. IPv6 addresses that carry an IPv4 address
// (IPv4-mapped, NAT64, 6to4) are refused when the IPv4 address would be.
func (g Guard) Check(ip netip.Addr) error {
	if !ip.IsValid() {
		return &DeniedError{Reason: wire.Say("denied.invalid")}
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
			inner := err.(*DeniedError).Reason
			reason := wire.Say(c.key, "carried", v4, "inner", inner.Key)
			maps.Copy(reason.Args, inner.Args)
			return &DeniedError{Addr: ip, Reason: reason}
		}
		return nil
	}
	for _, d := range deniedRanges {
		if d.prefix.Contains(bare) {
			return &DeniedError{Addr: ip, Reason: wire.Say(d.key, "prefix", d.prefix)}
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
		return &DeniedError{Reason: wire.Say("denied.not-literal", "address", address)}
	}
	ip := ap.Addr().Unmap()
	if !dialNetworks[network] {
		return &DeniedError{Addr: ip, Reason: wire.Say("denied.network", "network", network)}
	}
	if err := g.Check(ip); err != nil {
		return err
	}
	if !g.AllowPrivate && !submissionPorts[int(ap.Port())] {
		return &DeniedError{Addr: ip, Reason: wire.Say("denied.port", "port", ap.Port())}
	}
	return nil
}

// Dialer returns a *net.Dialer with Timeout and ControlContext set, so every
// address it connects to passes Control. A nil resolver means the default.
func (g Guard) Dialer(timeout time.Duration, resolver *net.Resolver) *net.Dialer {
	return &net.Dialer{Timeout: timeout, Resolver: resolver, ControlContext: g.Control}
}
