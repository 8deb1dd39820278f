package policy

import (
	"fmt"
	"regexp"
	"strings"
)

// Patterns is a list of operator-given origins such as -allow-origin's
// (pages that may embed the playground) or -lesson-origin's (servers that
// may host lesson files): full origins like "https://course.example.edu",
// with "*" allowed inside the host. A Patterns is read-only and safe for
// concurrent use.
type Patterns []pattern

// pattern is one entry, compiled.
type pattern struct {
	source string // as canonicalised: lower case, no default port
	scheme string
	host   *regexp.Regexp // the whole host, "*" already turned into a label match
	port   string         // "" for the scheme's default
}

// ParsePatterns compiles a list of origins; flag names the list in errors.
// A "*" stands for one or more letters, digits or hyphens inside one label
// ("https://*.example.edu", "https://preview-*.example.edu"), never a dot,
// and must be followed by at least two fixed labels.
func ParsePatterns(flag string, list []string) (Patterns, error) {
	var ps Patterns
	for _, p := range list {
		pt, err := compilePattern(p)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %v", flag, p, err)
		}
		ps = append(ps, pt)
	}
	return ps, nil
}

// Match reports whether an origin ("https://cs101.example.edu") matches one
// of the patterns, scheme and port included.
func (ps Patterns) Match(origin string) bool {
	scheme, host, port, err := splitOrigin(origin, false)
	return err == nil && ps.match(scheme, host, port)
}

func (ps Patterns) match(scheme, host, port string) bool {
	for _, p := range ps {
		if p.scheme == scheme && p.port == port && p.host.MatchString(host) {
			return true
		}
	}
	return false
}

// Strings returns the patterns as canonical text, for the page.
func (ps Patterns) Strings() []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.source
	}
	return out
}

// CSP returns the patterns as Content-Security-Policy source expressions.
// CSP knows a wildcard only as the whole first label, so
// "https://preview-*.example.edu" widens to "https://*.example.edu" there;
// the page checks the exact pattern itself.
func (ps Patterns) CSP() []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		scheme, rest, _ := strings.Cut(p.source, "://")
		labels := strings.Split(rest, ".")
		for j, l := range labels {
			if strings.Contains(l, "*") {
				labels = append([]string{"*"}, labels[j+1:]...)
				break
			}
		}
		out[i] = scheme + "://" + strings.Join(labels, ".")
	}
	return out
}

// Widened returns the patterns whose CSP form (CSP) lets more origins in
// than the pattern itself: every one with a "*". CSP puts a wildcard only in
// front of a whole host and matches it at any depth, so
// "https://preview-*.example.edu" and even "https://*.example.edu" become
// "https://*.example.edu", which "https://a.b.example.edu" matches too.
// Framing (frame-ancestors) is then wider than messaging, which the page
// checks against the exact pattern; the server says so at start-up.
func (ps Patterns) Widened() []string {
	var out []string
	for _, p := range ps {
		if strings.Contains(p.source, "*") {
			out = append(out, p.source)
		}
	}
	return out
}

// compilePattern turns an origin pattern into a pattern.
func compilePattern(p string) (pattern, error) {
	scheme, host, port, err := splitOrigin(p, false)
	if err != nil {
		return pattern{}, err
	}
	labels := strings.Split(host, ".")
	last := -1
	for i, l := range labels {
		if l == "" {
			return pattern{}, fmt.Errorf("the host %q has an empty label", host)
		}
		if strings.Contains(l, "*") {
			last = i
		}
	}
	if last >= 0 && len(labels)-last-1 < 2 {
		return pattern{}, fmt.Errorf("the wildcard matches too much: put it before at least two fixed labels, as in https://*.example.edu")
	}
	var re strings.Builder
	re.WriteString("^")
	for i, l := range labels {
		if i > 0 {
			re.WriteString(`\.`)
		}
		for j, part := range strings.Split(l, "*") {
			if j > 0 {
				re.WriteString("[a-z0-9-]+")
			}
			re.WriteString(regexp.QuoteMeta(part))
		}
	}
	re.WriteString("$")
	return pattern{source: joinOrigin(scheme, host, port), scheme: scheme, host: regexp.MustCompile(re.String()), port: port}, nil
}
