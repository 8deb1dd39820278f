package server

import (
	"strings"
	"testing"
)

func TestFlagsAndEnvironmentTwins(t *testing.T) {
	t.Setenv("SMTPLAY_LISTEN", "0.0.0.0:9000")
	t.Setenv("SMTPLAY_ALLOW", "smtp.example.org:587 smtp.example.org:465,implicit")
	t.Setenv("SMTPLAY_IDLE", "2m")
	t.Setenv("SMTPLAY_ALLOW_PRIVATE", "true")
	o, err := ParseFlags([]string{"-idle", "90s"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Listen != "0.0.0.0:9000" || len(o.Allow) != 2 || o.Session.Idle.String() != "1m30s" || !o.AllowPrivate {
		t.Fatalf("options %+v", o)
	}
	// The command line wins over the environment, repeatable flags included.
	o, err = ParseFlags([]string{"-allow", "mail.example.net:587"})
	if err != nil || len(o.Allow) != 1 || o.Allow[0] != "mail.example.net:587" {
		t.Fatalf("allow %v, %v", o.Allow, err)
	}
}

func TestFlagErrorsAreSentences(t *testing.T) {
	for args, want := range map[string]string{
		"-log-format xml":            "-log-format must be text or json",
		"-idle soon":                 "invalid value",
		"stray":                      `unexpected argument "stray"`,
		"-allow bad:entry":           "-allow bad:entry",
		"-allow smtp.example.org:25": "-allow smtp.example.org:25",
		"-allow-origin ftp://x":      "-allow-origin",
		"-trust-proxy nonsense":      "-trust-proxy",
	} {
		o, err := ParseFlags(strings.Fields(args))
		if err == nil {
			_, err = New(o.Options)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to mention %q", args, err, want)
		}
	}
	t.Setenv("SMTPLAY_SESSIONS_PER_IP", "many")
	if _, err := ParseFlags(nil); err == nil || !strings.Contains(err.Error(), "SMTPLAY_SESSIONS_PER_IP") {
		t.Errorf("a bad environment twin: %v", err)
	}
}

func TestAllowedTargetsAreListed(t *testing.T) {
	_, hs := startServer(t, "-allow", "smtp.example.org:587", "-allow", "smtp.example.org:465,implicit")
	var targets []struct {
		Name, Host, TLS string
		Port            int
		Demo            any
	}
	getJSON(t, hs.URL+"/api/targets", &targets)
	if len(targets) != 4 {
		t.Fatalf("targets %+v", targets)
	}
	last := targets[3]
	if last.Host != "smtp.example.org" || last.Port != 465 || last.TLS != "implicit" || last.Demo != nil {
		t.Fatalf("operator entry %+v", last)
	}
}
