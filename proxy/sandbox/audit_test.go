package sandbox

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// auditRow is one reply the sandbox can give: the client lines that provoke
// it on a fresh connection, the start of the reply's last line, and where
// the code is written. Step shorthands:
//
//	<greet>  EHLO; on sandbox-strict also STARTTLS and EHLO again
//	<login>  AUTH PLAIN with the practice login
//	<ready>  <greet>, then <login> on sandbox-strict
//	<mail>   <ready>, MAIL FROM:<a@example.org>, RCPT TO:<b@example.org>
//	<tls>    STARTTLS and the TLS handshake
//	<read>   read one more reply without sending
type auditRow struct {
	profiles string // "both", "sandbox" or "sandbox-strict"
	steps    []string
	want     string
	ref      string
}

// replyAudit lists every distinct reply of each profile. The practice
// faults are added from their table (faults.go). Not here, as they need a
// clock or a full store: 421 4.4.2 idle timeout (TestRewritesMatchGoSMTP),
// 421 4.3.2 shutdown (TestShutdown*), 452 4.3.1 store full (store_test.go),
// and drop@'s closed connection (faults_test.go).
var replyAudit = []auditRow{
	// Greeting and EHLO/HELO (RFC 5321 sections 4.1.1.1, 4.1.3, 4.1.4).
	{"both", []string{"EHLO client.example"}, "250 LIMITS RCPTMAX=2", "RFC 5321 4.1.1.1"},
	{"both", []string{"HELO client.example"}, "250 sandbox.smtplay Hello client.example", "RFC 5321 4.1.1.1"},
	{"both", []string{"EHLO [192.0.2.1]"}, "250 LIMITS RCPTMAX=2", "RFC 5321 4.1.3"},
	{"both", []string{"EHLO [IPv6:2001:db8::1]"}, "250 LIMITS RCPTMAX=2", "RFC 5321 4.1.3"},
	{"both", []string{"EHLO"}, "501 5.5.2 Syntax: EHLO your.domain", "RFC 5321 4.1.1.1; RFC 3463 X.5.2"},
	{"both", []string{"EHLO "}, "501 5.5.2 Syntax error: nothing follows the space", "RFC 5321 4.2.2 (501); RFC 3463 X.5.2"},
	{"sandbox", []string{"EHLO 91.198.212.5"}, "250 LIMITS RCPTMAX=2", "lenient: most servers accept a bare IP"},
	{"sandbox-strict", []string{"EHLO 91.198.212.5"}, "501 5.5.2 Helo command rejected: Invalid name", "RFC 5321 4.1.4, 4.1.3; Postfix"},
	{"sandbox-strict", []string{"HELO 91.198.212.5"}, "501 5.5.2 Helo command rejected: Invalid name", "RFC 5321 4.1.1.1; Postfix"},
	{"sandbox-strict", []string{"EHLO bad_name!"}, "501 5.5.2 Helo command rejected: Invalid name", "RFC 5321 4.1.2 (Domain); Postfix"},
	{"sandbox-strict", []string{"EHLO [91.198.212.5"}, "501 5.5.2 Helo command rejected: Invalid name", "RFC 5321 4.1.3"},

	// Sequence errors: 503 5.5.1 (RFC 5321 4.2.4 and 4.3.2; RFC 3463 X.5.1).
	{"both", []string{"MAIL FROM:<a@example.org>"}, "503 5.5.1 Bad sequence of commands: say EHLO", "RFC 5321 4.1.4, 4.3.2"},
	{"both", []string{"AUTH PLAIN"}, "503 5.5.1 Bad sequence of commands: say EHLO", "RFC 4954 4; RFC 5321 4.3.2"},
	{"both", []string{"<ready>", "RCPT TO:<b@example.org>"}, "503 5.5.1 Bad sequence of commands: MAIL FROM must come before RCPT TO", "RFC 5321 4.3.2"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "DATA"}, "503 5.5.1 Bad sequence of commands: first MAIL FROM", "RFC 5321 4.3.2"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "MAIL FROM:<a@example.org>"}, "503 5.5.1 Bad sequence of commands: a mail transaction is already open", "RFC 5321 4.1.4"},
	{"both", []string{"<ready>", "BDAT 0 LAST"}, "503 5.5.1 Bad sequence of commands: first MAIL FROM", "RFC 3030 2; RFC 5321 4.3.2"},
	{"both", []string{"<mail>", "BDAT 4\r\nab", "MAIL FROM:<a@example.org>"}, "503 5.5.1 Bad sequence of commands: finish the BDAT message", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT 4\r\nab", "RCPT TO:<c@example.org>"}, "503 5.5.1 Bad sequence of commands: finish the BDAT message", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT 4\r\nab", "DATA"}, "503 5.5.1 Bad sequence of commands: DATA cannot follow BDAT", "RFC 3030 2"},

	// MAIL (RFC 5321 4.1.1.2, 4.1.1.11; RFC 1870; RFC 3461; RFC 4954 5).
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>"}, "250 2.1.0 Sender OK", "RFC 5321 4.1.1.2; RFC 3463 X.1.0"},
	{"both", []string{"<ready>", "MAIL FROM:<>"}, "250 2.1.0 Sender OK", "RFC 5321 4.5.5"},
	{"both", []string{"<ready>", "MAIL FROM: <a@example.org>"}, "250 2.1.0 Sender OK", "accepted by Postfix by default"},
	{"sandbox", []string{"<ready>", "MAIL FROM: vasiapupkin@ya.ru"}, "250 2.1.0 Sender OK", "lenient, as go-smtp"},
	{"sandbox-strict", []string{"<ready>", "MAIL FROM: vasiapupkin@ya.ru"}, "501 5.1.7 Bad sender address syntax", "RFC 5321 4.1.2; RFC 3463 X.1.7; Postfix"},
	{"both", []string{"<ready>", "MAIL FROM a@example.org"}, "501 5.5.2 Was expecting MAIL arg syntax", "RFC 5321 4.1.1.2; RFC 3463 X.5.2"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> SIZE=x"}, "501 5.5.4 Unable to parse SIZE", "RFC 1870 6; RFC 3463 X.5.4"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> SIZE=1001"}, "552 5.3.4 Message too big", "RFC 1870 6; RFC 3463 X.3.4"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> FOO=1"}, "555 5.5.4 MAIL FROM parameter not recognized", "RFC 5321 4.1.1.11"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> BODY=BINARYMIME"}, "555 5.5.4 BODY=BINARYMIME not implemented", "RFC 5321 4.1.1.11; RFC 3030 3"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> BODY=9BIT"}, "501 5.5.4 Unknown BODY value", "RFC 6152 3"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> RET=ALL"}, "501 5.5.4 Unknown RET value", "RFC 3461 4.3"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> ENVID=+ZZ"}, "501 5.5.4 Malformed ENVID", "RFC 3461 4.4"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> AUTH=nobody"}, "501 5.5.4 Malformed AUTH= parameter", "RFC 4954 5"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org> SMTPUTF8"}, "250 2.1.0 Sender OK", "RFC 6531 3.4"},

	// RCPT (RFC 5321 4.1.1.3; RFC 3461 4.1, 4.2).
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>"}, "250 2.1.5 Recipient OK", "RFC 5321 4.1.1.3; RFC 3463 X.1.5"},
	{"sandbox", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO: billy@microsoft.com"}, "250 2.1.5 Recipient OK", "lenient, as go-smtp"},
	{"sandbox-strict", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO: billy@microsoft.com"}, "501 5.1.3 Bad recipient address syntax", "RFC 5321 4.1.2; RFC 3463 X.1.3; Postfix"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO b@example.org"}, "501 5.5.2 Was expecting RCPT arg syntax", "RFC 5321 4.1.1.3"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> FOO=1"}, "555 5.5.4 RCPT TO parameter not recognized", "RFC 5321 4.1.1.11"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> NOTIFY=SOMETIMES"}, "501 5.5.4 Malformed NOTIFY", "RFC 3461 4.1"},
	{"both", []string{"<ready>", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org> ORCPT=nonsense"}, "501 5.5.4 Malformed ORCPT", "RFC 3461 4.2"},
	{"both", []string{"<mail>", "RCPT TO:<c@example.org>", "RCPT TO:<d@example.org>"}, "452 4.5.3 Too many recipients", "RFC 5321 4.5.3.1.10; RFC 3463 X.5.3"},

	// DATA and BDAT (RFC 5321 4.1.1.4, 4.3.2, 4.5.3.1.10; RFC 3030).
	{"both", []string{"<mail>", "DATA"}, "354 Go ahead", "RFC 5321 4.1.1.4"},
	{"both", []string{"<mail>", "DATA", "Subject: x\r\n\r\nhi\r\n."}, "250 2.0.0 Ok: queued as ", "RFC 5321 4.1.1.4"},
	{"both", []string{"<mail>", "DATA now"}, "501 5.5.4 DATA command should not have any arguments", "RFC 5321 4.1.1.4"},
	{"both", []string{"<mail>", "DATA", "Subject: x\r\n\r\n" + strings.Repeat("0123456789", 110) + "\r\n."}, "500 5.5.2 Line too long", "RFC 5321 4.5.3.1.6, 4.5.3.1.10"},
	{"both", []string{"<mail>", "DATA", "Subject: x\r\n\r\n" + strings.Repeat("0123456789\r\n", 100) + "."}, "552 5.3.4 Message too big", "RFC 5321 4.5.3.1.10; RFC 1870"},
	{"both", []string{"<mail>", "BDAT 4\r\nab"}, "250 2.0.0 Continue", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT 4 LAST\r\nab"}, "250 2.0.0 Ok: queued as ", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT x"}, "501 5.5.4 Malformed size argument", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT"}, "501 5.5.4 Missing chunk size argument", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT 1 LAST x"}, "501 5.5.4 Too many arguments", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT 1 FIRST"}, "501 5.5.4 Unknown BDAT argument", "RFC 3030 2"},
	{"both", []string{"<mail>", "BDAT 2000 LAST"}, "552 5.3.4 Message too big", "RFC 3030 2; RFC 1870"},

	// AUTH (RFC 4954 4 and 6; sandbox: before STARTTLS, sandbox-strict: after).
	{"both", []string{"<greet>", "<login>"}, "235 2.7.0 Authentication successful", "RFC 4954 6; RFC 3463 X.7.0"},
	{"both", []string{"<greet>", "AUTH PLAIN " + b64("\x00student\x00wrong")}, "535 5.7.8 Authentication credentials invalid", "RFC 4954 6"},
	{"both", []string{"<greet>", "AUTH LOGIN", "c3R1ZGVudAo=", b64("practice")}, "535 5.7.8 Authentication credentials invalid: your username or password ends with a newline", "RFC 4954 6"},
	{"both", []string{"<greet>", "AUTH PLAIN !!!"}, "501 5.5.2 Cannot decode the response: it is not valid base64", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH LOGIN", "not base64!"}, "501 5.5.2 Cannot decode the response: it is not valid base64", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH PLAIN " + b64("student practice")}, "501 5.5.2 Cannot decode the AUTH PLAIN response", "RFC 4954 4; RFC 4616 2"},
	{"both", []string{"<greet>", "AUTH LOGIN"}, "334 VXNlcm5hbWU6", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH LOGIN", b64("student")}, "334 UGFzc3dvcmQ6", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH PLAIN"}, "334 ", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH LOGIN", "*"}, "501 5.7.0 Authentication aborted", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH CRAM-MD5"}, "504 5.5.4 Unrecognized authentication type", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH"}, "501 5.5.4 Syntax: AUTH mechanism", "RFC 5321 4.2.2 (501)"},
	{"both", []string{"<greet>", "<login>", "<login>"}, "503 5.5.1 Already authenticated", "RFC 4954 4"},
	{"sandbox", []string{"<greet>", "MAIL FROM:<a@example.org>", "<login>"}, "503 5.5.1 Bad sequence of commands: AUTH is not allowed during a mail transaction", "RFC 4954 4"},
	{"both", []string{"<greet>", "AUTH LOGIN", strings.Repeat("A", 13000)}, "500 5.5.6 Authentication Exchange line is too long", "RFC 4954 4, 6"},
	{"sandbox", []string{"EHLO client.example", "<login>"}, "235 2.7.0 Authentication successful", "lenient: AUTH before STARTTLS"},
	{"sandbox-strict", []string{"EHLO client.example", "<login>"}, "530 5.7.0 Must issue a STARTTLS command first", "RFC 3207 4; RFC 3463 X.7.0"},
	{"sandbox-strict", []string{"EHLO client.example", "AUTH LOGIN"}, "530 5.7.0 Must issue a STARTTLS command first", "RFC 3207 4"},
	{"sandbox-strict", []string{"EHLO client.example", "MAIL FROM:<a@example.org>"}, "530 5.7.0 Must issue a STARTTLS command first", "RFC 3207 4"},
	{"sandbox-strict", []string{"<greet>", "MAIL FROM:<a@example.org>"}, "530 5.7.0 Authentication required", "RFC 4954 6"},
	{"sandbox", []string{"EHLO client.example", "MAIL FROM:<a@example.org>"}, "250 2.1.0 Sender OK", "lenient: mail without AUTH"},

	// STARTTLS (RFC 3207 4).
	{"both", []string{"EHLO client.example", "STARTTLS"}, "220 2.0.0 Ready to start TLS", "RFC 3207 4"},
	{"both", []string{"STARTTLS now"}, "501 5.5.4 Syntax: STARTTLS takes no parameters", "RFC 3207 4"},
	{"both", []string{"<tls>", "STARTTLS"}, "503 5.5.1 TLS is already active", "RFC 5321 4.2.4 (503); RFC 3207 names none"},
	{"both", []string{"<tls>", "MAIL FROM:<a@example.org>"}, "503 5.5.1 Bad sequence of commands: say EHLO", "RFC 3207 4.2 (state reset)"},

	// Other commands (RFC 5321 4.1.1.5-4.1.1.10, 4.2.4).
	{"both", []string{"RSET"}, "250 2.0.0 Session reset", "RFC 5321 4.1.1.5"},
	{"both", []string{"NOOP"}, "250 2.0.0 I have successfully done nothing", "RFC 5321 4.1.1.9"},
	{"both", []string{"VRFY student"}, "252 2.5.0 Cannot VRFY user", "RFC 5321 3.5.3"},
	{"both", []string{"VRFY"}, "501 5.5.4 Syntax: VRFY address", "RFC 5321 4.1.1.6, 4.3.2"},
	{"both", []string{"EXPN staff"}, "502 5.5.1 EXPN command not implemented", "RFC 5321 4.2.4"},
	{"both", []string{"TURN"}, "502 5.5.1 TURN command not implemented", "RFC 5321 4.2.4"},
	{"both", []string{"HELP"}, "214 2.0.0 ", "RFC 5321 4.1.1.8"},
	{"both", []string{"HELP faults"}, "214 2.0.0 ", "RFC 5321 4.1.1.8"},
	{"both", []string{"HELP nonesuch"}, "504 5.5.4 No help on nonesuch", "RFC 5321 4.1.1.8"},
	{"both", []string{"QUIT"}, "221 2.0.0 Bye", "RFC 5321 4.1.1.10"},
	{"both", []string{"FROB"}, "500 5.5.2 Command not recognised", "RFC 5321 4.2.4; RFC 3463 X.5.2"},
	{"both", []string{""}, "500 5.5.2 Empty line", "RFC 5321 4.2.4"},
	{"both", []string{"NOOP " + strings.Repeat("x", 600)}, "500 5.5.2 Line too long", "RFC 5321 4.5.3.1.4, 4.5.3.1.10"},
	{"both", []string{"NOOP ", "NOOP ", "NOOP ", "NOOP ", "<read>"}, "421 4.7.0 sandbox.smtplay Too many errors", "RFC 5321 3.8 (421 on closing)"},
	{"both", []string{"NOOP\nNOOP"}, "500 5.5.2 Bare LF received", "RFC 5321 2.3.8"},
	{"both", []string{"NOOP\rNOOP"}, "500 5.5.2 Bare CR received", "RFC 5321 2.3.8"},
}

