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

// checkFrame checks a client frame against the contract's line rules: whole
// lines, each ending in CRLF, with no other CR or LF and no NUL. A frame
// that breaks a rule is refused whole; the error says why. The lines of a
// frame that passes are walked with cutLine, without copying them.
//
// It looks at each line once: every CR must be followed by LF, and there
// must be no more LFs than those CRLFs (counted in one pass over the frame).
// A frame that fails is looked at again line by line, to name the first
// line's fault.
func checkFrame(frame []byte) error {
	if len(frame) == 0 {
		return errEmptyFrame
	}
	if !bytes.HasSuffix(frame, crlf) {
		if frame[len(frame)-1] == '\n' {
			return errBareLF
		}
		return errNoFinalCRLF
	}
	if bytes.IndexByte(frame, 0) >= 0 {
		return errNUL
	}
	crlfs := 0
	for rest := frame; ; crlfs++ {
		i := bytes.IndexByte(rest, '\r')
		if i < 0 {
			break
		}
		if i+1 == len(rest) || rest[i+1] != '\n' {
			return lineFault(frame)
		}
		rest = rest[i+2:]
	}
	if bytes.Count(frame, lf) != crlfs {
		return lineFault(frame)
	}
	return nil
}

// lineFault names the fault of the first line of frame that breaks the
// line rules, for a frame that ends in CRLF and holds no NUL.
func lineFault(frame []byte) error {
	for len(frame) > 0 {
		end := bytes.IndexByte(frame, '\n')
		if end == 0 || frame[end-1] != '\r' {
			return errBareLF
		}
		if bytes.IndexByte(frame[:end-1], '\r') >= 0 {
			return errBareCR
		}
		frame = frame[end+1:]
	}
	return nil
}

// cutLine returns the first line of a frame checkFrame passed, with its
// CRLF, and the lines after it.
func cutLine(frame []byte) (line, rest []byte) {
	end := bytes.IndexByte(frame, '\n') + 1
	return frame[:end], frame[end:]
}

var crlf, lf = []byte("\r\n"), []byte("\n")
