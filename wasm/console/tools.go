package console

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smtplay/smtplay/wasm/authhelp"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// toolBook says why a helper cannot do what was asked.
var toolBook = phrase.Table{
	{"tools.not-base64", "this is not base64: only A–Z, a–z, 0–9, + and /, with = padding at the end"},
	{"tools.auth-mechanism", "the helper makes AUTH PLAIN and AUTH LOGIN lines; {mechanism} is neither"},
}

// Decoded is base64 decoded for people.
type Decoded struct {
	// Text is the decoded bytes: as they are when they are printable
	// UTF-8, else in Go's quoted form ("\x00student\x00practice").
	Text string `json:"text"`
	// Printable is false when Text is quoted.
	Printable bool `json:"printable"`
	// Bytes counts the decoded bytes.
	Bytes int `json:"bytes"`
}

// ErrNotBase64 says the text is not base64.
var ErrNotBase64 = say("tools.not-base64").Err()

// EncodeBase64 encodes the UTF-8 bytes of text, as echo -n 'text' | base64.
func EncodeBase64(text string) string {
	return base64.StdEncoding.EncodeToString([]byte(text))
}

// DecodeBase64 decodes standard base64, padded or not; spaces and line
// breaks are ignored.
func DecodeBase64(s string) (Decoded, error) {
	s = strings.Join(strings.Fields(s), "")
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return Decoded{}, ErrNotBase64
	}
	d := Decoded{Text: string(b), Printable: true, Bytes: len(b)}
	if !utf8.Valid(b) || strings.IndexFunc(d.Text, notPrintable) >= 0 {
		d.Text, d.Printable = strconv.Quote(d.Text), false
	}
	return d, nil
}

func notPrintable(r rune) bool { return !unicode.IsPrint(r) && r != '\n' && r != '\t' }

// AuthLines returns the lines that log in with mechanism "PLAIN" or
// "LOGIN" (wasm/authhelp).
func AuthLines(mechanism, user, pass string) ([]authhelp.Line, error) {
	switch strings.ToUpper(mechanism) {
	case "PLAIN":
		return authhelp.Plain(user, pass)
	case "LOGIN":
		return authhelp.Login(user, pass)
	}
	return nil, say("tools.auth-mechanism", "mechanism", strconv.Quote(mechanism)).Err()
}

// SplitLines splits pasted text into lines: CRLF, LF and CR all end a line,
// and the line break at the very end makes no empty line of its own.
func SplitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if text == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}
