package policy

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP finds a request's client address. Behind a reverse proxy the
// client address comes from X-Forwarded-For, but only when the request
// arrives from a trusted proxy (-trust-proxy); otherwise the header is
// ignored, since anyone can send it.
type ClientIP struct {
	Trusted []netip.Prefix // the reverse proxies' addresses, from ParseTrusted
}

// ParseTrusted parses -trust-proxy entries: IP addresses ("10.0.0.7") or CIDR
// prefixes ("10.0.0.0/24", "fd00::/64"). An entry may hold several,
// separated by commas or spaces. IPv4-mapped IPv6 forms are taken as IPv4.
func ParseTrusted(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, entry := range list {
		for _, s := range strings.FieldsFunc(entry, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			p, err := parseTrusted(s)
			if err != nil {
				return nil, fmt.Errorf("-trust-proxy %q: %v", s, err)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// parseTrusted parses one -trust-proxy address or prefix.
func parseTrusted(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("not an IP address or a prefix such as 10.0.0.0/24")
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an IP address or a prefix such as 10.0.0.0/24")
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}, fmt.Errorf("an IPv4-mapped prefix needs at least 96 bits")
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// From returns the client address of r: RemoteAddr's IP, unless that is
// trusted. Then X-Forwarded-For (all such headers, in order) is walked right
// to left, skipping trusted hops, and the first untrusted address is the
// client: entries to its left were written by the client and prove nothing.
// A malformed entry stops the walk at the last good hop. It returns the zero
// Addr only when RemoteAddr itself is not an address.
func (c ClientIP) From(r *http.Request) netip.Addr {
	ip, ok := parseHop(r.RemoteAddr)
	if !ok || !c.trusted(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		ip = hop
		if !c.trusted(ip) {
			break
		}
	}
	return ip
}

// trusted reports whether ip is one of the trusted proxies.
func (c ClientIP) trusted(ip netip.Addr) bool {
	for _, p := range c.Trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// parseHop parses an address as RemoteAddr or X-Forwarded-For writes it:
// "ip", "ip:port" or "[ipv6]:port". The result is unmapped and zone-free.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}
