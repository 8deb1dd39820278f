package sandbox

import "bytes"

// subjectOf returns the decoded Subject of a message, "" if it has none or
// its header cannot be read. It reads the header section as go-message's
// textproto.ReadHeader does and takes the first Subject field, unfolded as
// Header.Get gives it (FuzzSubjectOf compares the two), but without making
// a Header: that cost some 30 allocations per stored message.
func subjectOf(data []byte) string {
	if len(data) > 0 && isWSP(data[0]) {
		return "" // a fold with no field to continue: not a header
	}
	var value []byte // the first Subject field from after its colon
	found := false
	for len(data) > 0 {
		line, rest := cutLine(data)
		if len(line) == 0 {
			break // the empty line ends the header section
		}
		for len(rest) > 0 && isWSP(rest[0]) {
			_, rest = cutLine(rest) // a folded line of the same field
		}
		field := data[:len(data)-len(rest)]
		data = rest
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return "" // a line that is no field: not a header
		}
		name := bytes.Trim(line[:colon], " \t")
		for _, c := range name {
			if c < 33 || c > 126 {
				return ""
			}
		}
		if !found && bytes.EqualFold(name, []byte("subject")) {
			value, found = field[colon+1:], true
		}
	}
	if !found {
		return ""
	}
	return decodeText(unfold(value))
}

// cutLine returns the first line of b without its LF and a CR before it,
// as bufio.Reader.ReadLine does, and what follows it.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:]
}

// unfold joins the lines of a field's value with one space, each trimmed
// of spaces and tabs, skipping empty ones.
func unfold(v []byte) string {
	var out []byte
	for len(v) > 0 {
		var line []byte
		line, v = cutLine(v)
		line = bytes.Trim(line, " \t")
		switch {
		case len(line) == 0:
		case out == nil && len(v) == 0:
			return string(line) // one line: the usual case, one copy
		case len(out) > 0:
			out = append(append(out, ' '), line...)
		default:
			out = append(out, line...)
		}
	}
	return string(out)
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' }
