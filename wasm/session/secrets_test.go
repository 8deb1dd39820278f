package session

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// TestSecretsNeverInJSON marshals everything the page could show during
// AUTH exchanges and looks for the credentials: they must appear nowhere,
// not even their length (the mask is fixed).
func TestSecretsNeverInJSON(t *testing.T) {
	const (
		plainIR = "AGFsaWNlAHMzY3JldC1wYXNzd29yZA==" // \0alice\0s3cret-password
		user    = "YWxpY2VAZXhhbXBsZS5vcmc="         // alice@example.org
		pass    = "czNjcmV0LXBhc3N3b3JkLWxvbmdlcg==" // s3cret-password-longer
	)
	s := ready(t, false, "AUTH PLAIN LOGIN")
	var out []any
	keep := func(v ...any) { out = append(out, v...) }

	keep(s.Check("AUTH PLAIN " + plainIR))
	a, err := s.SubmitConfirmed("AUTH PLAIN " + plainIR)
	keep(a, err)
	keep(s.Receive([]byte("535 5.7.8 Authentication credentials invalid\r\n")))
	a, err = s.SubmitConfirmed("AUTH LOGIN")
	keep(a, err)
	keep(s.Receive([]byte("334 VXNlcm5hbWU6\r\n")))
	keep(s.Check(user))
	a, err = s.Submit(user)
	keep(a, err)
	keep(s.Receive([]byte("334 UGFzc3dvcmQ6\r\n")))
	keep(s.State(), s.Suggestions())
	a, err = s.Submit(pass)
	keep(a, err)
	keep(s.State())
	keep(s.Receive([]byte("235 2.7.0 Authentication successful\r\n")))
	keep(s.Transcript(), s.State(), s.Refused("not_allowed", phrase.Plain("x")), s.Closed("client", phrase.Plain("done")))

	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b) + s.Export(ExportOptions{})
	for _, secret := range []string{plainIR, user, pass, "s3cret", "alice@example"} {
		if strings.Contains(js, secret) {
			t.Errorf("%q leaks into the page's JSON or the export", secret)
		}
	}
	if n := strings.Count(js, Mask); n < 6 {
		t.Errorf("only %d masks", n)
	}
	if !strings.Contains(s.Export(ExportOptions{RevealSecrets: true}), pass) {
		t.Error("RevealSecrets does not reveal")
	}
}
