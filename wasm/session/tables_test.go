package session

import "testing"

// The tables below were maps built at every start; the lookups that
// replaced them must answer as the maps did.

func TestStrictRulesAnswerAsTheMapDid(t *testing.T) {
	old := map[string]map[string]string{
		WarnNoAngleBrackets: {"MAIL": "mail-angle-brackets", "RCPT": "rcpt-angle-brackets"},
		WarnAddressLiteral:  {"EHLO": "hello-domain-or-literal", "HELO": "hello-domain-or-literal"},
		WarnMailBeforeAuth:  {"MAIL": "auth-first"},
		WarnTLSRequired:     {"MAIL": "starttls-first", "AUTH": "starttls-first"},
	}
	n := 0
	for warning, verbs := range old {
		for _, verb := range []string{"EHLO", "HELO", "MAIL", "RCPT", "AUTH", "DATA"} {
			want, wantOK := verbs[verb]
			if got, ok := strictRule(warning, verb); got != want || ok != wantOK {
				t.Errorf("strictRule(%s, %s) = %q, %v; want %q, %v", warning, verb, got, ok, want, wantOK)
			}
		}
		n += len(verbs)
	}
	if len(strictRules) != n {
		t.Errorf("%d strict rules, the map had %d", len(strictRules), n)
	}
	if _, ok := strictRule(WarnSyntax, "MAIL"); ok {
		t.Error("a warning every server answers alike has a strict rule")
	}
}

func TestParamExtensionsAnswerAsTheMapDid(t *testing.T) {
	old := map[string]string{
		"SIZE": "SIZE", "BODY": "8BITMIME", "SMTPUTF8": "SMTPUTF8", "RET": "DSN", "ENVID": "DSN",
		"NOTIFY": "DSN", "ORCPT": "DSN", "AUTH": "AUTH", "REQUIRETLS": "REQUIRETLS", "BY": "DELIVERBY",
		"MT-PRIORITY": "MT-PRIORITY", "HOLDFOR": "FUTURERELEASE", "HOLDUNTIL": "FUTURERELEASE",
		"SUBMITTER": "SUBMITTER", "MTRK": "MTRK", "RRVS": "RRVS",
	}
	for param, want := range old {
		if got, ok := paramExtension(param); !ok || got != want {
			t.Errorf("paramExtension(%s) = %q, %v; want %q", param, got, ok, want)
		}
	}
	if len(paramExtensions) != len(old) {
		t.Errorf("%d parameters, the map had %d", len(paramExtensions), len(old))
	}
	if got, ok := paramExtension("FOO"); ok || got != "" {
		t.Errorf("paramExtension(FOO) = %q, %v", got, ok)
	}
}
