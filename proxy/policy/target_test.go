package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/proxy/policy"
)

func TestParseAllow(t *testing.T) {
	tests := []struct {
		spec string
		lab  bool
		want policy.Target
	}{
		{"smtp.example.org:587", false, policy.Target{Name: "smtp.example.org:587", Host: "smtp.example.org", Port: 587, TLS: policy.TLSNone}},
		{"SMTP.Example.ORG.:465,implicit", false, policy.Target{Name: "smtp.example.org:465", Host: "smtp.example.org", Port: 465, TLS: policy.TLSImplicit}},
		{"mail.example.edu:587, insecure ,PlainAuth", false, policy.Target{Name: "mail.example.edu:587", Host: "mail.example.edu", Port: 587, TLS: policy.TLSNone, Insecure: true, PlainAuth: true}},
		{"smtp.example.org:465,implicit,insecure,plainauth", false, policy.Target{Name: "smtp.example.org:465", Host: "smtp.example.org", Port: 465, TLS: policy.TLSImplicit, Insecure: true, PlainAuth: true}},
		{"_smtp.example.org:587", false, policy.Target{Name: "_smtp.example.org:587", Host: "_smtp.example.org", Port: 587, TLS: policy.TLSNone}},
		// Lab mode: any port, IP literals, short names.
		{"smtp.example.org:25", true, policy.Target{Name: "smtp.example.org:25", Host: "smtp.example.org", Port: 25, TLS: policy.TLSNone}},
		{"127.0.0.1:2525", true, policy.Target{Name: "127.0.0.1:2525", Host: "127.0.0.1", Port: 2525, TLS: policy.TLSNone}},
		{"[::1]:1025,implicit", true, policy.Target{Name: "[::1]:1025", Host: "::1", Port: 1025, TLS: policy.TLSImplicit}},
		{"localhost:1025", true, policy.Target{Name: "localhost:1025", Host: "localhost", Port: 1025, TLS: policy.TLSNone}},
		{"mailhog:1025", true, policy.Target{Name: "mailhog:1025", Host: "mailhog", Port: 1025, TLS: policy.TLSNone}},
	}
	for _, tt := range tests {
		got, err := policy.ParseAllow(tt.spec, tt.lab)
		if err != nil {
			t.Errorf("ParseAllow(%q, %v): %v", tt.spec, tt.lab, err)
			continue
		}
		if got.Description == "" {
			t.Errorf("ParseAllow(%q): empty description", tt.spec)
		}
		got.Description = ""
		if got != tt.want {
			t.Errorf("ParseAllow(%q, %v) = %+v, want %+v", tt.spec, tt.lab, got, tt.want)
		}
	}
}

