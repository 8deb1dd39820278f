package session

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smtplay/smtplay/internal/pagejson"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// Prompt is a 334 challenge, decoded (RFC 4954 §4).
type Prompt struct {
	// Base64 is the text after "334 ".
	Base64 string `json:"base64"`
	// Decoded is what it says: "Username:". Bytes that are not printable
	// text are shown in Go's quoted form.
	Decoded string `json:"decoded"`
	// Valid is false when the text is not base64.
	Valid bool `json:"valid"`
	// Explanation says what the prompt is; Hint what to answer.
	Explanation phrase.Text `json:"explanation"`
	Hint        phrase.Text `json:"hint"`
}

// promptBook holds what the engine says of a 334 prompt, "prompt.<what>",
// and what to answer, "prompt.hint.<what>".
var promptBook = phrase.Table{
	{"prompt.empty", "An empty challenge: the server is ready for your response."},
	{"prompt.not-base64", "This is not base64; some servers put plain text here."},
	{"prompt.decoded", "{encoded} is base64 for {text}."},
	{"prompt.token-refused", "The server refused the token (status {status}), as JSON in base64."},
	{"prompt.hint.response", "Answer with your response in base64."},
	{"prompt.hint.plain", "Answer with base64 of \\0user\\0password (the AUTH helper makes it)."},
	{"prompt.hint.line", "Answer with one base64 line, or * to cancel."},
	{"prompt.hint.user-name", "Answer with your user name in base64, e.g. the output of: echo -n 'you@example.org' | base64"},
	{"prompt.hint.password", "Answer with your password in base64 (echo -n 'secret' | base64: without -n, echo adds a newline that becomes part of the password)."},
	{"prompt.hint.token", "End the exchange: answer AQ== (a single ^A byte, RFC 7628 §3.2.3) for OAUTHBEARER, an empty line for XOAUTH2; the server then answers 535."},
	{"prompt.hint.cram-md5", "Answer with base64 of \"user digest\", where digest is the hex HMAC-MD5 of this challenge keyed with your password (RFC 2195 §2)."},
}

// explain sets what the prompt is and what to answer.
func (p *Prompt) explain(what, hint phrase.Text) {
	p.Explanation, p.Hint = what, hint
}

// DecodePrompt decodes the text of a 334 reply for the given mechanism
// ("" if unknown): "VXNlcm5hbWU6" is "Username:".
func DecodePrompt(text, mechanism string) Prompt {
	t := strings.TrimSpace(text)
	p := Prompt{Base64: t, Valid: true}
	mech := asciiUpper(mechanism)
	if t == "" {
		hint := say("prompt.hint.response")
		if mech == "PLAIN" {
			hint = say("prompt.hint.plain")
		}
		p.explain(say("prompt.empty"), hint)
		return p
	}
	b, err := decodeBase64(t)
	if err != nil {
		p.Valid = false
		p.Decoded = t
		p.explain(say("prompt.not-base64"), say("prompt.hint.line"))
		return p
	}
	p.Decoded = printable(b)
	what := say("prompt.decoded", "encoded", strconv.Quote(t), "text", strconv.Quote(p.Decoded))
	switch d := strings.ToLower(strings.TrimSpace(string(b))); {
	case d == "username:" || d == "user name:":
		p.explain(what, say("prompt.hint.user-name"))
	case d == "password:":
		p.explain(what, say("prompt.hint.password"))
	case strings.HasPrefix(d, "{") && (mech == "OAUTHBEARER" || mech == "XOAUTH2"):
		var e struct {
			Status string `json:"status"`
		}
		_ = pagejson.Unmarshal(b, &e)
		p.explain(say("prompt.token-refused", "status", strconv.Quote(e.Status)), say("prompt.hint.token"))
	case mech == "CRAM-MD5":
		p.explain(what, say("prompt.hint.cram-md5"))
	default:
		p.explain(what, say("prompt.hint.line"))
	}
	return p
}

// decodeBase64 accepts padded and unpadded standard base64.
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	return b, err
}

// printable returns b as text if it is printable UTF-8, else quoted.
func printable(b []byte) string {
	if !utf8.Valid(b) {
		return strconv.Quote(string(b))
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) {
			return strconv.Quote(string(b))
		}
	}
	return string(b)
}

// analyzeAuthResponse reads the answer to a 334 prompt.
func (s *Session) analyzeAuthResponse(a *Analysis, line string) plan {
	p := plan{kind: kindAuthReply, raw: line}
	a.RFC = "RFC 4954 §4"
	if line == "*" {
		a.explain(say("line.auth.title"), say("line.auth.cancel"))
		return p
	}
	a.Secret = true
	a.Line, a.Shown = Mask, Mask
	if s.lastPrompt != "" {
		a.explain(say("line.auth.title"), say("line.auth.answer", "prompt", strconv.Quote(s.lastPrompt)))
	} else {
		a.explain(say("line.auth.title"), say("line.auth.response"))
	}
	var w warnings
	checkBase64(&w, line, false, s.authMech != "LOGIN" || isPasswordPrompt(s.lastPrompt))
	if len(line)+2 > 12288 {
		w.add(WarnAuthLineTooLong, "RFC 4954 §4", "500", say("warn.auth-answer-too-long"))
	}
	if !s.c.tls && !s.opt.Sandbox && !s.authConfirm && (slices.Contains(cleartextMechanisms, s.authMech) || !knownMechanism(s.authMech)) {
		s.cleartext(a, &w)
	}
	a.Warnings = s.fitToTarget("", w)
	return p
}

// isPasswordPrompt reports whether a decoded 334 prompt of AUTH LOGIN asks
// for the password ("Password:", "password"), after which the server
// decides on the login.
func isPasswordPrompt(prompt string) bool {
	return strings.Contains(strings.ToLower(prompt), "pass")
}
