// Package authhelp makes the exact lines a person types to log in with SMTP
// AUTH (RFC 4954), each explained and marked secret where it carries
// credentials, so the playground can show them masked. The PLAIN and LOGIN
// responses are written here (the tests check them against
// github.com/emersion/go-sasl's servers): go-sasl's package would bring
// encoding/json's initialisation into main.wasm.
//
// The package is pure Go and builds for js/wasm.
package authhelp

import (
	"encoding/base64"
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// authBook says what each line is, and why credentials cannot be encoded.
var authBook = phrase.Table{
	{"authhelp.plain", "AUTH PLAIN with an initial response: base64 of \\0user\\0password in one line. " +
		"Anyone who sees it can decode the password, so send it only over TLS."},
	{"authhelp.login", "Start AUTH LOGIN; the server asks for the user name. (A shorter form sends the user name at once: AUTH LOGIN <base64 user name>.)"},
	{"authhelp.login-user", "Your user name in base64, answering \"Username:\"."},
	{"authhelp.login-password", "Your password in base64, answering \"Password:\". Base64 is not encryption: send it only over TLS."},
	{"authhelp.empty-user", "the user name is empty"},
	{"authhelp.nul", "a user name or password cannot contain a NUL byte (RFC 4616 §2)"},
}

// Line is one line to type during an AUTH exchange.
type Line struct {
	// Text is what to type, without CRLF.
	Text string `json:"text"`
	// Secret is true when Text carries credentials: show it masked.
	Secret bool `json:"secret"`
	// After is the server line this one answers, e.g. "334 VXNlcm5hbWU6";
	// empty for the AUTH command itself.
	After string `json:"after,omitempty"`
	// Decoded shows what the base64 carries, the password or token masked,
	// control bytes written as \0 and ^A.
	Decoded string `json:"decoded,omitempty"`
	// Explanation says what the line is, for a student.
	Explanation phrase.Text `json:"explanation"`
	// RFC names the rule.
	RFC string `json:"rfc"`
}

// Errors for credentials that cannot be encoded.
var (
	ErrEmptyUser = say("authhelp.empty-user").Err()
	ErrNUL       = say("authhelp.nul").Err()
)

var b64 = base64.StdEncoding.EncodeToString

// explained returns l with its explanation.
func explained(l Line, t phrase.Text) Line {
	l.Explanation = t
	return l
}

// Plain returns the one line of AUTH PLAIN with its initial response:
// base64 of NUL, user name, NUL, password (RFC 4616 §2). The authorization
// identity is left empty: "log me in as myself".
func Plain(user, pass string) ([]Line, error) {
	if user == "" {
		return nil, ErrEmptyUser
	}
	if strings.ContainsRune(user+pass, 0) {
		return nil, ErrNUL
	}
	ir := []byte("\x00" + user + "\x00" + pass)
	return []Line{explained(Line{
		Text:    "AUTH PLAIN " + b64(ir),
		Secret:  true,
		Decoded: `\0` + user + `\0` + session.Mask,
		RFC:     "RFC 4616 §2",
	}, say("authhelp.plain"))}, nil
}

// Login returns the three lines of AUTH LOGIN as telnet tutorials type them: the
// command, then the user name and the password in base64, each answering a
// 334 prompt ("Username:", "Password:").
func Login(user, pass string) ([]Line, error) {
	if user == "" {
		return nil, ErrEmptyUser
	}
	name, password := []byte(user), []byte(pass)
	return []Line{
		explained(Line{Text: "AUTH LOGIN", RFC: "draft-murchison-sasl-login-00"}, say("authhelp.login")),
		explained(Line{Text: b64(name), Secret: true, After: "334 " + b64([]byte("Username:")), Decoded: user, RFC: "RFC 4954 §4"},
			say("authhelp.login-user")),
		explained(Line{Text: b64(password), Secret: true, After: "334 " + b64([]byte("Password:")), Decoded: session.Mask, RFC: "RFC 4954 §4"},
			say("authhelp.login-password")),
	}, nil
}
