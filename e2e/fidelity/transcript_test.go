package fidelity

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readTranscript reads a recorded session from testdata: "C: " lines as
// sent, "S: " lines as received, "#" comments. A content line sent
// dot-stuffed is typed without the extra dot. A 221 is followed by the
// server closing the connection.
func readTranscript(t *testing.T, name string) []Line {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rec []Line
	data := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "C: "):
			sent := l[3:]
			typed := sent
			if data && strings.HasPrefix(sent, "..") {
				typed = sent[1:]
			}
			data = data && sent != "."
			rec = append(rec, Line{Dir: Client, Text: typed, Wire: sent + "\r\n"})
		case strings.HasPrefix(l, "S: "):
			rec = append(rec, Line{Dir: Server, Text: l[3:] + "\r\n"})
			data = strings.HasPrefix(l[3:], "354")
			if strings.HasPrefix(l[3:], "221 ") {
				rec = append(rec, Line{Dir: Closed, Text: "server"})
			}
		default:
			t.Fatalf("%s: a line neither C:, S: nor #: %q", name, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestRecordedExim replays a session recorded once from Exim, which cannot
// be installed beside Postfix, with the same checks as the live servers. It
// needs no server, so it runs under -short too.
func TestRecordedExim(t *testing.T) {
	replay(t, readTranscript(t, "exim.txt"))
}
