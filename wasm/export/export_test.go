package export

import (
	"errors"
	"flag"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the generators")

// seedSession is the first seed's session (AUTH LOGIN, a UTF-8 body) made
// against the sandbox with STARTTLS, with text that tests every quoting: a
// subject with both quotes, $ and a backslash, a body line starting with
// "." (dot-stuffed on the wire) and Polish letters.
func seedSession() Session {
	return Session{
		Host: "127.0.0.1", Port: 2525, Sandbox: true, TLS: TLSStartTLS, EHLO: "smtp.gmail.com",
		Auth: AuthLogin, Username: "student",
		From: "gorniksmtp@gmail.com", To: []string{"gorniksmtp@gmail.com"},
		Data: []string{
			`Subject: "TEST SMTP" it's $5 \ 100%`,
			"To: <gorniksmtp@gmail.com>",
			"Content-type: text/plain; charset=utf-8",
			"",
			"Witaj, właśnie przeprowadzam test SMTP.",
			"..kropka na początku",
			"\tend",
		},
	}
}

// cases are the sessions the golden files show.
var cases = map[string]func() Session{
	"seed": seedSession,
	// A real submission server: verified TLS, AUTH PLAIN with a revealed
	// password that needs quoting, two recipients.
	"plain-revealed": func() Session {
		s := seedSession()
		s.Host, s.Port, s.Sandbox, s.EHLO = "smtp.example.org", 587, false, "client.example.org"
		s.Auth, s.Username, s.Password = AuthPlain, "gorniksmtp@example.org", `pa'ss"$word`
		s.To = []string{"a@example.org", "b@example.org"}
		return s
	},
	// SMTPS on port 465, the password not revealed.
	"implicit": func() Session {
		s := seedSession()
		s.Host, s.Port, s.Sandbox, s.TLS = "smtp.example.org", 465, false, TLSImplicit
		s.Auth = AuthPlain
		return s
	},
	// The sandbox without TLS nor AUTH: a first e-mail.
	"plain-sandbox": func() Session {
		return Session{Host: "127.0.0.1", Port: 2525, Sandbox: true, EHLO: "localhost",
			From: "me@example.org", To: []string{"friend@example.org"},
			Data: []string{"Subject: hello", "", "Hi!"}}
	},
}

// Every generator's exact output for every case, against testdata/*.golden
// (go test -run Golden -update rewrites them).
func TestExportGolden(t *testing.T) {
	for name, mk := range cases {
		for _, f := range Formats {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				got, err := Generate(f, mk())
				if errors.Is(err, ErrNeedsTLS) && f == FormatOpenSSL && mk().tlsMode() == TLSNone {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", name+"."+string(f)+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("%s differs from %s:\n%s", f, path, got)
				}
			})
		}
	}
}

// The Go export is what gofmt would write, and imports only what it uses
// (it compiles: proxy's TestExport runs it).
func TestExportGoIsGofmted(t *testing.T) {
	for name, mk := range cases {
		src, err := Go(mk())
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, src)
		}
		if string(formatted) != src {
			t.Errorf("%s: not gofmt-formatted:\n%s", name, src)
		}
	}
}

// Credentials appear only when revealed, and only the sandbox goes
// unverified.
func TestExportSecretsAndVerification(t *testing.T) {
	unverified := map[Format]string{
		FormatSwaks: "--tls-verify", FormatPHP: "'verify_peer' => false", FormatPython: "CERT_NONE",
		FormatGo: "InsecureSkipVerify", FormatOpenSSL: "-verify_return_error",
	}
	for name, mk := range cases {
		s := mk()
		for _, f := range Formats {
			out, err := Generate(f, s)
			if err != nil {
				continue
			}
			if s.Auth != AuthNone && s.Password == "" && !strings.Contains(out, PasswordEnv) {
				t.Errorf("%s/%s: the unrevealed password is not read from %s", name, f, PasswordEnv)
			}
			if s.Password != "" && f != FormatOpenSSL && !strings.Contains(out, "word") {
				t.Errorf("%s/%s: the revealed password is missing", name, f)
			}
			marker := unverified[f]
			// swaks and openssl name the flag that verifies; the others
			// the setting that does not.
			verifies := f == FormatSwaks || f == FormatOpenSSL
			has := strings.Contains(out, marker)
			if s.tlsMode() != TLSNone && (has == verifies) == s.Sandbox {
				t.Errorf("%s/%s: sandbox=%v but %q present=%v", name, f, s.Sandbox, marker, has)
			}
		}
	}
}

