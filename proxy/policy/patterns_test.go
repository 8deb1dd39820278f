package policy_test

import (
	"slices"
	"testing"

	"github.com/smtplay/smtplay/proxy/policy"
)

func TestPatterns(t *testing.T) {
	ps, err := policy.ParsePatterns("-lesson-origin", []string{"https://Course.Example.edu:443", "https://preview-*.pages.example.com", "http://127.0.0.1:8081", "https://a.*.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	for origin, want := range map[string]bool{
		"https://course.example.edu":            true,
		"https://course.example.edu:443":        true,
		"http://course.example.edu":             false,
		"https://course.example.edu:8443":       false,
		"https://preview-42.pages.example.com":  true,
		"https://preview-.pages.example.com":    false,
		"https://other.pages.example.com":       false,
		"https://preview-1.x.pages.example.com": false,
		"http://127.0.0.1:8081":                 true,
		"http://127.0.0.1:8082":                 false,
		"https://a.b.example.org":               true,
		"https://a.b.c.example.org":             false,
		"null":                                  false,
		"https://course.example.edu/path":       false,
	} {
		if got := ps.Match(origin); got != want {
			t.Errorf("Match(%q) = %v, want %v", origin, got, want)
		}
	}
	if got, want := ps.Strings(), []string{"https://course.example.edu", "https://preview-*.pages.example.com", "http://127.0.0.1:8081", "https://a.*.example.org"}; !slices.Equal(got, want) {
		t.Errorf("Strings() = %q, want %q", got, want)
	}
	if got, want := ps.CSP(), []string{"https://course.example.edu", "https://*.pages.example.com", "http://127.0.0.1:8081", "https://*.example.org"}; !slices.Equal(got, want) {
		t.Errorf("CSP() = %q, want %q", got, want)
	}
	if got, want := ps.Widened(), []string{"https://preview-*.pages.example.com", "https://a.*.example.org"}; !slices.Equal(got, want) {
		t.Errorf("Widened() = %q, want %q", got, want)
	}
	if _, err := policy.ParsePatterns("-lesson-origin", []string{"https://*.edu"}); err == nil || err.Error()[:15] != "-lesson-origin " {
		t.Errorf("a too wide pattern: error %v, want one naming -lesson-origin", err)
	}
}
