package session

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
	Explanation string `json:"explanation"`
	Hint        string `json:"hint"`
}

// DecodePrompt decodes the text of a 334 reply for the given mechanism
// ("" if unknown): "VXNlcm5hbWU6" is "Username:".
func DecodePrompt(text, mechanism string) Prompt {
	t := strings.TrimSpace(text)
	p := Prompt{Base64: t, Valid: true}
	mech := asciiUpper(mechanism)
	if t == "" {
		p.Explanation = "An empty challenge: the server is ready for your response."
		p.Hint = "Answer with your response in base64."
		if mech == "PLAIN" {
			p.Hint = "Answer with base64 of \\0user\\0password (authhelp.Plain makes it)."
		}
		return p
	}
	b, err := decodeBase64(t)
	if err != nil {
		p.Valid = false
		p.Decoded = t
		p.Explanation = "This is not base64; some servers put plain text here."
		p.Hint = "Answer with one base64 line, or * to cancel."
		return p
	}
	p.Decoded = printable(b)
	p.Explanation = strconv.Quote(t) + " is base64 for " + strconv.Quote(p.Decoded) + "."
	switch d := strings.ToLower(strings.TrimSpace(string(b))); {
	case d == "username:" || d == "user name:":
		p.Hint = "Answer with your user name in base64, e.g. the output of: echo -n 'you@example.org' | base64"
	case d == "password:":
		p.Hint = "Answer with your password in base64 (echo -n 'secret' | base64: without -n, echo adds a newline that becomes part of the password)."
	case strings.HasPrefix(d, "{") && (mech == "OAUTHBEARER" || mech == "XOAUTH2"):
		var e struct {
			Status string `json:"status"`
		}
		_ = json.Unmarshal(b, &e)
		p.Explanation = "The server refused the token (status " + strconv.Quote(e.Status) + "), as JSON in base64."
		p.Hint = "End the exchange: answer AQ== (a single ^A byte, RFC 7628 §3.2.3) for OAUTHBEARER, an empty line for XOAUTH2; the server then answers 535."
	case mech == "CRAM-MD5":
		p.Hint = "Answer with base64 of \"user digest\", where digest is the hex HMAC-MD5 of this challenge keyed with your password (RFC 2195 §2)."
	default:
		p.Hint = "Answer with one base64 line, or * to cancel."
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
	a.Title = "Answer to the server's 334 prompt"
	a.RFC = "RFC 4954 §4"
	if line == "*" {
		a.Explanation = "A lone * cancels the login; the server answers 501."
		return p
	}
	a.Secret = true
	a.Line, a.Shown = Mask, Mask
	if s.lastPrompt != "" {
		a.Explanation = "Your answer to " + strconv.Quote(s.lastPrompt) + ", in base64. It carries credentials, so smtplay masks it."
	} else {
		a.Explanation = "Your response, in base64. It carries credentials, so smtplay masks it."
	}
	var w warnings
	checkBase64(&w, line, false)
	if len(line)+2 > 12288 {
		w.add(WarnAuthLineTooLong, "RFC 4954 §4", "500", "This answer is longer than the 12288 octets servers must accept: expect 500 5.5.6.")
	}
	if !s.c.tls && !s.opt.Sandbox && !s.authConfirm && (cleartextMechanisms[s.authMech] || !knownMechanism(s.authMech)) {
		s.cleartext(a, &w)
	}
	a.Warnings = w
	return p
}