// faultRows are the practice faults' replies, as audit rows.
func faultRows() []auditRow {
	var rows []auditRow
	for _, f := range faults {
		if f.drop {
			continue
		}
		steps := []string{"<mail>", "RCPT TO:<" + f.local + "@example.org>"}
		if f.stage == atData {
			steps = append(steps, "DATA", "Subject: x\r\n\r\nhi\r\n.")
		}
		rows = append(rows, auditRow{"both", steps, f.reply("x@example.org")[:9], "RFC 5321 4.2.2, 4.3.2; practice fault " + f.local + "@"})
	}
	return rows
}

// allowedCodes are the reply codes each command may get: RFC 5321 section
// 4.3.2 (and, for any command, 500, 501, 421), RFC 4954 section 4 for AUTH,
// RFC 3207 section 4 for STARTTLS, RFC 3030 for BDAT. "." is the end of
// DATA. 530 is RFC 3207's and RFC 4954's refusal of MAIL and AUTH.
var allowedCodes = map[string][]int{
	"EHLO":     {250, 504, 550, 502},
	"HELO":     {250, 504, 550, 502},
	"MAIL":     {250, 552, 451, 452, 550, 553, 503, 455, 555, 530},
	"RCPT":     {250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555},
	"DATA":     {354, 503, 554},
	".":        {250, 552, 554, 451, 452, 450, 550},
	"BDAT":     {250, 552, 554, 451, 452, 450, 550, 503},
	"RSET":     {250},
	"VRFY":     {250, 251, 252, 550, 551, 553, 502, 504},
	"EXPN":     {250, 252, 550, 500, 502, 504},
	"TURN":     {502},
	"HELP":     {211, 214, 502, 504},
	"NOOP":     {250},
	"QUIT":     {221},
	"AUTH":     {235, 334, 432, 454, 503, 504, 530, 534, 535, 538},
	"AUTH-334": {235, 334, 454, 535, 534, 538}, // the answer to a 334 prompt
	// RFC 3207 names 220, 501 and 454; the sandbox answers STARTTLS under
	// TLS with 503, bad sequence (RFC 5321 section 4.2.4).
	"STARTTLS": {220, 454, 503},
	"":         {}, // unknown commands, empty lines: 500 only
}

