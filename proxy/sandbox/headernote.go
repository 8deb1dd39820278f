package sandbox

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"
)

// headerNote says where the header section of a stored message ended before
// the header lines the person typed did (PROTOCOL.md, header_note), so the
// page can say why a Subject: is missing.
type headerNote struct {
	// Line is the line of the DATA that ended the header section, from 1.
	Line int `json:"line"`
	// Text is that line, shortened to maxNoteText characters with "…".
	Text string `json:"text"`
	// Ends says how it ended it: noteNotHeader or noteEmptyLine.
	Ends string `json:"ends"`
	// Fields are the names of the header fields, as typed, that are body
	// text because of it.
	Fields []string `json:"fields"`
}

// How a line ended the header section.
const (
	// A line with no "name:" before any empty line: go-message cannot read
	// such a header (textproto.ReadHeader fails), so the whole message,
	// the fields above the line included, is text and has no subject.
	noteNotHeader = "not-a-header"
	// The empty line, with header fields typed after it: they are body.
	noteEmptyLine = "empty-line"
)

// maxNoteText bounds headerNote.Text, in characters.
const maxNoteText = 60

// readerFields are the fields a mail program shows or needs (RFC 5322 §3.6,
// RFC 2045): typed after the empty line, they were meant for the header.
var readerFields = []string{"date", "from", "sender", "reply-to", "to", "cc", "bcc", "message-id",
	"in-reply-to", "references", "subject", "comments", "keywords",
	"mime-version", "content-type", "content-transfer-encoding"}

// noteHeader reads the DATA of a message as go-message's
// textproto.ReadHeader does and returns a note when its header section
// ended early; nil when the header is whole.
func noteHeader(data []byte) *headerNote {
	lines := strings.Split(string(bytes.TrimSuffix(data, []byte("\r\n"))), "\n")
	var fields []string
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		switch {
		case l == "":
			if typed := bodyFields(lines[i+1:]); len(typed) > 0 {
				return &headerNote{Line: i + 1, Text: "", Ends: noteEmptyLine, Fields: typed}
			}
			return nil
		case (l[0] == ' ' || l[0] == '\t') && i > 0: // a folded line
		case l[0] == ' ' || l[0] == '\t': // a fold with nothing to continue
			return &headerNote{Line: 1, Text: shorten(l), Ends: noteNotHeader, Fields: []string{}}
		default:
			name, ok := fieldName(l)
			if !ok {
				return &headerNote{Line: i + 1, Text: shorten(l), Ends: noteNotHeader, Fields: nonNil(fields)}
			}
			if name != "" {
				fields = append(fields, name)
			}
		}
	}
	return nil
}

// bodyFields returns the names of the fields a reader knows among the
// header-like lines at the start of the body.
func bodyFields(lines []string) []string {
	var out []string
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if l != "" && (l[0] == ' ' || l[0] == '\t') && i > 0 {
			continue
		}
		name, ok := fieldName(l)
		if !ok || name == "" {
			break
		}
		if slices.Contains(readerFields, strings.ToLower(name)) {
			out = append(out, name)
		}
	}
	return out
}

// fieldName returns the name of a header line as go-message reads it: the
// text before the first colon, spaces and tabs trimmed, all printable
// US-ASCII; ok is false for a line it cannot read as a field. An empty
// name is read, and skipped, as go-message does.
func fieldName(l string) (string, bool) {
	name, _, found := strings.Cut(l, ":")
	if !found {
		return "", false
	}
	name = strings.Trim(name, " \t")
	for i := 0; i < len(name); i++ {
		if name[i] < 33 || name[i] > 126 {
			return "", false
		}
	}
	return name, true
}

// shorten cuts a line to maxNoteText characters.
func shorten(l string) string {
	if utf8.RuneCountInString(l) <= maxNoteText {
		return l
	}
	return string([]rune(l)[:maxNoteText-1]) + "…"
}

// nonNil is s, or an empty list for JSON's [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
