package console

import (
	"errors"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/export"
	"github.com/smtplay/smtplay/wire"
)

var (
	sandboxOpened = wire.Opened{Type: wire.TypeOpened, Host: "sandbox", Port: 587, Remote: "sandbox", Mailbox: "m"}
	realOpened    = wire.Opened{Type: wire.TypeOpened, Host: "smtp.example.org", Port: 587, Remote: "192.0.2.7:587"}
	starttls      = []string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example", "S: 250-sandbox.smtplay", "S: 250 STARTTLS",
		"C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "C: EHLO client.example"}
)

// Code made without secrets holds no credential of a real server in any
// format, however the session logged in: a placeholder user name, the
// password read from the environment. With them it holds both.
func TestCodeOfSecrets(t *testing.T) {
	for name, a := range authSessions {
		s := played(t, join(starttls, ehloReply, a.auth, messageLines)...)
		for _, f := range export.Formats {
			c, err := CodeOf(f, s.Transcript(), realOpened, nil, CodeOptions{})
			if err != nil {
				t.Fatalf("%s/%s: %v", name, f, err)
			}
			for _, secret := range credentials {
				if strings.Contains(c.Code, secret) {
					t.Errorf("%s/%s without secrets holds %q:\n%s", name, f, secret, c.Code)
				}
			}
			placeholder := UsernamePlaceholder
			if f == export.FormatOpenSSL && strings.HasPrefix(name, "login") {
				placeholder = EncodeBase64(UsernamePlaceholder) // the line to type; the note says what it is
				if !strings.Contains(c.Note.English, placeholder) {
					t.Errorf("%s/%s: the note does not name the placeholder's base64: %q", name, f, c.Note)
				}
			}
			if c.Credentials != CredentialsLeftOut || !strings.Contains(c.Code, placeholder) || !strings.Contains(c.Code, export.PasswordEnv) {
				t.Errorf("%s/%s: credentials %q, placeholders missing:\n%s", name, f, c.Credentials, c.Code)
			}
			c, err = CodeOf(f, s.Transcript(), realOpened, s.Reveal, CodeOptions{})
			if err != nil {
				t.Fatalf("%s/%s revealed: %v", name, f, err)
			}
			user, pass := demoUser, demoPass
			if f == export.FormatOpenSSL && strings.HasPrefix(name, "login") {
				user, pass = b64User, b64Pass
			} else if f == export.FormatOpenSSL {
				user, pass = plainBlob, plainBlob
			}
			if c.Credentials != CredentialsIncluded || !strings.Contains(c.Code, user) || !strings.Contains(c.Code, pass) {
				t.Errorf("%s/%s revealed: credentials %q:\n%s", name, f, c.Credentials, c.Code)
			}
		}
	}
}

// Each format has its file name; a real server's code goes to its own
// address, verified.
func TestCodeOfFormatsAndServers(t *testing.T) {
	s := played(t, join(starttls, ehloReply, messageLines)...)
	names := map[export.Format]string{
		export.FormatSwaks: "smtplay-session.sh", export.FormatPHP: "smtplay-session.php", export.FormatPython: "smtplay-session.py",
		export.FormatGo: "smtplay-session.go", export.FormatOpenSSL: "smtplay-session-openssl.txt",
	}
	for f, name := range names {
		c, err := CodeOf(f, s.Transcript(), realOpened, nil, CodeOptions{})
		if err != nil || c.Filename != name || c.Credentials != CredentialsNone || c.Note.English != "" {
			t.Errorf("%s: %+v, %v", f, c, err)
		}
	}
	c, err := CodeOf(export.FormatPython, s.Transcript(), realOpened, nil, CodeOptions{})
	if err != nil || c.Note.English != "" || !strings.Contains(c.Code, `HOST = "smtp.example.org"`) || !strings.Contains(c.Code, "PORT = 587") ||
		!strings.Contains(c.Code, "smtplib") || strings.Contains(c.Code, "CERT_NONE") {
		t.Errorf("real server: %v\n%s", err, c.Code)
	}
}

