// Package compose turns a simple message — From, To, Subject and a body —
// into the lines a person types after DATA: a header with From, To, Subject,
// Date, Message-ID and the MIME fields, an empty line, the body, and the
// lone dot. A UTF-8 subject becomes an RFC 2047 encoded word; a non-ASCII
// body goes as 8bit where the server takes it, as quoted-printable
// otherwise. Each line is given as typed and as it goes on the wire, with
// dot-stuffing (RFC 5321 §4.5.2) shown.
//
// The package is pure Go and builds for js/wasm.
package compose

import (
	"bytes"
	"math/rand/v2"
	"mime/quotedprintable"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/rfc2047"
)

// Message is what the person fills in.
type Message struct {
	// From is the author: "a@example.org" or "Ada <a@example.org>".
	From string `json:"from"`
	// To lists the recipients, separated by commas.
	To string `json:"to"`
	// Subject may be any UTF-8 text.
	Subject string `json:"subject"`
	// Body is the text; line endings may be LF or CRLF.
	Body string `json:"body"`
	// EightBit says the body may go as 8-bit text: the server offers
	// 8BITMIME and MAIL FROM says BODY=8BITMIME (RFC 6152). When false a
	// non-ASCII body is quoted-printable.
	EightBit bool `json:"eight_bit"`
	// Date is the Date: header; the zero value means now.
	Date time.Time `json:"-"`
	// MessageID is the Message-ID without angle brackets; empty means a
	// random one at the From address's domain.
	MessageID string `json:"-"`
}

// Part says which part of the message a line belongs to.
type Part string

// The parts of a message.
const (
	PartHeader Part = "header" // a header field, or its folded continuation
	PartBlank  Part = "blank"  // the empty line between header and body
	PartBody   Part = "body"   // a line of the body
	PartEnd    Part = "end"    // the lone dot that ends DATA
)

// Line is one line of the message.
type Line struct {
	// Text is the line as typed, without CRLF.
	Text string `json:"text"`
	// Wire is the line as it is sent: a leading dot doubled.
	Wire string `json:"wire"`
	// Part is where the line belongs.
	Part Part `json:"part"`
	// Stuffed is true when a dot was added (RFC 5321 §4.5.2).
	Stuffed bool `json:"stuffed,omitempty"`
}

// Envelope is what MAIL FROM and RCPT TO carry for a message.
type Envelope struct {
	// From is the envelope sender's bare address.
	From string `json:"from"`
	// To are the recipients' bare addresses.
	To []string `json:"to"`
	// EightBit is true when MAIL FROM should say BODY=8BITMIME: the body
	// is not ASCII.
	EightBit bool `json:"eight_bit"`
}

// composeBook says why a message cannot be composed; {detail} is the
// parser's own reason, in English.
var composeBook = phrase.Table{
	{"compose.no-from", "the From address is empty"},
	{"compose.no-to", "there is no recipient in To"},
	{"compose.bad-from", "From {address} is not an address: {detail}"},
	{"compose.bad-to", "To {address} is not a list of addresses: {detail}"},
}

// Errors for a message that cannot be composed.
var (
	ErrNoFrom = say("compose.no-from").Err()
	ErrNoTo   = say("compose.no-to").Err()
)

// maxHeaderLine is where header lines are folded (RFC 5322 §2.1.1).
const maxHeaderLine = 78

// maxTextLine is the longest line 8-bit text may have, without CRLF
// (RFC 5321 §4.5.3.1.6).
const maxTextLine = 998

// Addresses parses From and To into the envelope.
func (m Message) Addresses() (Envelope, error) {
	var env Envelope
	from, err := parseOne(m.From)
	if err != nil {
		return env, err
	}
	to, err := parseList(m.To)
	if err != nil {
		return env, err
	}
	env.From = from.Address
	for _, a := range to {
		env.To = append(env.To, a.Address)
	}
	env.EightBit = !isASCII(m.Body)
	return env, nil
}

