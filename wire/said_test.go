package wire

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestSayRendersAndNests(t *testing.T) {
	s := Say("denied-address", "host", "x.example", "addr", "::ffff:127.0.0.1", "reason", "denied.mapped", "carried", "127.0.0.1", "inner", "denied.loopback", "prefix", "127.0.0.0/8")
	want := "x.example resolves to ::ffff:127.0.0.1, which this playground never connects to: an IPv4-mapped address for 127.0.0.1, which is a loopback address (this machine)"
	if got := s.English(); got != want || s.Error() != want || !s.Known() {
		t.Errorf("got %q, want %q", got, want)
	}
	if parts := s.Parts(); len(parts) != 3 || parts[1].Key != "denied.mapped" || parts[2].Key != "denied.loopback" {
		t.Errorf("parts %+v", parts)
	}
	if got := Say("open-malformed", "error", "{reason} {error}").English(); got != "the open message is malformed: {reason} {error}" {
		t.Errorf("a value was read again: %q", got)
	}
	if Say("no-such-key").Known() {
		t.Error("an unknown key is known")
	}
}

// TestDetailsTemplates: placeholder names are those a page fills (package
// wasm/phrase), and a nested placeholder ends its template, so that Stem
// cuts it off.
func TestDetailsTemplates(t *testing.T) {
	ph := regexp.MustCompile(`\{([^}]*)\}`)
	name := regexp.MustCompile(`^[a-z][a-zA-Z]*$`)
	for key, tmpl := range Details {
		for _, m := range ph.FindAllStringSubmatch(tmpl, -1) {
			if !name.MatchString(m[1]) {
				t.Errorf("%s: placeholder {%s}", key, m[1])
			}
		}
		if stem := Stem(key); strings.Contains(stem, "{reason}") || strings.Contains(stem, "{inner}") {
			t.Errorf("%s: a nested placeholder inside the sentence: %q", key, tmpl)
		}
	}
}

// TestDetailsDocumented: the contract lists every key with its English.
func TestDetailsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/PROTOCOL.md")
	if err != nil {
		t.Fatal(err)
	}
	for key, tmpl := range Details {
		row := "| `" + key + "` | "
		if !strings.Contains(string(doc), row) || !strings.Contains(string(doc), strings.ReplaceAll(tmpl, "|", `\|`)+" |") {
			t.Errorf("docs/PROTOCOL.md, Details: no row for %s saying %q", key, tmpl)
		}
	}
}
