package sandbox

import (
	"fmt"
	"strings"
	"testing"
)

// ruleContext is how far a session goes before a rule's Example.
var ruleContext = map[string][]string{
	"starttls-first":          {"EHLO client.example"},
	"auth-first":              {"<greet>"},
	"hello-domain-or-literal": nil,
	"mail-angle-brackets":     {"<ready>"},
	"rcpt-angle-brackets":     {"<ready>", "MAIL FROM:<a@example.org>"},
}

// TestProfileRules sends each rule's Example to its profile, which must
// answer exactly the rule's Reply, and to the lenient profile, which must
// not.
func TestProfileRules(t *testing.T) {
	s := newTestSandbox(t, Config{})
	all := profileRules()
	if len(all["sandbox"]) != 0 || len(all["sandbox-strict"]) != len(ruleContext) {
		t.Fatalf("rules %+v", all)
	}
	for _, r := range all["sandbox-strict"] {
		steps, ok := ruleContext[r.ID]
		if !ok {
			t.Fatalf("no context for rule %s", r.ID)
		}
		if r.Code != 501 && r.Code != 530 || !strings.HasPrefix(r.Reply, fmt.Sprintf("%d %s ", r.Code, r.Enhanced)) || r.Source == "" || len(r.Commands) == 0 {
			t.Errorf("rule %+v", r)
		}
		for _, p := range []string{"sandbox-strict", "sandbox"} {
			c, _ := dial(t, s, p, "", nil)
			_, got := c.runSteps(s, p, append(steps, r.Example))
			if refused := len(got) == 1 && got[0] == r.Reply; refused != (p == "sandbox-strict") {
				t.Errorf("%s on %s after %q: got %q", r.ID, p, r.Example, got)
			}
		}
	}
	all["sandbox-strict"][0].Commands[0] = "changed"
	if profileRules()["sandbox-strict"][0].Commands[0] == "changed" {
		t.Error("profileRules shares its slices")
	}
}

func TestValidHelloName(t *testing.T) {
	for name, ok := range map[string]bool{
		"client.example": true, "localhost": true, "client.example.": true, "xn--bcher-kva.example": true,
		"bücher.example": true, "[192.0.2.1]": true, "[IPv6:2001:db8::1]": true, "[ipv6:::1]": true,
		"client.example trailing words": true,
		"91.198.212.5":                  false, "[91.198.212.5": false, "[300.1.1.1]": false, "[2001:db8::1]": false,
		"[IPv6:192.0.2.1]": false, "bad_name": false, "-a.example": false, "a..example": false, "2001:db8::1": false,
	} {
		if validHelloName(name) != ok {
			t.Errorf("validHelloName(%q) != %v", name, ok)
		}
	}
}
