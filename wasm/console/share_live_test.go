//go:build !js

package console

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/export"
)

// A session with the real sandbox, logged in with AUTH LOGIN from the
// helper: its share data and its code hold no credential, its code and
// script name the sandbox, and its replay reads back line for line.
func TestShareAndCodeOfALiveSession(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	open(t, c, r, pg, "sandbox")
	ask(t, c, r, "EHLO client.example")
	login, err := AuthLines("LOGIN", demoUser, demoPass)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range login {
		lines = append(lines, l.Text)
	}
	c.Paste(append(lines, "MAIL FROM:<me@example.org>", "RCPT TO:<friend@example.org>", "DATA", "Subject: live", "", "Hello.", ".", "QUIT"))
	r.next(t, EventDelivered)
	r.next(t, EventClosed)

	sh := c.Share(true)
	data, _ := json.Marshal(sh)
	for _, secret := range credentials {
		if strings.Contains(string(data), secret) {
			t.Errorf("share data holds %q: %s", secret, data)
		}
	}
	want := "EHLO client.example|AUTH LOGIN|MAIL FROM:<me@example.org>|RCPT TO:<friend@example.org>|DATA|Subject: live||Hello.|.|QUIT"
	if got := strings.Join(sh.Script, "|"); got != want || sh.Dropped != 2 || sh.Target != "sandbox" {
		t.Errorf("script %q, dropped %d, target %q", got, sh.Dropped, sh.Target)
	}
	evs, err := Replay(strings.Join(sh.Replay, "\n"), ReplayOptions{Target: sh.Target, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(lineEntries(evs)); got != len(sh.Replay) {
		t.Errorf("%d lines replayed of %d", got, len(sh.Replay))
	}

	code, err := c.ExportCode(export.FormatPython, CodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range credentials {
		if strings.Contains(code.Code, secret) {
			t.Errorf("code without secrets holds %q", secret)
		}
	}
	if code.Credentials != CredentialsLeftOut || code.Filename != "smtplay-session.py" || !strings.Contains(code.Code, "smtplib") {
		t.Errorf("code %+v", code)
	}
	if code, err = c.ExportCode(export.FormatPython, CodeOptions{Reveal: true}); err != nil || !strings.Contains(code.Code, `PASSWORD = "practice"`) {
		t.Errorf("code with secrets: %v\n%s", err, code.Code)
	}
}
