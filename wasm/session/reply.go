package session

import (
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// Line endings as reported in ReplyLine.Ending and Entry.Ending.
const (
	EndingCRLF = "CRLF" // the SMTP line ending
	EndingLF   = "LF"   // a bare LF: tolerated, but not SMTP (RFC 5321 §2.3.8)
	EndingNone = ""     // no line ending: the end of the stream
)

// ReplyLine is one line of a server reply (RFC 5321 §4.2):
// three digits, then a space (last line) or a hyphen (more lines follow),
// then text.
type ReplyLine struct {
	// Code is the three-digit reply code.
	Code int `json:"code"`
	// Final is true for the last line of a reply ("250 ...", or "250" alone).
	Final bool `json:"final"`
	// Text is what follows the separator, without the line ending.
	Text string `json:"text"`
	// Enhanced is the RFC 3463 code at the start of Text, if any: "5.7.8".
	Enhanced string `json:"enhanced,omitempty"`
	// Ending is EndingCRLF, EndingLF or EndingNone.
	Ending string `json:"ending"`
}

// ParseReplyLine parses one server line, with or without its line ending.
// The code must be three digits with the first one 2 to 5 (RFC 5321 §4.2:
// Reply-code = %x32-35 %x30-35 %x30-39; the second digit is accepted up to 9,
// as some servers go beyond 5). An enhanced status code is recognised only when
// its class matches the first digit of the reply code (RFC 2034 §4).
func ParseReplyLine(line []byte) (ReplyLine, error) {
	var r ReplyLine
	switch {
	case len(line) >= 2 && line[len(line)-2] == '\r' && line[len(line)-1] == '\n':
		r.Ending, line = EndingCRLF, line[:len(line)-2]
	case len(line) >= 1 && line[len(line)-1] == '\n':
		r.Ending, line = EndingLF, line[:len(line)-1]
	}
	if len(line) < 3 || line[0] < '2' || line[0] > '5' || !isDigit(line[1]) || !isDigit(line[2]) {
		return r, say("server.no-code").Err()
	}
	r.Code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	switch {
	case len(line) == 3:
		r.Final = true
	case line[3] == ' ':
		r.Final, r.Text = true, string(line[4:])
	case line[3] == '-':
		r.Text = string(line[4:])
	default:
		return r, say("server.no-separator").Err()
	}
	if cls := r.Code / 100; cls != 3 {
		word, _, _ := strings.Cut(r.Text, " ")
		if c, _, _, ok := explain.SplitEnhanced(word); ok && c == cls {
			r.Enhanced = word
		}
	}
	return r, nil
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// Reply is one complete server reply, all its lines grouped, with what it
// answers and what it means.
type Reply struct {
	// Code is the three-digit reply code of the last line.
	Code int `json:"code"`
	// Enhanced is the RFC 3463 status code of the first line, if any.
	Enhanced string `json:"enhanced,omitempty"`
	// Lines are the texts of the reply's lines, after "250-" or "250 ".
	Lines []string `json:"lines"`
	// To names what the reply answers: "greeting", a verb such as "EHLO",
	// "auth-response", "end-of-data", "empty-line", or "" for a reply
	// nobody asked for.
	To string `json:"to"`
	// Answers is the client line it answers, secrets masked.
	Answers string `json:"answers,omitempty"`
	// Title, Explanation and RFC explain the three-digit code.
	Title       phrase.Text `json:"title,omitzero"`
	Explanation phrase.Text `json:"explanation,omitzero"`
	RFC         string      `json:"rfc,omitempty"`
	// Class and Category explain the first and second digits.
	Class    string      `json:"class"`
	Category phrase.Text `json:"category"`
	// EnhancedTitle, EnhancedExplanation and EnhancedRFC explain Enhanced.
	EnhancedTitle       string `json:"enhanced_title,omitempty"`
	EnhancedExplanation string `json:"enhanced_explanation,omitempty"`
	EnhancedRFC         string `json:"enhanced_rfc,omitempty"`
	// Note says what this reply means here and what to do next, starting
	// with whether the prediction shown for the line held.
	Note phrase.Text `json:"note,omitzero"`
	// Prediction compares the reply with what the page predicted before the
	// line was sent, if it predicted anything.
	Prediction *Outcome `json:"prediction,omitempty"`
	// LapseMS is the time in milliseconds from sending the command to this
	// reply's last line.
	LapseMS int64 `json:"lapse_ms"`
}

// replyBook holds what the engine says of a code the tables do not have.
var replyBook = phrase.Table{
	{"server.undefined.title", "A code RFC 5321 does not define"},
	{"server.undefined.text", "Read it by its digits."},
	{"server.undefined-category", "x{digit}z: not defined by RFC 5321."},
}

// explainReply fills in the code's explanation fields.
func (r *Reply) explainReply() {
	e, ok := explain.Reply(r.Code)
	title, text := e.SayTitle(), e.SayText()
	r.RFC = e.RFC
	if !ok {
		title, text = say("server.undefined.title"), say("server.undefined.text")
		r.RFC = "RFC 5321 §4.2.1"
	}
	r.Title, r.Explanation = title, text
	cls, _ := explain.ReplyClass(r.Code / 100)
	digit := strconv.Itoa(r.Code / 10 % 10)
	category := say("server.undefined-category", "digit", digit)
	if cat, ok := explain.ReplyCategory(r.Code / 10 % 10); ok {
		category = phrase.Entry("category."+digit, cat.Text)
	}
	r.Class = cls.Text
	r.Category = category
	if r.Enhanced != "" {
		ee, _ := explain.Enhanced(r.Enhanced)
		r.EnhancedTitle, r.EnhancedExplanation, r.EnhancedRFC = ee.Title, ee.Text, ee.RFC
	}
}
