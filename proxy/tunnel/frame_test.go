package tunnel

import (
	"strings"
	"testing"
)

func TestSplitLines(t *testing.T) {
	tests := []struct {
		frame string
		lines int
		err   error
	}{
		{"EHLO x\r\n", 1, nil},
		{"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n", 3, nil},
		{"\r\n", 1, nil},
		{"", 0, errEmptyFrame},
		{"EHLO x", 0, errNoFinalCRLF},
		{"EHLO x\r", 0, errNoFinalCRLF},
		{"EHLO x\n", 0, errBareLF},
		{"RCPT TO:<a@b>\nDATA\r\n", 0, errBareLF},
		{"x\n.\r\nMAIL FROM:<ceo@bank>\r\n", 0, errBareLF},
		{"\n.\r\n", 0, errBareLF},
		{"a\r.\r\n", 0, errBareCR},
		{"a\r\r\n", 0, errBareCR},
		{"\r.\r\n", 0, errBareCR},
		{"a\x00b\r\n", 0, errNUL},
		{"\n.\n", 0, errBareLF},
		{"\r\n.\n", 0, errBareLF},
	}
	for _, tt := range tests {
		err := checkFrame([]byte(tt.frame))
		var lines []string
		if err == nil {
			lines = frameLines([]byte(tt.frame))
		}
		if err != tt.err || len(lines) != tt.lines {
			t.Errorf("checkFrame(%q) = %d lines, %v; want %d, %v", tt.frame, len(lines), err, tt.lines, tt.err)
		}
		if err == nil && strings.Join(lines, "") != tt.frame {
			t.Errorf("cutLine lost bytes of %q: %q", tt.frame, lines)
		}
	}
}

// frameLines cuts a checked frame into its lines.
func frameLines(frame []byte) []string {
	var lines []string
	for len(frame) > 0 {
		var line []byte
		line, frame = cutLine(frame)
		lines = append(lines, string(line))
	}
	return lines
}

// obeysLineRules says, the slow way, whether a frame keeps the contract's
// line rules: not empty, ending in CRLF, every CR before an LF and every LF
// after a CR, no NUL.
func obeysLineRules(frame string) bool {
	if frame == "" || !strings.HasSuffix(frame, "\r\n") || strings.Contains(frame, "\x00") {
		return false
	}
	for i := range len(frame) {
		switch {
		case frame[i] == '\r' && (i+1 == len(frame) || frame[i+1] != '\n'):
			return false
		case frame[i] == '\n' && (i == 0 || frame[i-1] != '\r'):
			return false
		}
	}
	return true
}

func FuzzSplitLines(f *testing.F) {
	for _, s := range []string{"EHLO x\r\n", "a\r\nb\n", "\r\r\n", "x\x00\r\n", "", "a\r\n.\r\nQUIT\r\n", ".\r\n", "a\nb\r\n", "a\r\r\nb\n\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		err := checkFrame(frame)
		if (err == nil) != obeysLineRules(string(frame)) {
			t.Fatalf("checkFrame(%q) = %v, which the line rules do not say", frame, err)
		}
		if err != nil {
			return
		}
		lines := frameLines(frame)
		joined := strings.Join(lines, "")
		if joined != string(frame) {
			t.Fatalf("lines do not rebuild the frame")
		}
		end := -1 // where the first lone "." line ends, walked line by line
		for i, at := 0, 0; i < len(lines) && end < 0; i++ {
			if at += len(lines[i]); lines[i] == ".\r\n" {
				end = at
			}
		}
		for _, l := range lines {
			body := l[:len(l)-2]
			if !strings.HasSuffix(l, "\r\n") || strings.ContainsAny(body, "\r\n\x00") {
				t.Fatalf("accepted a line that breaks the rules: %q", l)
			}
		}
		if got := endOfContent(frame); got != end {
			t.Fatalf("endOfContent(%q) = %d, want %d", frame, got, end)
		}
	})
}