// Lines composes the message: header, empty line, body, and the final dot.
func (m Message) Lines() ([]Line, error) {
	from, err := parseOne(m.From)
	if err != nil {
		return nil, err
	}
	to, err := parseList(m.To)
	if err != nil {
		return nil, err
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	id := m.MessageID
	if id == "" {
		id = newMessageID(from.Address)
	}
	var tos []string
	for _, a := range to {
		tos = append(tos, a.String())
	}
	body, cte := encodeBody(m.Body, m.EightBit)

	var out []Line
	header := func(name, value string) {
		for _, l := range fold(name, value) {
			out = append(out, Line{Text: l, Wire: l, Part: PartHeader})
		}
	}
	header("From", from.String())
	header("To", strings.Join(tos, ", "))
	if m.Subject != "" {
		header("Subject", encodeSubject(m.Subject))
	}
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", cte)
	out = append(out, Line{Part: PartBlank})
	for _, l := range body {
		line := Line{Text: l, Wire: l, Part: PartBody}
		if strings.HasPrefix(l, ".") {
			line.Wire, line.Stuffed = "."+l, true
		}
		out = append(out, line)
	}
	return append(out, Line{Text: ".", Wire: ".", Part: PartEnd}), nil
}

func parseOne(s string) (address, error) {
	if strings.TrimSpace(s) == "" {
		return address{}, ErrNoFrom
	}
	a, err := parseAddress(s)
	if err != nil {
		return address{}, say("compose.bad-from", "address", strconv.Quote(s), "detail", err.Error()).Err()
	}
	return a, nil
}

func parseList(s string) ([]address, error) {
	if strings.TrimSpace(s) == "" {
		return nil, ErrNoTo
	}
	list, err := parseAddressList(s)
	if err != nil {
		return nil, say("compose.bad-to", "address", strconv.Quote(s), "detail", err.Error()).Err()
	}
	return list, nil
}

// encodeSubject writes a subject as is when it is ASCII, else as RFC 2047
// Q-encoded words, which stay readable for the Latin letters.
func encodeSubject(s string) string {
	if isASCII(s) {
		return s
	}
	return rfc2047.QEncode("utf-8", s)
}

// encodeBody splits the body into lines and says its transfer encoding:
// 7bit for ASCII, 8bit when allowed and every line fits, else
// quoted-printable.
func encodeBody(body string, eightBit bool) ([]string, string) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	body = strings.TrimSuffix(body, "\n")
	lines := strings.Split(body, "\n")
	long := false
	for _, l := range lines {
		long = long || len(l) > maxTextLine
	}
	switch {
	case isASCII(body) && !long:
		return lines, "7bit"
	case eightBit && !long && utf8.ValidString(body):
		return lines, "8bit"
	}
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	_, _ = w.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	_ = w.Close()
	return strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n"), "quoted-printable"
}

// fold writes a header field, breaking a line longer than 78 characters at
// a space inside its value; each continuation starts with that space
// (RFC 5322 §2.2.3). A word longer than the limit stays whole.
func fold(name, value string) []string {
	line := name + ": " + value
	var out []string
	min := len(name) + 2 // never fold right after the colon
	for len(line) > maxHeaderLine {
		cut := strings.LastIndexByte(line[:maxHeaderLine+1], ' ')
		if cut < min {
			cut = strings.IndexByte(line[min:], ' ')
			if cut < 0 {
				break
			}
			cut += min
		}
		out = append(out, line[:cut])
		line = line[cut:]
		min = 1
	}
	return append(out, line)
}

// newMessageID returns random@domain, the domain taken from addr.
func newMessageID(addr string) string {
	domain := "smtplay.invalid"
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		domain = addr[i+1:]
	}
	// Unique, not secret: math/rand/v2 is seeded by the runtime, and
	// crypto/rand would bring its DRBG into the page.
	return strconv.FormatUint(rand.Uint64(), 36) + strconv.FormatUint(rand.Uint64(), 36) + "@" + domain
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
