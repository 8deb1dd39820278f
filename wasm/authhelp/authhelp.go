// Package authhelp makes the exact lines a person types to log in with SMTP
// AUTH (RFC 4954), each explained and marked secret where it carries
// credentials, so the playground can show them masked. PLAIN, LOGIN and
// OAUTHBEARER are built on github.com/emersion/go-sasl's client mechanisms;
// XOAUTH2, which go-sasl lacks, is built here by its published format.
//
// The package is pure Go and builds for js/wasm.
package authhelp

import (
	"encoding/base64"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// authBook says what each line is, and why credentials cannot be encoded.
var authBook = phrase.Book{
	"authhelp.plain": "AUTH PLAIN with an initial response: base64 of \\0user\\0password in one line. " +
		"Anyone who sees it can decode the password, so send it only over TLS.",
	"authhelp.login":          "Start AUTH LOGIN; the server asks for the user name. (A shorter form sends the user name at once: AUTH LOGIN <base64 user name>.)",
	"authhelp.login-user":     "Your user name in base64, answering \"Username:\".",
	"authhelp.login-password": "Your password in base64, answering \"Password:\". Base64 is not encryption: send it only over TLS.",
	"authhelp.oauthbearer": "AUTH OAUTHBEARER: an OAuth 2.0 access token instead of a password. If the server refuses the token " +
		"it sends a 334 with an error in JSON; answer AQ== (a single ^A) and it ends with 535.",
	"authhelp.xoauth2": "AUTH XOAUTH2: a vendor mechanism that predates OAUTHBEARER. If the server refuses the token it sends " +
		"a 334 with an error in JSON; answer with an empty line and it ends with 535.",
	"authhelp.empty-user":  "the user name is empty",
	"authhelp.empty-token": "the access token is empty",
	"authhelp.nul":         "a user name or password cannot contain a NUL byte (RFC 4616 §2)",
	"authhelp.ctrl-a":      "a user name, host or token cannot contain the ^A (0x01) separator (RFC 7628 §3.1)",
}

// mask hides a password or token in Line.Decoded. It is the same fixed-length
// mask the session uses, so no length leaks.
const mask = "********"

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
	ErrEmptyUser  = say("authhelp.empty-user").Err()
	ErrEmptyToken = say("authhelp.empty-token").Err()
	ErrNUL        = say("authhelp.nul").Err()
	ErrCtrlA      = say("authhelp.ctrl-a").Err()
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
	_, ir, err := sasl.NewPlainClient("", user, pass).Start()
	if err != nil {
		return nil, err
	}
	return []Line{explained(Line{
		Text:    "AUTH PLAIN " + b64(ir),
		Secret:  true,
		Decoded: `\0` + user + `\0` + mask,
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
	c := sasl.NewLoginClient(user, pass)
	_, name, err := c.Start()
	if err != nil {
		return nil, err
	}
	password, err := c.Next([]byte("Password:"))
	if err != nil {
		return nil, err
	}
	return []Line{
		explained(Line{Text: "AUTH LOGIN", RFC: "draft-murchison-sasl-login-00"}, say("authhelp.login")),
		explained(Line{Text: b64(name), Secret: true, After: "334 " + b64([]byte("Username:")), Decoded: user, RFC: "RFC 4954 §4"},
			say("authhelp.login-user")),
		explained(Line{Text: b64(password), Secret: true, After: "334 " + b64([]byte("Password:")), Decoded: mask, RFC: "RFC 4954 §4"},
			say("authhelp.login-password")),
	}, nil
}

// OAuthBearer returns the line of AUTH OAUTHBEARER with its initial
// response: the GS2 header n,a=user, then host, port and the bearer token,
// separated by ^A (RFC 7628 §3.1). host and port name the server; they may be
// empty and 0.
func OAuthBearer(user, token, host string, port int) ([]Line, error) {
	if token == "" {
		return nil, ErrEmptyToken
	}
	if strings.ContainsRune(user+token+host, 1) {
		return nil, ErrCtrlA
	}
	_, ir, err := sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
		Username: saslName(user), Token: token, Host: host, Port: port,
	}).Start()
	if err != nil {
		return nil, err
	}
	decoded := strings.ReplaceAll(string(ir), "\x01", "^A")
	decoded = strings.Replace(decoded, "Bearer "+token, "Bearer "+mask, 1)
	return []Line{explained(Line{
		Text:    "AUTH OAUTHBEARER " + b64(ir),
		Secret:  true,
		Decoded: decoded,
		RFC:     "RFC 7628 §3.1",
	}, say("authhelp.oauthbearer"))}, nil
}

// XOAuth2 returns the line of AUTH XOAUTH2, Google's and Microsoft's older
// form of OAuth 2.0 login: base64 of user=...^Aauth=Bearer <token>^A^A.
// go-sasl has no XOAUTH2, so it is built here.
func XOAuth2(user, token string) ([]Line, error) {
	switch {
	case user == "":
		return nil, ErrEmptyUser
	case token == "":
		return nil, ErrEmptyToken
	case strings.ContainsRune(user+token, 1):
		return nil, ErrCtrlA
	}
	ir := "user=" + user + "\x01auth=Bearer " + token + "\x01\x01"
	return []Line{explained(Line{
		Text:    "AUTH XOAUTH2 " + b64([]byte(ir)),
		Secret:  true,
		Decoded: "user=" + user + "^Aauth=Bearer " + mask + "^A^A",
		RFC:     "RFC 5321 §4.1.5",
	}, say("authhelp.xoauth2"))}, nil
}

// saslName escapes "," and "=" in a user name for the GS2 header
// (RFC 5801 §4), which go-sasl does not do.
func saslName(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}