// ianaEnhanced are the subject.detail codes of the IANA SMTP Enhanced
// Status Codes registry (RFC 3463, RFC 4954, RFC 3030) the sandbox uses.
var ianaEnhanced = []string{
	"0.0", "1.0", "1.1", "1.3", "1.5", "1.6", "1.7", "2.1", "2.2", "3.0", "3.1", "3.2",
	"3.4", "4.2", "5.0", "5.1", "5.2", "5.3", "5.4", "5.6", "7.0", "7.1", "7.8",
}

var enhancedRE = regexp.MustCompile(`^([245])\.(\d{1,3}\.\d{1,3}) `)

// TestReplyAudit runs every row of replyAudit and faultRows on a real
// loopback TCP connection to each profile it names, checks the reply, and
// checks that its code is one the RFCs allow for the command and its
// enhanced code is registered with the class of the reply code.
func TestReplyAudit(t *testing.T) {
	s := newTestSandbox(t, Config{MaxRecipients: 2, MaxMessageBytes: 1000})
	addrs := map[string]string{}
	for _, p := range []string{"sandbox", "sandbox-strict"} {
		addrs[p] = serveTCPForTest(t, s, p)
	}
	for i, row := range append(slices.Clone(replyAudit), faultRows()...) {
		for _, p := range []string{"sandbox", "sandbox-strict"} {
			if row.profiles != "both" && row.profiles != p {
				continue
			}
			t.Run(fmt.Sprintf("%02d-%s-%s", i, p, strings.Join(row.steps, "|")), func(t *testing.T) {
				c := dialTCP(t, addrs[p])
				verb, got := c.runSteps(s, p, row.steps)
				last := got[len(got)-1]
				if !strings.HasPrefix(last, row.want) {
					t.Fatalf("got %q, want %q (%s)", got, row.want, row.ref)
				}
				checkReplyCode(t, verb, last)
			})
		}
	}
}

