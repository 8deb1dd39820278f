package policy

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// TLSMode is a target's TLS mode: "none" (plain; STARTTLS possible) or
// "implicit" (TLS from the first byte).
type TLSMode string

// The TLS modes of a target, as PROTOCOL.md names them.
const (
	TLSNone     TLSMode = "none"     // plain TCP; the client may send STARTTLS
	TLSImplicit TLSMode = "implicit" // TLS from the first byte, port 465 style
)

// Target is one entry of the server-side table.
type Target struct {
	Name        string  // "sandbox", "sandbox-strict", or "host:port" for operator entries
	Host        string  // lower-case, no trailing dot
	Port        int     // TCP port
	TLS         TLSMode // TLSNone or TLSImplicit
	Insecure    bool    // accept an unverified certificate
	PlainAuth   bool    // allow AUTH before TLS is up
	Sandbox     string  // non-empty: the in-process sandbox profile this target reaches (never dialled)
	Description string  // one line for people, shown in the target list
}

// Addr returns the target's host and port joined as "host:port" (IPv6
// literals in brackets).
func (t Target) Addr() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// submissionPorts are the ports a public playground may reach: mail
// submission (RFC 6409) and submission over implicit TLS (RFC 8314).
// Port 25 is server-to-server relay and is never one of them.
var submissionPorts = map[int]bool{465: true, 587: true}

// allowOptions are the option words of an -allow entry and what each sets.
var allowOptions = map[string]func(*Target){
	"implicit":  func(t *Target) { t.TLS = TLSImplicit },
	"insecure":  func(t *Target) { t.Insecure = true },
	"plainauth": func(t *Target) { t.PlainAuth = true },
}

// ParseAllow parses an operator entry "host:port[,implicit][,insecure][,plainauth]"
// (the -allow flag).
//
// The host must be a DNS name with at least one dot, such as
// "smtp.example.org": the proxy verifies the server's certificate against it.
// Only in lab mode (lab true) may the host be an IP literal, a single-label
// name or "localhost", and the port any of 1-65535; otherwise the port must be
// 587 or 465 (authenticated submission; never 25). Unknown option words are
// errors. Errors are sentences for an operator.
func ParseAllow(spec string, lab bool) (Target, error) {
	parts := strings.Split(spec, ",")
	hostport := strings.TrimSpace(parts[0])
	if hostport == "" {
		return Target{}, fmt.Errorf("-allow %q: expected host:port, such as smtp.example.org:587", spec)
	}
	h, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return Target{}, fmt.Errorf("-allow %q: expected host:port, such as smtp.example.org:587 (is the port missing?)", spec)
	}
	host, err := checkHost(h, lab)
	if err != nil {
		return Target{}, fmt.Errorf("-allow %q: %v", spec, err)
	}
	port, err := checkPort(p, lab)
	if err != nil {
		return Target{}, fmt.Errorf("-allow %q: %v", spec, err)
	}
	t := Target{Host: host, Port: port, TLS: TLSNone}
	t.Name = t.Addr()
	seen := map[string]bool{}
	for _, o := range parts[1:] {
		word := strings.ToLower(strings.TrimSpace(o))
		set, ok := allowOptions[word]
		switch {
		case word == "":
			return Target{}, fmt.Errorf("-allow %q: empty option (a stray comma?)", spec)
		case !ok:
			return Target{}, fmt.Errorf("-allow %q: unknown option %q; the options are implicit, insecure and plainauth", spec, word)
		case seen[word]:
			return Target{}, fmt.Errorf("-allow %q: option %q is given twice", spec, word)
		}
		seen[word] = true
		set(&t)
	}
	t.Description = describe(t)
	return t, nil
}

// describe writes a one-line description of an operator entry.
func describe(t Target) string {
	d := "SMTP server " + t.Addr()
	if t.TLS == TLSImplicit {
		d += " (TLS from the first byte)"
	} else {
		d += " (plain; STARTTLS possible)"
	}
	if t.Insecure {
		d += ", certificate not verified"
	}
	if t.PlainAuth {
		d += ", AUTH allowed before TLS"
	}
	return d
}

// checkPort parses a port number and applies the submission-port rule.
func checkPort(p string, lab bool) (int, error) {
	port, err := strconv.Atoi(p)
	if err != nil || p == "" || p[0] < '0' || p[0] > '9' || port < 1 || port > 65535 {
		return 0, fmt.Errorf("port %q is not a number from 1 to 65535", p)
	}
	if !lab && !submissionPorts[port] {
		return 0, fmt.Errorf("port %d is not allowed: a public playground reaches only the mail submission ports 587 and 465 "+
			"(port 25 is for relay between servers, and most clouds block it); lab mode allows any port", port)
	}
	return port, nil
}

// checkHost validates and canonicalises the host of an -allow entry.
func checkHost(h string, lab bool) (string, error) {
	host := canonHost(h)
	if host == "" {
		return "", fmt.Errorf("the host name is empty")
	}
	if _, err := netip.ParseAddr(host); err == nil {
		if !lab {
			return "", fmt.Errorf("%s is an IP address: give the server's host name, which its certificate is checked against (lab mode allows IP addresses)", host)
		}
		return host, nil
	}
	if err := checkDNSName(host); err != nil {
		return "", err
	}
	if !lab && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		return "", fmt.Errorf("%s is this machine, which a public playground never reaches (lab mode allows it)", host)
	}
	if !lab && !strings.Contains(host, ".") {
		return "", fmt.Errorf("%s is not a full host name: give one with a domain, such as smtp.example.org (lab mode allows short names)", host)
	}
	return host, nil
}

// checkDNSName reports whether host (lower-case, no trailing dot) is a
// syntactically valid DNS host name.
func checkDNSName(host string) error {
	if len(host) > 253 {
		return fmt.Errorf("host name %q is longer than 253 characters", host)
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return fmt.Errorf("%q is not a valid host name", host)
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("%q is not a valid host name", host)
			}
		}
	}
	if last := labels[len(labels)-1]; strings.Trim(last, "0123456789") == "" {
		// "2130706433" or "127.1": numbers that some resolvers read as IPv4.
		return fmt.Errorf("%q looks like a number, not a host name", host)
	}
	return nil
}

// canonHost lower-cases a host, drops IPv6 brackets and one trailing dot, and
// writes IP literals in their canonical form.
func canonHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	h = strings.TrimSuffix(h, ".")
	if a, err := netip.ParseAddr(h); err == nil {
		return a.String()
	}
	return h
}
