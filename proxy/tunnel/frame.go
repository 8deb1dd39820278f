package tunnel

import (
	"bytes"

	"github.com/smtplay/smtplay/wire"
)

// Reasons a client frame is refused by the line rules, sentences of
// wire.Details; pointers, so that they compare as errors.
var (
	errEmptyFrame  = sayErr("frame-empty")
	errNoFinalCRLF = sayErr("frame-no-final-crlf")
	errBareLF      = sayErr("frame-bare-lf")
	errBareCR      = sayErr("frame-bare-cr")
	errNUL         = sayErr("frame-nul")
)

func sayErr(key string) error {
	s := wire.Say(key)
	return &s
}

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
