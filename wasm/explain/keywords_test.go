package explain

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// Every EHLO keyword of testdata/ehlo-keywords.txt (the IANA registry and
// the keywords deployed servers send) is explained: a standard one by an
// entry of its own, an X one at least as a vendor extension. The legacy
// "AUTH=PLAIN" form reads as AUTH.
func TestEHLOKeywordsExplained(t *testing.T) {
	f, err := os.Open("testdata/ehlo-keywords.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		keyword, _, _ := strings.Cut(strings.Fields(line)[0], "=")
		e, ok := Capability(keyword)
		switch {
		case !ok:
			t.Errorf("%s is not explained (%s)", keyword, line)
		case IsVendor(keyword):
		case e.Title == "" || e.Text == "" || e.RFC == "":
			t.Errorf("%s: entry %+v lacks a title, a text or a source", keyword, e)
		}
		if _, own := find(capabilities, strings.ToUpper(keyword)); !own && !IsVendor(keyword) {
			t.Errorf("%s: a standard keyword needs an entry of its own", keyword)
		}
	}
	if err := sc.Err(); err != nil || n < 40 {
		t.Fatalf("read %d keywords: %v", n, err)
	}
}