// checkReplyCode checks line against allowedCodes and ianaEnhanced.
func checkReplyCode(t *testing.T, verb, line string) {
	t.Helper()
	code, _ := strconv.Atoi(line[:3])
	if code != 500 && code != 501 && code != 421 && !slices.Contains(allowedCodes[verb], code) {
		t.Errorf("%s: code %d is not one RFC 5321 4.3.2 (or the extension) allows", verb, code)
	}
	if line[0] == '3' || strings.HasPrefix(line, "220 ") || strings.HasPrefix(line, "250 LIMITS RCPTMAX=2") ||
		strings.HasPrefix(line, "250 sandbox.smtplay Hello") {
		return // 3xx, the STARTTLS-less greeting and EHLO/HELO's own lines carry none
	}
	m := enhancedRE.FindStringSubmatch(line[4:])
	switch {
	case m == nil:
		t.Errorf("%q has no enhanced status code (RFC 2034 section 3)", line)
	case m[1][0] != line[0]:
		t.Errorf("%q: enhanced class %s differs from the reply code's (RFC 3463 section 2)", line, m[1])
	case !slices.Contains(ianaEnhanced, m[2]):
		t.Errorf("%q: X.%s is not in the IANA registry", line, m[2])
	}
}

// serveTCPForTest serves profile p on a loopback port until the test ends.
func serveTCPForTest(t *testing.T, s *Sandbox, p string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := s.ServeTCP(ctx, l, p); err != nil {
		t.Fatal(err)
	}
	return l.Addr().String()
}

