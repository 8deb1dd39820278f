package sandbox

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// rewriteTriggers holds, for each rewriteTable entry, client lines after
// which go-smtp writes the entry's from line. Lines are sent one at a time,
// each followed by reading one reply; "BDAT 3\r\nx" sends the chunk "x\r\n".
var rewriteTriggers = map[string][]string{
	"502 5.5.1 Please introduce yourself first.":          {"MAIL FROM:<a@example.org>"},
	"502 5.5.1 Missing MAIL FROM command.":                {"EHLO x.example", "RCPT TO:<a@example.org>"},
	"502 5.5.1 Missing RCPT TO command.":                  {"EHLO x.example", "DATA"},
	"502 5.5.1 MAIL not allowed during message transfer":  {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "BDAT 3\r\nx", "MAIL FROM:<a@example.org>"},
	"502 5.5.1 RCPT not allowed during message transfer":  {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "BDAT 3\r\nx", "RCPT TO:<b@example.org>"},
	"502 5.5.1 DATA not allowed during message transfer":  {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "BDAT 3\r\nx", "DATA"},
	"502 5.5.4 Missing parameter":                         {"EHLO x.example", "AUTH"},
	"501 5.5.2 Domain/address argument required for HELO": {"EHLO"},
	"250-Hello ":                                          {"EHLO x.example"},
	"250 2.0.0 Hello ":                                    {"HELO x.example"},
	"250 2.0.0 Roger, accepting mail from ":               {"EHLO x.example", "MAIL FROM:<a@example.org>"},
	"250 2.0.0 I'll make sure ":                           {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>"},
	"252 2.5.0 Cannot VRFY user, but will accept message": {"VRFY a@example.org"},
	"552 5.3.4 Max message size exceeded":                 {"EHLO x.example", "MAIL FROM:<a@example.org> SIZE=1000000"},
	"452 4.5.3 Maximum limit of 2 recipients reached":     {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "RCPT TO:<c@example.org>", "RCPT TO:<d@example.org>"},
	"421 4.4.2 Idle timeout, bye bye":                     {"(wait)"},
	"454 4.7.0 Invalid base64 data":                       {"EHLO x.example", "AUTH PLAIN !!!"},
	"235 2.0.0 Authentication succeeded":                  {"EHLO x.example", "AUTH PLAIN " + b64("\x00student\x00practice")},
	"501 5.0.0 Negotiation cancelled":                     {"EHLO x.example", "AUTH PLAIN", "*"},
	"500 5.5.4 Unknown MAIL FROM argument":                {"EHLO x.example", "MAIL FROM:<a@example.org> FOO=1"},
	"500 5.5.4 Unknown RCPT TO argument":                  {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> FOO=1"},
	"504 5.5.4 REQUIRETLS is not implemented":             {"EHLO x.example", "MAIL FROM:<a@example.org> REQUIRETLS"},
	"504 5.5.4 BINARYMIME is not implemented":             {"EHLO x.example", "MAIL FROM:<a@example.org> BODY=BINARYMIME"},
	"504 5.5.4 RRVS is not implemented":                   {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> RRVS=2030-01-01T00:00:00Z"},
	"504 5.5.4 DELIVERBY is not implemented":              {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> BY=120;R"},
	"504 5.5.4 MT-PRIORITY is not implemented":            {"EHLO x.example", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> MT-PRIORITY=3"},
	"500 5.5.4 Malformed AUTH parameter value":            {"EHLO x.example", "MAIL FROM:<a@example.org> AUTH=+ZZ"},
	"500 5.5.4 Malformed AUTH parameter mailbox":          {"EHLO x.example", "MAIL FROM:<a@example.org> AUTH=nobody"},
	"501 5.5.2 Bad command":                               {"NOOP "},
	"500 5.5.1 Too many errors. Quiting now":              {"NOOP ", "NOOP ", "NOOP ", "NOOP ", "(wait)"},
}

var rewriteTestConfig = withDefaults(Config{MaxRecipients: 2, MaxMessageBytes: 1000})

// plainBackend accepts everything: a go-smtp server as it comes.
type plainBackend struct{}

func (plainBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return plainSession{}, nil }

type plainSession struct{}

func (plainSession) Reset()                               {}
func (plainSession) Logout() error                        { return nil }
func (plainSession) Mail(string, *smtp.MailOptions) error { return nil }
func (plainSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (plainSession) Data(r io.Reader) error               { _, err := io.ReadAll(r); return err }

// AuthMechanisms and Auth accept any PLAIN login.
func (plainSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (plainSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(string, string, string) error { return nil }), nil
}

// runScript runs lines on conn and returns every line received.
func runScript(t *testing.T, conn net.Conn, lines []string) []string {
	t.Helper()
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	var got []string
	readReply := func() {
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			l = strings.TrimSuffix(l, "\r\n")
			got = append(got, l)
			if len(l) < 4 || l[3] != '-' {
				return
			}
		}
	}
	readReply() // greeting
	for _, l := range lines {
		if l != "(wait)" {
			io.WriteString(conn, l+"\r\n")
		}
		readReply()
	}
	return got
}

// TestRewritesMatchGoSMTP proves each line the sandbox rewrites is still
// what go-smtp writes (it fails if an upgrade changes one), and that the
// sandbox sends the rewritten line instead.
func TestRewritesMatchGoSMTP(t *testing.T) {
	cfg := rewriteTestConfig
	srv := smtp.NewServer(plainBackend{})
	srv.MaxRecipients = cfg.MaxRecipients
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.ReadTimeout = 100 * time.Millisecond
	srv.AllowInsecureAuth = true
	srv.ErrorLog = errorLog{cfg.Logger}
	ln := newPipeListener()
	go srv.Serve(ln)
	defer srv.Close()

	s := newTestSandbox(t, cfg)
	s.srv.ReadTimeout = 100 * time.Millisecond // before any connection exists

	for _, rw := range rewriteTable(cfg) {
		script, ok := rewriteTriggers[rw.from]
		if !ok {
			t.Errorf("no trigger for rewrite %q", rw.from)
			continue
		}
		matches := func(lines []string, want string) bool {
			for _, l := range lines {
				if l == want || rw.prefix && strings.HasPrefix(l, want) {
					return true
				}
			}
			return false
		}

		client, server := net.Pipe()
		if err := ln.push(server); err != nil {
			t.Fatal(err)
		}
		if got := runScript(t, client, script); !matches(got, rw.from) {
			t.Errorf("go-smtp no longer writes %q after %q; it wrote %q", rw.from, script, got)
		}

		conn, _, err := s.Connect("sandbox", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		got := runScript(t, conn, script)
		if !matches(got, rw.to) || matches(got, rw.from) {
			t.Errorf("the sandbox wrote %q after %q, want %q", got, script, rw.to)
		}
	}
}
