package sandbox

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-message"
)

// The note on a header section that ended early, checked against what
// go-message makes of the same DATA: a not-a-header note exactly when it
// cannot read the header.
func TestHeaderNote(t *testing.T) {
	gmail := "SUBJECT: TEST SMTP\r\nTO: <gorniksmtp@gmail.com>\r\nContent-type: text/html; charset=utf-8\r\n" +
		"Witaj, właśnie przeprowadzam test SMTP.\r\n"
	for _, c := range []struct {
		name, data string
		want       *headerNote
	}{
		{"the Gmail seed", gmail, &headerNote{Line: 4, Text: "Witaj, właśnie przeprowadzam test SMTP.", Ends: noteNotHeader, Fields: []string{"SUBJECT", "TO", "Content-type"}}},
		{"body first", "Hello\r\n\r\nSubject: x\r\n", &headerNote{Line: 1, Text: "Hello", Ends: noteNotHeader, Fields: []string{}}},
		{"space in a name", "From: a@b\r\nHi there: you\r\n", &headerNote{Line: 2, Text: "Hi there: you", Ends: noteNotHeader, Fields: []string{"From"}}},
		{"leading space first", " Subject: x\r\n\r\nhi\r\n", &headerNote{Line: 1, Text: " Subject: x", Ends: noteNotHeader, Fields: []string{}}},
		{"long line", "From: a@b\r\n" + strings.Repeat("é", 80) + "\r\n", &headerNote{Line: 2, Text: strings.Repeat("é", 59) + "…", Ends: noteNotHeader, Fields: []string{"From"}}},
		{"empty line first", "\r\nSubject: Hi\r\nTo: b@c\r\n\r\nHello\r\n", &headerNote{Line: 1, Text: "", Ends: noteEmptyLine, Fields: []string{"Subject", "To"}}},
		{"empty line early", "From: a@b\r\n\r\nsubject: Hi\r\n X-Folded: on\r\nX-Mailer: me\r\nDate: now\r\n\r\nHello\r\n", &headerNote{Line: 2, Ends: noteEmptyLine, Fields: []string{"subject", "Date"}}},
		{"whole", "From: a@b\r\nSubject: Hi\r\n folded\r\n\r\nHello\r\nSubject: quoted in the text\r\n", nil},
		{"body colon text", "From: a@b\r\n\r\nPS: bye\r\n", nil},
		{"empty name", "From: a@b\r\n: odd\r\n\r\nHi\r\n", nil},
		{"header only", "Subject: Hi\r\n", nil},
		{"multipart", "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := noteHeader([]byte(c.data))
			if g, w := mustJSON(t, got), mustJSON(t, c.want); g != w {
				t.Errorf("note %s, want %s", g, w)
			}
			_, err := message.Read(bytes.NewReader([]byte(c.data)))
			if (err != nil) != (got != nil && got.Ends == noteNotHeader) {
				t.Errorf("go-message: %v; note %+v", err, got)
			}
		})
	}
}

// The message view carries the note: the Gmail seed's DATA, stored behind
// the sandbox's trace headers, has no subject and says why.
func TestViewHeaderNote(t *testing.T) {
	data := []byte("SUBJECT: TEST SMTP\r\nWitaj\r\n")
	m := &storedMessage{id: "x", raw: append([]byte("Received: from a\r\n"), data...), size: len(data), subject: subjectOf(data)}
	v := viewMessage(m)
	if v.Subject != "" || v.HeaderNote == nil || v.HeaderNote.Line != 2 || !slices.Equal(v.HeaderNote.Fields, []string{"SUBJECT"}) || !strings.Contains(v.Text, "SUBJECT: TEST SMTP") {
		t.Fatalf("view %+v, note %+v", v, v.HeaderNote)
	}
	j := mustJSON(t, v)
	if !strings.Contains(j, `"header_note":{"line":2,"text":"Witaj","ends":"not-a-header","fields":["SUBJECT"]}`) {
		t.Errorf("JSON %s", j)
	}
	data = []byte("Subject: Hi\r\n\r\nHello\r\n")
	m = &storedMessage{id: "y", raw: append([]byte("Received: from a\r\n"), data...), size: len(data), subject: subjectOf(data)}
	if j := mustJSON(t, viewMessage(m)); strings.Contains(j, "header_note") {
		t.Errorf("a whole header has a note: %s", j)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
