package policy

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Origins decides which browser origins may open a tunnel (docs/PROTOCOL.md,
// "Endpoint"; docs/SECURITY.md, T3). The zero Origins accepts only same-host
// origins. An Origins is read-only and safe for concurrent use.
type Origins struct {
	public   string   // canonical scheme://host[:port] of -public-url, or ""
	patterns Patterns // the operator's embedding origins
}

// defaultPorts are the ports an origin may leave out.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// NewOrigins prepares the origin check. publicURL (-public-url) may be "".
// patterns are -allow-origin entries: full origins like
// "https://course.example.edu", with "*" allowed inside the host
// ("https://*.example.edu", "https://preview-*.example.edu"). A "*" stands for
// one or more letters, digits or hyphens inside one label, never a dot, and
// must be followed by at least two fixed labels. Invalid patterns are errors.
func NewOrigins(publicURL string, patterns []string) (Origins, error) {
	var o Origins
	if publicURL != "" {
		scheme, host, port, err := splitOrigin(publicURL, true)
		if err != nil {
			return Origins{}, fmt.Errorf("-public-url %q: %v", publicURL, err)
		}
		if strings.Contains(host, "*") {
			return Origins{}, fmt.Errorf("-public-url %q: a wildcard is not allowed here", publicURL)
		}
		o.public = joinOrigin(scheme, host, port)
	}
	var err error
	o.patterns, err = ParsePatterns("-allow-origin", patterns)
	return o, err
}

// Embedders returns the -allow-origin patterns: the pages that may embed
// the playground.
func (o Origins) Embedders() Patterns { return o.patterns }

// splitOrigin parses an origin "scheme://host[:port]" into its lower-case
// parts, with a default port left out. With url true a path, query or
// fragment is allowed and ignored (a -public-url may have a path).
func splitOrigin(s string, isURL bool) (scheme, host, port string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", "", fmt.Errorf("not an origin like https://example.org")
	}
	scheme = strings.ToLower(u.Scheme)
	if _, ok := defaultPorts[scheme]; !ok {
		return "", "", "", fmt.Errorf("the scheme must be http or https, as in https://example.org")
	}
	if u.Opaque != "" || u.User != nil || u.Host == "" {
		return "", "", "", fmt.Errorf("not an origin like https://example.org")
	}
	if !isURL && ((u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(s, "#")) {
		return "", "", "", fmt.Errorf("an origin has no path, query or fragment; give just scheme://host[:port]")
	}
	host = strings.ToLower(u.Hostname())
	port = u.Port()
	if host == "" || (strings.Contains(u.Host, ":") && port == "" && !strings.HasSuffix(u.Host, "]")) {
		return "", "", "", fmt.Errorf("not an origin like https://example.org")
	}
	if port == defaultPorts[scheme] {
		port = ""
	}
	return scheme, host, port, nil
}

// joinOrigin writes an origin back from its parts.
func joinOrigin(scheme, host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// Allow reports whether r's Origin may open a tunnel.
//
//   - No Origin header: true. The client is not a browser, so the request
//     cannot be cross-site; rate limits still apply.
//   - "null", an empty or unparsable Origin, or several Origin headers: false.
//   - With a public URL: the origin must be exactly its scheme://host[:port]
//     (host case-insensitive, default ports normalised: https://x:443 is
//     https://x). Without one: the origin's host[:port] must be r.Host.
//   - Otherwise the origin must match an allowed pattern, scheme included:
//     the http:// variant of an https:// pattern is refused.
func (o Origins) Allow(r *http.Request) bool {
	values, present := r.Header["Origin"]
	if !present {
		return true
	}
	if len(values) != 1 || values[0] == "null" {
		return false
	}
	scheme, host, port, err := splitOrigin(values[0], false)
	if err != nil {
		return false
	}
	if o.public != "" {
		if joinOrigin(scheme, host, port) == o.public {
			return true
		}
	} else if sameHost(host, port, defaultPorts[scheme], r.Host) {
		return true
	}
	return o.patterns.match(scheme, host, port)
}

// sameHost reports whether an origin's host and port (port "" for the
// default, def) name the same place as a request's Host header.
func sameHost(host, port, def, reqHost string) bool {
	rh, rp := strings.ToLower(reqHost), ""
	if h, p, err := net.SplitHostPort(rh); err == nil {
		rh, rp = h, p
	} else {
		rh = strings.TrimSuffix(strings.TrimPrefix(rh, "["), "]")
	}
	if rp == def {
		rp = ""
	}
	return rh != "" && rh == host && rp == port
}
