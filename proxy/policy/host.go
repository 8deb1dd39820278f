package policy

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Hosts decides which Host headers smtplay answers, against DNS rebinding
// (docs/SECURITY.md, T2a): a page at a name its owner points at the proxy
// is same-origin with whatever the proxy serves under that name, so the
// proxy serves only names it knows to be its own. An address literal needs
// no DNS, so no one can rebind it. A Hosts is read-only and safe for
// concurrent use.
//
// The port of a Host is not compared: a rebinding page differs by its name,
// and port mappings (containers, reverse proxies) change ports on the way.
type Hosts struct {
	names   map[string]bool     // -public-url's host and -allow-host's, canonical
	public  bool                // -public-url given: no address literal but loopback
	machine func() []netip.Addr // this machine's addresses
}

// loopbackNames are always served: no page on the internet can have them.
var loopbackNames = map[string]bool{"localhost": true}

// NewHosts prepares the Host check. publicURL (-public-url) may be "";
// allow are -allow-host entries, host names or addresses, each with or
// without a port (which is ignored).
func NewHosts(publicURL string, allow []string) (Hosts, error) {
	h := Hosts{names: map[string]bool{}, machine: interfaceAddrs}
	if publicURL != "" {
		_, host, _, err := splitOrigin(publicURL, true)
		if err != nil {
			return Hosts{}, fmt.Errorf("-public-url %q: %v", publicURL, err)
		}
		h.names[canonicalHost(host)], h.public = true, true
	}
	for _, a := range allow {
		host := canonicalHost(a)
		if host == "" || strings.ContainsAny(a, "*/@ ") {
			return Hosts{}, fmt.Errorf("-allow-host %q: give a host name such as smtplay.school.example, or an address", a)
		}
		h.names[host] = true
	}
	return h, nil
}

// Allow reports whether a request whose Host header is host, received on
// the local address local (the connection's own end; invalid if unknown),
// is for this server:
//
//   - the -public-url's host, or an -allow-host name;
//   - localhost or a loopback address, always;
//   - without -public-url, an address of this machine: the one the request
//     arrived on, or any of net.InterfaceAddrs.
func (h Hosts) Allow(host string, local netip.Addr) bool {
	name := canonicalHost(host)
	if name == "" {
		return false
	}
	if h.names[name] || loopbackNames[name] {
		return true
	}
	addr, err := netip.ParseAddr(name)
	if err != nil {
		return false // a name nobody listed
	}
	addr = addr.Unmap().WithZone("")
	switch {
	case addr.IsLoopback():
		return true
	case h.public:
		return false
	case addr == local.Unmap():
		return true
	}
	for _, a := range h.machine() {
		if a == addr {
			return true
		}
	}
	return false
}

// canonicalHost returns a Host header's host: lower case, without its port,
// its brackets or a final dot; "" if there is none.
func canonicalHost(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(host, ".")
}

// interfaceAddrs lists this machine's addresses; none if they cannot be read.
func interfaceAddrs() []netip.Addr {
	list, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	out := make([]netip.Addr, 0, len(list))
	for _, a := range list {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr().Unmap())
		}
	}
	return out
}