// Code for the sandbox goes to its TCP listener's address as the page was
// told it, and logs in with the public practice login whose user name
// carries the session's mailbox token, however the session logged in and
// whatever was revealed; a session that did not log in gets the login, and
// without a listener the note says how to start one (and the code uses that
// address).
func TestCodeOfSandbox(t *testing.T) {
	demo := &Login{Username: demoUser, Password: demoPass}
	listener := &Listener{Host: "192.0.2.9", Port: 2626}
	keys := func(c Code) string {
		var k []string
		for _, p := range c.Note.Phrases {
			k = append(k, p.Key)
		}
		return strings.Join(k, " ")
	}
	for name, a := range authSessions {
		s := played(t, join(starttls, ehloReply, a.auth, messageLines)...)
		for _, f := range export.Formats {
			for _, reveal := range []func(int) (string, bool){nil, s.Reveal} {
				c, err := CodeOf(f, s.Transcript(), sandboxOpened, reveal, CodeOptions{Listener: listener, Demo: demo})
				if err != nil {
					t.Fatalf("%s/%s: %v", name, f, err)
				}
				user, pass := demoUser+"+m", demoPass
				if f == export.FormatOpenSSL && strings.HasPrefix(name, "login") {
					user, pass = EncodeBase64(user), EncodeBase64(pass)
				} else if f == export.FormatOpenSSL {
					user = EncodeBase64("\x00" + user + "\x00" + pass)
					pass = user
				}
				if c.Credentials != CredentialsPractice || !strings.Contains(c.Code, user) || !strings.Contains(c.Code, pass) ||
					!strings.Contains(c.Code, "192.0.2.9") || !strings.Contains(c.Code, "2626") || strings.Contains(c.Code, "2525") ||
					strings.Contains(c.Code, export.PasswordEnv) || keys(c) != "export.inbox" || !strings.Contains(c.Note.English, "student+m") {
					t.Errorf("%s/%s: %s, note %q:\n%s", name, f, c.Credentials, c.Note.English, c.Code)
				}
			}
		}
	}
	s := played(t, join(starttls, ehloReply, messageLines)...)
	for _, f := range export.Formats {
		c, err := CodeOf(f, s.Transcript(), sandboxOpened, nil, CodeOptions{Demo: demo})
		if err != nil || c.Credentials != CredentialsPractice || !strings.Contains(c.Code, "127.0.0.1") || !strings.Contains(c.Code, "2525") ||
			keys(c) != "export.no-listener export.login-added export.inbox" || !strings.Contains(c.Note.English, "-sandbox-smtp 127.0.0.1:2525") {
			t.Errorf("%s without a listener nor a login: %v %s, note %q:\n%s", f, err, c.Credentials, c.Note.English, c.Code)
		}
	}
}

// Code from the in-page sandbox goes to a sandbox listener on the README's
// address (never the page's, whose mailbox token names nothing there) with
// the plain practice login, whatever listener the options name; the note
// says so and the page's comment heads the code.
func TestCodeOfInPageSandbox(t *testing.T) {
	demo := &Login{Username: demoUser, Password: demoPass}
	const comment = "The practice server ran in the page: start a listener."
	keys := func(c Code) string {
		var k []string
		for _, p := range c.Note.Phrases {
			k = append(k, p.Key)
		}
		return strings.Join(k, " ")
	}
	for _, tc := range []struct {
		lines []string
		notes string
	}{
		{join(starttls, ehloReply, authSessions["plain-initial"].auth, messageLines), "export.in-page"},
		{join(starttls, ehloReply, messageLines), "export.in-page export.login-shared"},
	} {
		s := played(t, tc.lines...)
		for _, f := range export.Formats {
			c, err := CodeOf(f, s.Transcript(), sandboxOpened, nil, CodeOptions{InPage: true, Comment: comment, Demo: demo, Listener: &Listener{Host: "192.0.2.9", Port: 2626}})
			user := demoUser
			if f == export.FormatOpenSSL {
				user = EncodeBase64("\x00" + demoUser + "\x00" + demoPass)
			}
			if err != nil || c.Credentials != CredentialsPracticeShared || !strings.Contains(c.Code, "127.0.0.1") || !strings.Contains(c.Code, "2525") ||
				strings.Contains(c.Code, "192.0.2.9") || !strings.Contains(c.Code, user) || strings.Contains(c.Code, demoUser+"+") ||
				!strings.Contains(c.Code, comment) || keys(c) != tc.notes || !strings.Contains(c.Note.English, "-sandbox-smtp 127.0.0.1:2525") {
				t.Errorf("%s: %v %s, notes %s %q:\n%s", f, err, c.Credentials, keys(c), c.Note.English, c.Code)
			}
		}
	}
}

// What cannot be code says why, in a sentence.
func TestCodeOfErrors(t *testing.T) {
	plain := played(t, join([]string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example"}, ehloReply, messageLines)...)
	greeted := played(t, "S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example", "S: 250 sandbox.smtplay")
	for _, tc := range []struct {
		f    export.Format
		s    []string
		want error
	}{
		{"cobol", nil, ErrUnknownFormat},
		{export.FormatSwaks, nil, ErrNoMessage},
		{export.FormatOpenSSL, []string{"plain"}, ErrNoTLS},
	} {
		entries := greeted.Transcript()
		if tc.s != nil {
			entries = plain.Transcript()
		}
		if _, err := CodeOf(tc.f, entries, sandboxOpened, nil, CodeOptions{}); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.f, err, tc.want)
		}
	}
	if _, err := New(func(Event) {}, nil).ExportCode(export.FormatGo, CodeOptions{}); !errors.Is(err, ErrNothingToExport) {
		t.Errorf("before any session: %v", err)
	}
	if sh := New(func(Event) {}, nil).Share(true); sh.Script == nil || len(sh.Script) != 0 || sh.Replay != nil {
		t.Errorf("share before any session: %+v", sh)
	}
}
