package session

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		line    string
		want    Command
		errCode string
	}{
		{"EHLO smtp.gmail.com", Command{Verb: "EHLO", Arg: "smtp.gmail.com", Domain: "smtp.gmail.com"}, ""},
		{"ehlo [91.198.212.5]", Command{Verb: "EHLO", Arg: "[91.198.212.5]", Domain: "[91.198.212.5]"}, ""},
		{"EHLO", Command{Verb: "EHLO"}, WarnHelloNoDomain},
		{"HELO ", Command{Verb: "HELO"}, WarnHelloNoDomain},
		{"EHLO 91.198.212.5", Command{Verb: "EHLO", Arg: "91.198.212.5", Domain: "91.198.212.5"}, WarnAddressLiteral},
		{"MAIL FROM:<a@b.example>", Command{Verb: "MAIL", Arg: "FROM:<a@b.example>", Path: "a@b.example", Bracketed: true}, ""},
		{"mail from: <a@b.example>", Command{Verb: "MAIL", Arg: "from: <a@b.example>", Path: "a@b.example", Bracketed: true, SpaceAfterColon: true}, ""},
		{"MAIL FROM: vasiapupkin@ya.ru", Command{Verb: "MAIL", Arg: "FROM: vasiapupkin@ya.ru", Path: "vasiapupkin@ya.ru", SpaceAfterColon: true}, ""},
		{"MAIL FROM:<> SIZE=100 BODY=8BITMIME SMTPUTF8", Command{Verb: "MAIL", Arg: "FROM:<> SIZE=100 BODY=8BITMIME SMTPUTF8", Bracketed: true,
			Params: []Param{{"SIZE", "100"}, {"BODY", "8BITMIME"}, {"SMTPUTF8", ""}}}, ""},
		{"MAIL FROM:a@b size=5", Command{Verb: "MAIL", Arg: "FROM:a@b size=5", Path: "a@b", Params: []Param{{"SIZE", "5"}}}, ""},
		{"MAIL FROM:<a@b>SIZE=5", Command{Verb: "MAIL", Arg: "FROM:<a@b>SIZE=5", Path: "a@b", Bracketed: true}, WarnSyntax},
		{"MAIL FROM:<a@b", Command{Verb: "MAIL", Arg: "FROM:<a@b"}, WarnSyntax},
		{"MAIL FROM:", Command{Verb: "MAIL", Arg: "FROM:"}, WarnSyntax},
		{"MAIL <a@b>", Command{Verb: "MAIL", Arg: "<a@b>"}, WarnSyntax},
		{"MAIL", Command{Verb: "MAIL"}, WarnSyntax},
		{"RCPT TO:<billy@microsoft.com> NOTIFY=FAILURE", Command{Verb: "RCPT", Arg: "TO:<billy@microsoft.com> NOTIFY=FAILURE", Path: "billy@microsoft.com", Bracketed: true, Params: []Param{{"NOTIFY", "FAILURE"}}}, ""},
		{"RCPT TO: billy@microsoft.com", Command{Verb: "RCPT", Arg: "TO: billy@microsoft.com", Path: "billy@microsoft.com", SpaceAfterColon: true}, ""},
		{"AUTH LOGIN", Command{Verb: "AUTH", Arg: "LOGIN", Mechanism: "LOGIN"}, ""},
		{"auth plain AGEAYg==", Command{Verb: "AUTH", Arg: "plain AGEAYg==", Mechanism: "PLAIN", InitialResponse: true}, ""},
		{"AUTH", Command{Verb: "AUTH"}, WarnSyntax},
		{"BDAT 120 LAST", Command{Verb: "BDAT", Arg: "120 LAST", ChunkSize: 120, Last: true}, ""},
		{"BDAT 0 last", Command{Verb: "BDAT", Arg: "0 last", Last: true}, ""},
		{"BDAT 12", Command{Verb: "BDAT", Arg: "12", ChunkSize: 12}, ""},
		{"BDAT", Command{Verb: "BDAT"}, WarnSyntax},
		{"BDAT x", Command{Verb: "BDAT", Arg: "x"}, WarnSyntax},
		{"BDAT +5", Command{Verb: "BDAT", Arg: "+5"}, WarnSyntax},
		{"BDAT 5 FIRST", Command{Verb: "BDAT", Arg: "5 FIRST", ChunkSize: 5}, WarnSyntax},
		{"DATA", Command{Verb: "DATA"}, ""},
		{"DATA now", Command{Verb: "DATA", Arg: "now"}, WarnSyntax},
		{"QUIT", Command{Verb: "QUIT"}, ""},
		{"VRFY", Command{Verb: "VRFY"}, WarnSyntax},
		{"VRFY postmaster", Command{Verb: "VRFY", Arg: "postmaster"}, ""},
		{"NOOP hello", Command{Verb: "NOOP", Arg: "hello"}, ""},
		{"SUBJECT: TEST SMTP", Command{Verb: "SUBJECT:", Arg: "TEST SMTP"}, ""},
		{"", Command{}, ""},
	} {
		got, err := ParseCommand(tc.line)
		code := ""
		if se, ok := err.(*SyntaxError); ok {
			code = se.Code
			if se.Error() == "" || se.RFC == "" {
				t.Errorf("%q: empty syntax error %+v", tc.line, se)
			}
		} else if err != nil {
			t.Errorf("%q: error of type %T", tc.line, err)
		}
		if code != tc.errCode {
			t.Errorf("ParseCommand(%q) error %v, want code %q", tc.line, err, tc.errCode)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseCommand(%q) =\n %+v\nwant\n %+v", tc.line, got, tc.want)
		}
	}
}

func TestParseReplyLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want ReplyLine
		bad  bool
	}{
		{"220 mx.google.com ESMTP dm3sm18090848wib.3\r\n", ReplyLine{Code: 220, Final: true, Text: "mx.google.com ESMTP dm3sm18090848wib.3", Ending: EndingCRLF}, false},
		{"250-SIZE 35882577\r\n", ReplyLine{Code: 250, Text: "SIZE 35882577", Ending: EndingCRLF}, false},
		{"502 5.5.1 Unrecognized command. dm3sm18090848wib.3\r\n", ReplyLine{Code: 502, Final: true, Text: "5.5.1 Unrecognized command. dm3sm18090848wib.3", Enhanced: "5.5.1", Ending: EndingCRLF}, false},
		{"535 5.7.8 Authentication credentials invalid\n", ReplyLine{Code: 535, Final: true, Text: "5.7.8 Authentication credentials invalid", Enhanced: "5.7.8", Ending: EndingLF}, false},
		{"250-2.1.5 Ok", ReplyLine{Code: 250, Text: "2.1.5 Ok", Enhanced: "2.1.5"}, false},
		{"250 5.1.1 mismatched class", ReplyLine{Code: 250, Final: true, Text: "5.1.1 mismatched class"}, false},
		{"334 VXNlcm5hbWU6\r\n", ReplyLine{Code: 334, Final: true, Text: "VXNlcm5hbWU6", Ending: EndingCRLF}, false},
		{"334 2.0.0\r\n", ReplyLine{Code: 334, Final: true, Text: "2.0.0", Ending: EndingCRLF}, false},
		{"250\r\n", ReplyLine{Code: 250, Final: true, Ending: EndingCRLF}, false},
		{"250 \r\n", ReplyLine{Code: 250, Final: true, Ending: EndingCRLF}, false},
		{"221 2.0.0 smtp18.yandex.ru Out", ReplyLine{Code: 221, Final: true, Text: "2.0.0 smtp18.yandex.ru Out", Enhanced: "2.0.0"}, false},
		{"250 2.0.0", ReplyLine{Code: 250, Final: true, Text: "2.0.0", Enhanced: "2.0.0"}, false},
		{"250 2.0.00 x", ReplyLine{Code: 250, Final: true, Text: "2.0.00 x"}, false},
		{"199 too low", ReplyLine{}, true},
		{"600 too high", ReplyLine{}, true},
		{"25", ReplyLine{}, true},
		{"2a0 x", ReplyLine{}, true},
		{"250_x", ReplyLine{Code: 250}, true},
		{"\r\n", ReplyLine{Ending: EndingCRLF}, true},
		{"", ReplyLine{}, true},
	} {
		got, err := ParseReplyLine([]byte(tc.line))
		if (err != nil) != tc.bad {
			t.Errorf("ParseReplyLine(%q) error %v", tc.line, err)
		}
		if got != tc.want {
			t.Errorf("ParseReplyLine(%q) = %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

func TestParseCapability(t *testing.T) {
	for _, tc := range []struct {
		line    string
		keyword string
		params  []string
		legacy  bool
		vendor  bool
		explain string
	}{
		{"SIZE 35882577", "SIZE", []string{"35882577"}, false, false, "34.2 MiB"},
		{"AUTH LOGIN PLAIN XOAUTH XOAUTH2", "AUTH", []string{"LOGIN", "PLAIN", "XOAUTH", "XOAUTH2"}, false, false, "PLAIN (user name and password in one line)"},
		{"AUTH = LOGIN", "AUTH", []string{"LOGIN"}, true, false, "old \"AUTH=\" form"},
		{"AUTH=LOGIN PLAIN", "AUTH", []string{"LOGIN", "PLAIN"}, true, false, "PLAIN"},
		{"AUTH =LOGIN", "AUTH", []string{"LOGIN"}, true, false, "LOGIN"},
		{"X-RCPTLIMIT 25", "X-RCPTLIMIT", []string{"25"}, false, true, "Yandex"},
		{"XFOO", "XFOO", nil, false, true, "Vendor extension"},
		{"starttls", "STARTTLS", nil, false, false, "RFC 3207"},
		{"LIMITS RCPTMAX=100 MAILMAX=10", "LIMITS", []string{"RCPTMAX=100", "MAILMAX=10"}, false, false, "RCPTMAX=100"},
		{"SMTPUTF8", "SMTPUTF8", nil, false, false, "UTF-8"},
		{"REQUIRETLS", "REQUIRETLS", nil, false, false, "RFC 8689"},
		{"BINARYMIME", "BINARYMIME", nil, false, false, "RFC 3030"},
		{"FROB 1", "FROB", []string{"1"}, false, false, "does not know"},
		{"", "", nil, false, false, "empty"},
	} {
		c := ParseCapability(tc.line)
		if c.Keyword != tc.keyword || !reflect.DeepEqual(c.Params, tc.params) || c.Legacy != tc.legacy || c.Vendor != tc.vendor ||
			c.Line != tc.line || !strings.Contains(c.Explanation.English, tc.explain) {
			t.Errorf("ParseCapability(%q) = %+v", tc.line, c)
		}
	}
	cs := capSet{ParseCapability("SIZE x"), ParseCapability("LIMITS MAILMAX=3 RCPTMAX=7")}
	if cs.sizeLimit() != 0 || cs.rcptLimit() != 7 {
		t.Errorf("limits: %d %d", cs.sizeLimit(), cs.rcptLimit())
	}
	if (capSet{ParseCapability("SIZE")}).sizeLimit() != 0 {
		t.Error("SIZE without a number")
	}
}

func TestDecodePrompt(t *testing.T) {
	for _, tc := range []struct {
		text, mech, decoded, hint string
		valid                     bool
	}{
		{"VXNlcm5hbWU6", "LOGIN", "Username:", "user name in base64", true},
		{"UGFzc3dvcmQ6", "LOGIN", "Password:", "echo adds a newline", true},
		{"VXNlcm5hbWU", "LOGIN", "Username", "one base64 line", true}, // unpadded
		{"", "PLAIN", "", "\\0user\\0password", true},
		{"", "", "", "response in base64", true},
		{"eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=", "OAUTHBEARER", `{"status":"invalid_token"}`, "AQ==", true},
		{"PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UuZXhhbXBsZS5uZXQ+", "CRAM-MD5", "<1896.697170952@postoffice.example.net>", "HMAC-MD5", true},
		{"AAEC", "", `"\x00\x01\x02"`, "one base64 line", true},
		{"/w==", "", `"\xff"`, "one base64 line", true},
		{"Go ahead!", "", "Go ahead!", "* to cancel", false},
	} {
		p := DecodePrompt(tc.text, tc.mech)
		if p.Decoded != tc.decoded || p.Valid != tc.valid || !strings.Contains(p.Hint.English, tc.hint) || p.Explanation.English == "" {
			t.Errorf("DecodePrompt(%q, %q) = %+v", tc.text, tc.mech, p)
		}
	}
	if p := DecodePrompt("eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=", "OAUTHBEARER"); !strings.Contains(p.Explanation.English, `"invalid_token"`) {
		t.Errorf("OAUTHBEARER error: %+v", p)
	}
}

func TestPhasesExplained(t *testing.T) {
	for _, p := range []Phase{PhaseGreeting, PhaseGreeted, PhaseReady, PhaseAuth, PhaseAuthenticated, PhaseMail, PhaseRcpt,
		PhaseData, PhaseBDAT, PhaseStartTLS, PhaseTLS, PhaseClosing, PhaseClosed} {
		if p.Explain() == "" {
			t.Errorf("phase %s is not explained", p)
		}
	}
}