func TestExportValidate(t *testing.T) {
	ok := seedSession()
	for _, tc := range []struct {
		name string
		edit func(*Session)
		want error
	}{
		{"ok", func(*Session) {}, nil},
		{"no host", func(s *Session) { s.Host = "" }, ErrNoHost},
		{"port", func(s *Session) { s.Port = 0 }, ErrPort},
		{"tls", func(s *Session) { s.TLS = "ssl" }, ErrTLSMode},
		{"mechanism", func(s *Session) { s.Auth = "CRAM-MD5" }, ErrMechanism},
		{"user", func(s *Session) { s.Username = "" }, ErrNoUsername},
		{"to", func(s *Session) { s.To = nil }, ErrNoRecipient},
		{"crlf in data", func(s *Session) { s.Data = []string{"a\r\nQUIT"} }, ErrLineBreak},
		{"lf in rcpt", func(s *Session) { s.To = []string{"a@b\nDATA"} }, ErrLineBreak},
	} {
		s := ok
		s.To = append([]string(nil), ok.To...)
		tc.edit(&s)
		if err := s.Validate(); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		for _, f := range Formats {
			if _, err := Generate(f, s); tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("%s/%s: %v, want %v", tc.name, f, err, tc.want)
			}
		}
	}
	if _, err := OpenSSL(cases["plain-sandbox"]()); !errors.Is(err, ErrNeedsTLS) {
		t.Errorf("openssl without TLS: %v", err)
	}
	if _, err := Generate("perl", ok); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestExportMessageUnstuffs(t *testing.T) {
	s := Session{Data: []string{"..a", "b.", ".", "...", ""}}
	got := strings.Join(s.Message(), "|")
	if want := ".a|b.||..|"; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

// quoteSamples are strings every quoting must carry unchanged.
var quoteSamples = []string{
	"", "plain", `it's "quoted"`, `$HOME ${x} $(id) ` + "`id`", `back\slash \n \0 \x41 \u0041 {$x}`,
	"tab\there", "ctl\x01\x7f", "Zażółć gęślą jaźń", "line\u2028sep", "emoji 📨", "?> <?php",
	"'", "''", `\`, "%DATE%",
}

// Each quoting, read back by its language, gives the strings again (one
// process per language, the strings separated by NUL).
func TestExportQuotingRoundTrip(t *testing.T) {
	langs := []struct {
		tool  string
		quote func(string) string
		prog  func(lits string) []string
	}{
		{"sh", shQuote, func(lits string) []string { return []string{"-c", `printf '%s\0' ` + lits} }},
		{"python3", pyQuote, func(lits string) []string {
			return []string{"-c", "import sys\nfor s in [" + lits + "]: sys.stdout.buffer.write(s.encode('utf-8', 'surrogatepass') + b'\\0')"}
		}},
		{"php", phpQuote, func(lits string) []string { return []string{"-r", "foreach ([" + lits + "] as $s) echo $s, \"\\0\";"} }},
	}
	want := strings.Join(quoteSamples, "\x00") + "\x00"
	for _, l := range langs {
		if _, err := exec.LookPath(l.tool); err != nil {
			t.Logf("%s is not installed: its quoting is checked by the golden files only", l.tool)
			continue
		}
		lits := make([]string, len(quoteSamples))
		for i, s := range quoteSamples {
			lits[i] = l.quote(s)
		}
		sep := ", "
		if l.tool == "sh" {
			sep = " "
		}
		out, err := exec.Command(l.tool, l.prog(strings.Join(lits, sep))...).Output()
		if err != nil || string(out) != want {
			got := strings.Split(string(out), "\x00")
			for i, s := range quoteSamples {
				if i >= len(got) || got[i] != s {
					t.Errorf("%s: %q quoted as %s does not read back (%v): %q", l.tool, s, lits[i], err, out)
					break
				}
			}
		}
	}
}

// A Session's Comment heads the code of every format as comment lines no
// wider than commentWidth, in the format's own comment syntax and after
// what must come first (PHP's "<?php", Python's "#!"); "?>" cannot end
// the PHP code from inside the comment; the Go program stays gofmt-formatted.
func TestExportComment(t *testing.T) {
	s := seedSession()
	s.Comment = "Zażółć: this code goes to a listener at 127.0.0.1:2525 instead ?> of the page's " +
		strings.Repeat("word ", 30) + "end https://a-very-long-address.example/" + strings.Repeat("x", 80) +
		"\n    ./bin/smtplay -sandbox-smtp 127.0.0.1:2525\nLast."
	prefix := map[Format]string{FormatSwaks: "# ", FormatPHP: "// ", FormatPython: "# ", FormatGo: "// ", FormatOpenSSL: "# "}
	after := map[Format]int{FormatSwaks: 1, FormatPHP: 2, FormatPython: 1, FormatGo: 3, FormatOpenSSL: 1}
	for _, f := range Formats {
		code, err := Generate(f, s)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		lines := strings.Split(code, "\n")
		want := s.commentLines(prefix[f])
		if len(want) < 4 {
			t.Fatalf("the comment was not wrapped: %q", want)
		}
		var text []string
		if cmd := prefix[f] + "    ./bin/smtplay -sandbox-smtp 127.0.0.1:2525\n" + prefix[f] + "Last.\n"; !strings.Contains(code, cmd) {
			t.Errorf("%s: the comment's own lines are not kept:\n%s", f, code)
		}
		for i, l := range lines[after[f] : after[f]+len(want)] {
			if !strings.HasPrefix(l, prefix[f]) || (len([]rune(l)) > len(prefix[f])+commentWidth && !strings.Contains(l, "https://")) {
				t.Fatalf("%s: comment line %d is %q:\n%s", f, i, l, code)
			}
			text = append(text, strings.TrimPrefix(l, prefix[f]))
		}
		got := strings.Join(strings.Fields(strings.Join(text, " ")), " ")
		if f == FormatPHP {
			got = strings.ReplaceAll(got, "? >", "?>")
			if strings.Contains(code, "?>") {
				t.Errorf("php: the code holds ?>:\n%s", code)
			}
		}
		if got != strings.Join(strings.Fields(s.Comment), " ") {
			t.Errorf("%s: the comment reads %q", f, got)
		}
	}
	src, _ := Go(s)
	if formatted, err := format.Source([]byte(src)); err != nil || string(formatted) != src {
		t.Errorf("go: not gofmt-formatted (%v):\n%s", err, src)
	}
	s.Comment = ""
	for _, f := range Formats {
		if code, _ := Generate(f, s); strings.Contains(code, "Zażółć") || strings.Contains(code, "package main\n\n\n") {
			t.Errorf("%s without a comment:\n%s", f, code)
		}
	}
}