func TestParseAllowRefuses(t *testing.T) {
	tests := []struct {
		spec string
		lab  bool
		want string // substring of the error
	}{
		{"smtp.gmail.com:25", false, "port 25 is not allowed"},
		{"smtp.example.org:2525", false, "port 2525 is not allowed"},
		{"smtp.example.org:22", false, "587 and 465"},
		{"smtp.example.org", false, "port missing"},
		{"smtp.example.org", true, "port missing"},
		{"smtp.example.org:", false, "not a number"},
		{"smtp.example.org:smtp", true, "not a number"},
		{"smtp.example.org:+587", false, "not a number"},
		{"smtp.example.org:0", true, "not a number from 1 to 65535"},
		{"smtp.example.org:65536", true, "not a number from 1 to 65535"},
		{"", false, "expected host:port"},
		{":587", false, "empty"},
		{"smtp.example.org:587,starttls", false, `unknown option "starttls"`},
		{"smtp.example.org:587,implicit,implicit", false, "given twice"},
		{"smtp.example.org:587,", false, "empty option"},
		{"10.0.0.1:587", false, "IP address"},
		{"[::1]:587", false, "IP address"},
		{"localhost:587", false, "this machine"},
		{"mail.localhost:587", false, "this machine"},
		{"mailhog:587", false, "not a full host name"},
		{"2130706433:587", false, "number"},
		{"127.1:587", false, "number"},
		{"smtp..example.org:587", false, "not a valid host name"},
		{"-smtp.example.org:587", false, "not a valid host name"},
		{"smtp.exa mple.org:587", false, "not a valid host name"},
		{"smtp/x.example.org:587", false, "not a valid host name"},
		{strings.Repeat("a", 64) + ".example.org:587", false, "not a valid host name"},
		{strings.Repeat("abcdefg.", 32) + "org:587", false, "longer than 253"},
	}
	for _, tt := range tests {
		got, err := policy.ParseAllow(tt.spec, tt.lab)
		if err == nil {
			t.Errorf("ParseAllow(%q, %v) = %+v, want an error", tt.spec, tt.lab, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAllow(%q, %v) error %q, want it to say %q", tt.spec, tt.lab, err, tt.want)
		}
	}
}

func sandbox(name, host string, port int) policy.Target {
	return policy.Target{Name: name, Host: host, Port: port, Sandbox: name, Description: "practice server"}
}

func mustAllow(t *testing.T, spec string) policy.Target {
	t.Helper()
	tg, err := policy.ParseAllow(spec, false)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestTable(t *testing.T) {
	gmail := mustAllow(t, "smtp.gmail.com:587")
	ovh := mustAllow(t, "ssl0.ovh.net:465,implicit")
	tab, err := policy.NewTable(gmail, sandbox("sandbox", "Sandbox.SMTPlay.test.", 587), ovh, sandbox("sandbox-strict", "sandbox.smtplay.test", 588))
	if err != nil {
		t.Fatal(err)
	}

	var names []string
	for _, tg := range tab.List() {
		names = append(names, tg.Name)
	}
	if got, want := strings.Join(names, " "), "sandbox sandbox-strict smtp.gmail.com:587 ssl0.ovh.net:465"; got != want {
		t.Errorf("List order = %q, want %q", got, want)
	}
	tab.List()[0].Name = "changed"
	if tab.List()[0].Name != "sandbox" {
		t.Error("List returned the table's own slice")
	}

	if tg, ok := tab.ByName("sandbox"); !ok || tg.Host != "sandbox.smtplay.test" || tg.TLS != policy.TLSNone {
		t.Errorf("ByName(sandbox) = %+v, %v", tg, ok)
	}
	if tg, ok := tab.ByName("ssl0.ovh.net:465"); !ok || tg.TLS != policy.TLSImplicit {
		t.Errorf("ByName(ssl0.ovh.net:465) = %+v, %v", tg, ok)
	}
	for _, name := range []string{"", "Sandbox", "nope", "smtp.gmail.com:25"} {
		if tg, ok := tab.ByName(name); ok {
			t.Errorf("ByName(%q) = %+v, want no match", name, tg)
		}
	}

	matches := []struct {
		host string
		port int
		want string // target name; "" for no match
	}{
		{"smtp.gmail.com", 587, "smtp.gmail.com:587"},
		{"SMTP.Gmail.COM", 587, "smtp.gmail.com:587"},
		{"smtp.gmail.com.", 587, "smtp.gmail.com:587"},
		{"ssl0.ovh.net", 465, "ssl0.ovh.net:465"},
		{"sandbox.smtplay.test", 587, "sandbox"},
		{"sandbox.smtplay.test", 588, "sandbox-strict"},
		{"smtp.gmail.com", 25, ""},
		{"smtp.gmail.com", 465, ""},
		{"smtp.gmail.com..", 587, ""},
		{"gmail.com", 587, ""},
		{"evil.smtp.gmail.com", 587, ""},
		{"10.0.0.1", 22, ""},
		{"169.254.169.254", 587, ""},
		{"", 587, ""},
		{"", 0, ""},
	}
	for _, m := range matches {
		tg, ok := tab.Match(m.host, m.port)
		if ok != (m.want != "") || tg.Name != m.want {
			t.Errorf("Match(%q, %d) = %q, %v; want %q", m.host, m.port, tg.Name, ok, m.want)
		}
	}
}

func TestTableLookup(t *testing.T) {
	tab, err := policy.NewTable(sandbox("sandbox", "sandbox.smtplay.test", 587), mustAllow(t, "smtp.gmail.com:587"))
	if err != nil {
		t.Fatal(err)
	}
	if tg, err := tab.Lookup("sandbox", "", 0); err != nil || tg.Name != "sandbox" {
		t.Errorf("Lookup(sandbox) = %+v, %v", tg, err)
	}
	if tg, err := tab.Lookup("", "smtp.gmail.com", 587); err != nil || tg.Name != "smtp.gmail.com:587" {
		t.Errorf("Lookup(smtp.gmail.com:587) = %+v, %v", tg, err)
	}
	for _, q := range []struct {
		name, host string
		port       int
		msg        string
	}{
		{"nope", "", 0, `there is no target named "nope" here (GET /api/targets lists them)`},
		{"smtp.gmail.com:25", "", 0, `there is no target named "smtp.gmail.com:25" here (GET /api/targets lists them)`},
		{"", "smtp.gmail.com", 25, "smtp.gmail.com:25 is not on this playground's list of servers, so the proxy will not connect to it. The operator can allow a server with -allow"},
		{"", "::1", 25, "[::1]:25 is not on this playground's list of servers, so the proxy will not connect to it. The operator can allow a server with -allow"},
		{"", "", 0, ":0 is not on this playground's list of servers, so the proxy will not connect to it. The operator can allow a server with -allow"},
	} {
		_, err := tab.Lookup(q.name, q.host, q.port)
		var nl *policy.NotListedError
		if !errors.As(err, &nl) || err.Error() != q.msg {
			t.Errorf("Lookup(%q, %q, %d) error = %v, want %q", q.name, q.host, q.port, err, q.msg)
		}
	}
}

func TestNewTableRefuses(t *testing.T) {
	gmail := mustAllow(t, "smtp.gmail.com:587")
	tests := []struct {
		name    string
		targets []policy.Target
		want    string
	}{
		{"duplicate name", []policy.Target{sandbox("sandbox", "a.test", 1), sandbox("sandbox", "b.test", 2)}, "used twice"},
		{"duplicate host:port", []policy.Target{gmail, {Name: "other", Host: "SMTP.gmail.com.", Port: 587}}, "both reach smtp.gmail.com:587"},
		{"no name", []policy.Target{{Host: "a.test", Port: 587}}, "no name"},
		{"bad TLS", []policy.Target{{Name: "x", Host: "a.test", Port: 587, TLS: "starttls"}}, "TLS mode"},
	}
	for _, tt := range tests {
		if _, err := policy.NewTable(tt.targets...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: NewTable error = %v, want %q", tt.name, err, tt.want)
		}
	}
	// Same host, different ports, and hostless sandboxes are fine.
	if _, err := policy.NewTable(gmail, mustAllow(t, "smtp.gmail.com:465,implicit"),
		policy.Target{Name: "a", Sandbox: "a"}, policy.Target{Name: "b", Sandbox: "b"}); err != nil {
		t.Errorf("NewTable: %v", err)
	}
}
