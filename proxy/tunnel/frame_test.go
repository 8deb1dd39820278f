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
		lines, err := splitLines([]byte(tt.frame))
		if err != tt.err || len(lines) != tt.lines {
			t.Errorf("splitLines(%q) = %d lines, %v; want %d, %v", tt.frame, len(lines), err, tt.lines, tt.err)
		}
		if err == nil && strings.Join(toStrings(lines), "") != tt.frame {
			t.Errorf("splitLines(%q) lost bytes: %q", tt.frame, lines)
		}
	}
}

func toStrings(lines [][]byte) []string {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = string(l)
	}
	return s
}

func FuzzSplitLines(f *testing.F) {
	for _, s := range []string{"EHLO x\r\n", "a\r\nb\n", "\r\r\n", "x\x00\r\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		lines, err := splitLines(frame)
		if err != nil {
			if lines != nil {
				t.Fatal("a refused frame returned lines")
			}
			return
		}
		joined := strings.Join(toStrings(lines), "")
		if joined != string(frame) {
			t.Fatalf("lines do not rebuild the frame")
		}
		for _, l := range lines {
			body := l[:len(l)-2]
			if !strings.HasSuffix(string(l), "\r\n") || strings.ContainsAny(string(body), "\r\n\x00") {
				t.Fatalf("accepted a line that breaks the rules: %q", l)
			}
		}
	})
}
