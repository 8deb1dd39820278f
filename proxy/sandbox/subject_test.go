package sandbox

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/emersion/go-message/textproto"
)

// subjectByGoMessage is what subjectOf must return: the Subject as
// go-message reads the header.
func subjectByGoMessage(data []byte) string {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		return ""
	}
	return decodeText(h.Get("Subject"))
}

// subjectCases are headers go-message reads in different ways.
var subjectCases = []string{
	"",
	"Subject: hello\r\n\r\nbody\r\n",
	"Subject: hello\r\n",
	"Subject: hello",
	"subject:hello\r\n\r\n",
	"SUBJECT : spaced name\r\n\r\n",
	"From: a@b\r\nSubject: first\r\nSubject: second\r\n\r\n",
	"Subject: folded\r\n  over\r\n\tthree lines\r\n\r\n",
	"Subject:\r\n  starts on the next line\r\n\r\n",
	"Subject: \r\n \r\n\r\n",
	"Subject: ok\r\nnot a field\r\n\r\n",
	"Subject: ok\r\nBad Name: x\r\n\r\n",
	" Subject: leading fold\r\n\r\n",
	"\r\nSubject: in the body\r\n",
	"From: a\r\n\r\nSubject: in the body\r\n",
	": empty name\r\nSubject: after it\r\n\r\n",
	"Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\n",
	"Subject: =?iso-8859-1?q?caf=E9?=\r\n\r\n",
	"Subject: \xff invalid\r\n\r\n",
	"Subject: bare LF\nFrom: x\n\nbody",
	"Subject: cr at end\r",
	"Subject: two crs\r\r\n\r\n",
	"Subject: a\r\n \r\n b\r\n\r\n",
	"X-Long: " + string(bytes.Repeat([]byte("x"), 5000)) + "\r\nSubject: after a long line\r\n\r\n",
	"Subject: " + string(bytes.Repeat([]byte("y"), 4094)) + "\r\n\r\n",
	"Subject\r\n : colon on the fold\r\n\r\n",
	"Sub\x01ject: control in the name\r\n\r\n",
	"Subject: tab\tinside\r\n\r\n",
}

func TestSubjectOfMatchesGoMessage(t *testing.T) {
	for _, c := range subjectCases {
		want := subjectByGoMessage([]byte(c))
		if got := subjectOf([]byte(c)); got != want {
			t.Errorf("subjectOf(%q) = %q, go-message reads %q", c, got, want)
		}
	}
}

// FuzzSubjectOf looks for a header subjectOf reads otherwise than
// go-message: go test -fuzz FuzzSubjectOf ./proxy/sandbox/
func FuzzSubjectOf(f *testing.F) {
	for _, c := range subjectCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := subjectOf(data), subjectByGoMessage(data); got != want {
			t.Errorf("subjectOf(%q) = %q, go-message reads %q", data, got, want)
		}
	})
}

func BenchmarkSubjectOf(b *testing.B) {
	msg := []byte("From: <a@example.org>\r\nTo: <b@example.org>\r\nSubject: a message\r\n" +
		"Content-Type: text/plain\r\n\r\nbody\r\n")
	b.ReportAllocs()
	for b.Loop() {
		subjectOf(msg)
	}
}
