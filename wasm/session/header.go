package session

import (
	"slices"
	"strings"

	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/rfc2047"
)

// The header section of the message (RFC 5322 §2.1, §2.2, §3.6): the checks
// that decide whether a content line would break the message, and the fix
// offered for it.

// Fix is what the engine offers to send instead of a content line that
// would break the message (Analysis.Breaks).
type Fix struct {
	// Lines replace the held line, in order.
	Lines []string `json:"lines"`
	// Label names the fix, for a button: "Insert an empty line first".
	Label phrase.Text `json:"label"`
}

// fixBook names the fixes, by key "fix.<what>".
var fixBook = phrase.Table{
	{"fix.blank-line", "Insert an empty line first"},
	{"fix.encode", "Send it RFC 2047-encoded"},
}

// onlyOnce are the fields RFC 5322 §3.6 allows at most once in a message
// (Date is its orig-date).
var onlyOnce = []string{"Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID", "In-Reply-To", "References", "Subject"}

// unstructured are the fields whose whole value is text, so an RFC 2047
// encoded-word may stand for all of it (RFC 2047 §5 (1)).
var unstructured = []string{"Subject", "Comments"}

// addFirst adds a warning before the others: the one that holds the line
// is the one to read first.
func (w *warnings) addFirst(code, rfc string, msg phrase.Text) {
	*w = append(warnings{{Code: code, Message: msg, RFC: rfc}}, *w...)
}

// breaks marks the line as one that would break the message: the console
// holds it for the person, offering fix when there is one.
func (a *Analysis) breaks(fix *Fix) {
	a.Breaks = true
	if fix != nil {
		a.Fix = fix
	}
}

// checkNotHeader is for a line that is not a header field before the empty
// line: readers end the header there, or cannot read it at all.
func checkNotHeader(a *Analysis, w *warnings, line string) {
	w.addFirst(WarnMissingBlankLine, "RFC 5322 §2.1", say("warn.missing-blank-line"))
	a.breaks(&Fix{Lines: []string{"", line}, Label: say("fix.blank-line")})
}

// checkHeaderField checks a header line "name: value" before it is
// recorded: a second Subject: and its like, and raw 8-bit text.
func (s *Session) checkHeaderField(a *Analysis, w *warnings, m *message, line, name string) {
	if e, known := explain.Header(name); known && slices.Contains(onlyOnce, e.Key) {
		if _, dup := m.headers[strings.ToLower(name)]; dup {
			w.addFirst(WarnDuplicateHeader, "RFC 5322 §3.6", say("warn.duplicate-header", "name", e.Key))
			a.breaks(nil)
		}
	}
	s.checkHeader8bit(a, w, name, name+": ", strings.TrimSpace(line[len(name)+1:]))
}

// checkHeader8bit warns about raw 8-bit text in a header field (or its
// folded continuation) of a message sent without SMTPUTF8, and offers the
// line with its text as an RFC 2047 encoded-word when the field is text.
func (s *Session) checkHeader8bit(a *Analysis, w *warnings, name, prefix, value string) {
	if s.c.utf8 || !has8bit(prefix+value) {
		return
	}
	w.addFirst(WarnEightBitHeader, "RFC 5322 §2.2", say("warn.eight-bit-header"))
	var fix *Fix
	if e, _ := explain.Header(name); slices.Contains(unstructured, e.Key) && !has8bit(prefix) {
		fix = &Fix{Lines: []string{prefix + rfc2047.QEncode("UTF-8", value)}, Label: say("fix.encode")}
	}
	a.breaks(fix)
}

// checkBodyHeader remarks on a body line that looks like a header field the
// person probably meant for the header section.
func checkBodyHeader(w *warnings, line string) {
	name, ok := headerName(line)
	if !ok {
		return
	}
	if e, known := explain.Header(name); known {
		w.add(WarnHeaderAfterBody, "RFC 5322 §2.1", "", say("warn.header-after-body", "name", e.Key))
	}
}
