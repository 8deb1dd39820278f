package explain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// refRE is the shape every RFC reference must have.
var refRE = regexp.MustCompile(`^(RFC \d{3,4}( (§\d+(\.\d+)*|Appendix [A-Z](\.\d+)?))?(; )?)+$|^draft-[a-z0-9-]+$|^IANA [A-Za-z ]+ registry$`)

func checkEntry(t *testing.T, where string, e Entry) {
	t.Helper()
	if e.Key == "" || e.Title == "" || e.Text == "" {
		t.Errorf("%s: incomplete entry %+v", where, e)
	}
	if !refRE.MatchString(e.RFC) {
		t.Errorf("%s: RFC reference %q is not of the form \"RFC 5321 §4.2.3\"", where, e.RFC)
	}
	if len(e.Text) > 400 {
		t.Errorf("%s: text is %d characters; keep explanations short", where, len(e.Text))
	}
}

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		verb, key, rfc, contains string
	}{
		{"mail", "MAIL", "RFC 5321 §4.1.1.2", "envelope sender"},
		{"RCPT", "RCPT", "RFC 5321 §4.1.1.3", "recipient"},
		{"EHLO", "EHLO", "RFC 5321 §4.1.1.1", "extensions"},
		{"data", "DATA", "RFC 5321 §4.1.1.4", "single dot"},
		{"StartTLS", "STARTTLS", "RFC 3207 §4", "EHLO again"},
		{"AUTH", "AUTH", "RFC 4954 §4", "base64"},
		{"BDAT", "BDAT", "RFC 3030 §2", "use DATA"},
		{"QUIT", "QUIT", "RFC 5321 §4.1.1.10", "221"},
		{"XYZZY", "XYZZY", "RFC 5321 §4.1.5", "private"},
	} {
		e, ok := Command(tc.verb)
		if !ok || e.Key != tc.key || e.RFC != tc.rfc || !strings.Contains(e.Text, tc.contains) {
			t.Errorf("Command(%q) = %+v, %v", tc.verb, e, ok)
		}
	}
	for _, v := range []string{"SUBJECT:", "FROM:", "", "X"} {
		if _, ok := Command(v); ok {
			t.Errorf("Command(%q) found; header names and junk are not commands", v)
		}
	}
	for _, row := range commands {
		e, _ := Command(row.Key)
		checkEntry(t, "command "+row.Key, e)
	}
}

// seedReplyCodes are the codes of the first seed's table plus every code of
// RFC 5321 §4.2.3 and those SMTP AUTH and RFC 7504 add.
var seedReplyCodes = []int{
	211, 214, 220, 221, 235, 250, 251, 252, 334, 354,
	421, 450, 451, 452, 455,
	500, 501, 502, 503, 504, 521, 530, 534, 535, 538,
	550, 551, 552, 553, 554, 555, 556,
}

func TestReplyCodesCovered(t *testing.T) {
	for _, c := range seedReplyCodes {
		e, ok := Reply(c)
		if !ok {
			t.Errorf("reply code %d is not explained", c)
			continue
		}
		checkEntry(t, fmt.Sprint("reply ", c), e)
	}
	for _, row := range replies {
		c, _ := strconv.Atoi(row.Key)
		e, _ := Reply(c)
		checkEntry(t, fmt.Sprint("reply ", c), e)
	}
}

func TestReplies(t *testing.T) {
	for _, tc := range []struct {
		code     int
		title    string
		contains string
	}{
		{220, "Service ready", "EHLO"},
		{250, "Requested mail action okay, completed", "EHLO"},
		{334, "Server challenge (AUTH continuation)", "Username:"},
		{354, "Start mail input; end with <CRLF>.<CRLF>", "single dot"},
		{503, "Bad sequence of commands", "RCPT before MAIL"},
		{504, "Command parameter not implemented", "501"},
		{535, "Authentication credentials invalid", "password"},
	} {
		e, ok := Reply(tc.code)
		if !ok || e.Title != tc.title || !strings.Contains(e.Text, tc.contains) {
			t.Errorf("Reply(%d) = %+v", tc.code, e)
		}
	}
	if e, ok := Reply(299); ok || e.Key != "299" {
		t.Errorf("Reply(299) = %+v, %v; want unknown", e, ok)
	}
}