// dialTCP connects to addr and reads the greeting.
func dialTCP(t *testing.T, addr string) *client {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, conn)
	c.expect("220 sandbox.smtplay ESMTP")
	return c
}

// runSteps runs row steps on profile p and returns the verb of the last
// command sent and the last reply.
func (c *client) runSteps(s *Sandbox, p string, steps []string) (verb string, got []string) {
	c.t.Helper()
	strict := p == "sandbox-strict"
	login := "AUTH PLAIN " + b64("\x00student\x00practice")
	for _, st := range steps {
		switch st {
		case "<greet>", "<ready>", "<mail>":
			c.do("EHLO client.example", "250 ")
			if strict {
				c.startTLS(s, p)
				c.do("EHLO client.example", "250 ")
			}
			if st != "<greet>" && strict {
				c.do(login, "235 ")
			}
			if st == "<mail>" {
				c.do("MAIL FROM:<a@example.org>", "250 ")
				c.do("RCPT TO:<b@example.org>", "250 ")
			}
			continue
		case "<tls>":
			c.startTLS(s, p)
			continue
		case "<read>":
			got = c.reply()
			continue
		case "<login>":
			st = login
		}
		first, _, _ := strings.Cut(st, "\r\n")
		switch v, _, _ := strings.Cut(first, " "); {
		case verb == "DATA" && strings.HasPrefix(got[0], "354"):
			verb = "."
		case verb == "AUTH" && strings.HasPrefix(got[0], "334"), verb == "AUTH-334" && strings.HasPrefix(got[0], "334"):
			verb = "AUTH-334"
		case strings.ContainsAny(first, "\r\n"):
			verb = "" // bare CR or LF
		default:
			verb = strings.ToUpper(v)
			if _, ok := allowedCodes[verb]; !ok {
				verb = ""
			}
		}
		got = c.cmd(st)
	}
	return verb, got
}
