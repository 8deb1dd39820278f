package tunnel

import (
	"bytes"
	"errors"
)

// Reasons a client frame is refused by the line rules, written for a person.
var (
	errEmptyFrame  = errors.New("the frame is empty: send one or more lines, each ending in CRLF")
	errNoFinalCRLF = errors.New("the frame does not end in CRLF: every line sent to an SMTP server must end with CR LF (RFC 5321 §2.3.8)")
	errBareLF      = errors.New("the frame contains a bare LF (a line feed without a carriage return before it): SMTP lines end with CR LF only, and a bare LF is how SMTP smuggling attacks begin, so nothing of the frame was sent")
	errBareCR      = errors.New("the frame contains a bare CR (a carriage return without a line feed after it): SMTP lines end with CR LF only, so nothing of the frame was sent")
	errNUL         = errors.New("the frame contains a NUL byte, which SMTP does not allow in a line, so nothing of it was sent")
)

// splitLines checks a client frame against the contract's line rules and
// returns its lines, each with its CRLF. A frame that breaks a rule is refused
// whole: the returned error says why and no line is returned.
func splitLines(frame []byte) ([][]byte, error) {
	if len(frame) == 0 {
		return nil, errEmptyFrame
	}
	if !bytes.HasSuffix(frame, crlf) {
		if frame[len(frame)-1] == '\n' {
			return nil, errBareLF
		}
		return nil, errNoFinalCRLF
	}
	if bytes.IndexByte(frame, 0) >= 0 {
		return nil, errNUL
	}
	lines := make([][]byte, 0, bytes.Count(frame, crlf))
	for len(frame) > 0 {
		end := bytes.IndexByte(frame, '\n')
		line := frame[:end+1]
		if end == 0 || line[end-1] != '\r' {
			return nil, errBareLF
		}
		if bytes.IndexByte(line[:end-1], '\r') >= 0 {
			return nil, errBareCR
		}
		lines = append(lines, line)
		frame = frame[end+1:]
	}
	return lines, nil
}

var crlf = []byte("\r\n")