func TestReplyDigits(t *testing.T) {
	for d := 1; d <= 5; d++ {
		e, ok := ReplyClass(d)
		if !ok {
			t.Fatalf("class %d missing", d)
		}
		checkEntry(t, e.Key, e)
	}
	for d := 0; d <= 5; d++ {
		e, ok := ReplyCategory(d)
		if !ok {
			t.Fatalf("category %d missing", d)
		}
		checkEntry(t, e.Key, e)
	}
	for _, tc := range []struct {
		e        Entry
		key      string
		contains string
	}{
		{must(ReplyClass(4)), "4yz", "temporary"},
		{must(ReplyClass(5)), "5yz", "will fail again"},
		{must(ReplyCategory(0)), "x0z", "syntax"},
		{must(ReplyCategory(1)), "x1z", "information"},
		{must(ReplyCategory(2)), "x2z", "connections"},
		{must(ReplyCategory(5)), "x5z", "mail system"},
	} {
		if tc.e.Key != tc.key || !strings.Contains(tc.e.Text, tc.contains) {
			t.Errorf("%s = %+v", tc.key, tc.e)
		}
	}
	for _, d := range []int{-1, 0, 6} {
		if _, ok := ReplyClass(d); ok {
			t.Errorf("ReplyClass(%d) ok", d)
		}
	}
	if _, ok := ReplyCategory(6); ok {
		t.Error("ReplyCategory(6) ok")
	}
}

func must(e Entry, ok bool) Entry {
	if !ok {
		panic("missing " + e.Key)
	}
	return e
}

// rfc3463 lists every subject.detail enumerated in RFC 3463 §3.
var rfc3463 = map[int]int{0: 0, 1: 8, 2: 4, 3: 5, 4: 7, 5: 5, 6: 5, 7: 7}

// ianaAdditions lists the codes the IANA registry added after RFC 3463.
var ianaAdditions = []string{
	"1.9", "1.10", "3.6", "5.6", "6.6", "6.7", "6.8", "6.9", "6.10",
	"7.8", "7.9", "7.10", "7.11", "7.12", "7.13", "7.14", "7.15", "7.16", "7.17",
	"7.18", "7.19", "7.20", "7.21", "7.22", "7.23", "7.24", "7.25", "7.26",
	"7.27", "7.28", "7.29", "7.30",
}

func TestEnhancedCovered(t *testing.T) {
	want := map[string]bool{}
	for s, last := range rfc3463 {
		for d := 0; d <= last; d++ {
			want[fmt.Sprintf("%d.%d", s, d)] = true
		}
	}
	for _, k := range ianaAdditions {
		want[k] = true
	}
	for k := range want {
		for _, class := range []string{"2", "4", "5"} {
			e, ok := Enhanced(class + "." + k)
			if !ok {
				t.Errorf("%s.%s is not explained", class, k)
				continue
			}
			checkEntry(t, e.Key, e)
		}
	}
	for _, row := range enhanced {
		if !want[row.Key] {
			t.Errorf("table has X.%s, which the test does not list", row.Key)
		}
	}
}

func TestEnhanced(t *testing.T) {
	for _, tc := range []struct {
		code, title, rfc, contains string
		ok                         bool
	}{
		{"5.7.8", "Authentication credentials invalid", "RFC 4954 §6", "Permanent failure", true},
		{"5.5.1", "Invalid command", "RFC 3463 §3.6", "", true},
		{"2.1.5", "Destination address valid", "RFC 3463 §3.2", "Success", true},
		{"4.7.0", "Other or undefined security status", "RFC 3463 §3.8", "Persistent transient failure", true},
		{"5.3.4", "Message too big for system", "RFC 3463 §3.4", "", true},
		{"4.5.3", "Too many recipients", "RFC 3463 §3.6", "", true},
		{"5.7.11", "Encryption required for requested authentication mechanism", "RFC 4954 §6", "TLS", true},
		{"5.7.99", "Permanent failure, security or policy status", "RFC 3463 §2", "not registered", false},
		{"5.9.1", "Permanent failure, unregistered detail", "RFC 3463 §2", "not registered", false},
	} {
		e, ok := Enhanced(tc.code)
		if ok != tc.ok || e.Key != tc.code || e.Title != tc.title || e.RFC != tc.rfc || !strings.Contains(e.Text, tc.contains) {
			t.Errorf("Enhanced(%q) = %+v, %v", tc.code, e, ok)
		}
	}
	for _, bad := range []string{"", "5", "5.7", "3.0.0", "5.07.8", "5.7.8.1", "5.x.8", "5.1000.1", "55.1.1"} {
		if e, ok := Enhanced(bad); ok || e.Title != "" {
			t.Errorf("Enhanced(%q) = %+v, %v; want malformed", bad, e, ok)
		}
	}
	for _, c := range []int{2, 4, 5} {
		e, ok := EnhancedClass(c)
		if !ok {
			t.Errorf("class %d missing", c)
		}
		checkEntry(t, e.Key, e)
	}
	if _, ok := EnhancedClass(3); ok {
		t.Error("class 3 found")
	}
}

func TestCapabilities(t *testing.T) {
	for _, k := range []string{"SIZE", "8BITMIME", "PIPELINING", "CHUNKING", "DSN", "SMTPUTF8",
		"ENHANCEDSTATUSCODES", "STARTTLS", "AUTH", "HELP", "REQUIRETLS", "LIMITS", "BINARYMIME", "X-RCPTLIMIT"} {
		e, ok := Capability(strings.ToLower(k))
		if !ok {
			t.Errorf("capability %s missing", k)
		}
		checkEntry(t, k, e)
	}
	for _, row := range capabilities {
		e, _ := Capability(row.Key)
		checkEntry(t, row.Key, e)
	}
	for _, tc := range []struct {
		keyword string
		params  []string
		want    []string
	}{
		{"SIZE", []string{"35882577"}, []string{"35,882,577 bytes", "34.2 MiB", "RFC 1870"}},
		{"SIZE", []string{"20971520"}, []string{"20,971,520 bytes", "20.0 MiB"}},
		{"SIZE", []string{"0"}, []string{"no fixed limit"}},
		{"SIZE", nil, []string{"no limit"}},
		{"SIZE", []string{"big"}, []string{"not a number"}},
		{"AUTH", []string{"LOGIN", "PLAIN", "XOAUTH", "XOAUTH2"}, []string{"LOGIN (user name and password on two prompts)", "PLAIN", "XOAUTH2 (Google/Microsoft OAuth 2.0 (vendor))", "RFC 4954"}},
		{"AUTH", []string{"CRAM-MD5", "OAUTHBEARER", "XFOO"}, []string{"CRAM-MD5 (challenge-response with MD5)", "OAUTHBEARER (OAuth 2.0 bearer token)", "XFOO (vendor mechanism)"}},
		{"AUTH", nil, []string{"no mechanism"}},
		{"X-RCPTLIMIT", []string{"25"}, []string{"Yandex", "Parameters: 25", "RFC 5321 §4.1.5"}},
		{"X-FOO", nil, []string{"Vendor extension"}},
		{"LIMITS", []string{"RCPTMAX=100"}, []string{"RCPTMAX=100", "RFC 9422"}},
		{"PIPELINING", nil, []string{"without waiting", "RFC 2920"}},
		{"FROBNICATE", nil, []string{"does not know"}},
	} {
		got := DescribeCapability(tc.keyword, tc.params).English
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("DescribeCapability(%q, %q) = %q; want it to contain %q", tc.keyword, tc.params, got, w)
			}
		}
	}
}

func TestMechanisms(t *testing.T) {
	for _, m := range []string{"PLAIN", "LOGIN", "XOAUTH2", "XOAUTH", "OAUTHBEARER", "CRAM-MD5", "scram-sha-256"} {
		e, ok := Mechanism(m)
		if !ok {
			t.Errorf("mechanism %s missing", m)
		}
		checkEntry(t, m, e)
	}
	for _, row := range mechanisms {
		e, _ := Mechanism(row.Key)
		checkEntry(t, row.Key, e)
	}
	if _, ok := Mechanism("FOO"); ok {
		t.Error("FOO found")
	}
}

func TestHeaders(t *testing.T) {
	for _, tc := range []struct{ name, key, rfc string }{
		{"SUBJECT", "Subject", "RFC 5322 §3.6.5"},
		{"from", "From", "RFC 5322 §3.6.2"},
		{"TO", "To", "RFC 5322 §3.6.3"},
		{"Cc", "Cc", "RFC 5322 §3.6.3"},
		{"Date", "Date", "RFC 5322 §3.6.1"},
		{"message-id", "Message-ID", "RFC 5322 §3.6.4"},
		{"Mime-Version", "MIME-Version", "RFC 2045 §4"},
		{"Content-type", "Content-Type", "RFC 2045 §5"},
		{"content-transfer-encoding", "Content-Transfer-Encoding", "RFC 2045 §6"},
	} {
		e, ok := Header(tc.name)
		if !ok || e.Key != tc.key || e.RFC != tc.rfc {
			t.Errorf("Header(%q) = %+v, %v", tc.name, e, ok)
		}
		checkEntry(t, tc.name, e)
	}
	for _, row := range headers {
		e, _ := Header(row.Key)
		checkEntry(t, row.Key, e)
	}
	if _, ok := Header("X-Mailer"); ok {
		t.Error("X-Mailer found")
	}
	for _, w := range []string{"MAIL FROM", "From:", "RFC 5321 §2.3.1", "RFC 5322 §3.6", "spoof", "DMARC"} {
		if !strings.Contains(EnvelopeVsHeader().English, w) {
			t.Errorf("EnvelopeVsHeader lacks %q", w)
		}
	}
}
