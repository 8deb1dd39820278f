package static_test

import (
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/static"
)

// readStaticJSON decodes a JSON file of the page into v.
func readStaticJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := static.ReadJSON(name, v); err != nil {
		t.Fatal(err)
	}
}

// checkPattern is the grammar of parseCheck in lessonfile.js.
var checkPattern = regexp.MustCompile(`^(reply [2-5][0-9x][0-9x]( to [A-Za-z-]+)?|prompt "[^"]+"|state [a-z-]+|capability [A-Za-z0-9][A-Za-z0-9-]*|delivered( subject "[^"]*")?)$`)

// translatable blanks what a translation may change in a check: the Subject.
var translatable = regexp.MustCompile(`subject "[^"]*"`)

// messageLine tells a block of message content (header lines, the empty
// line, the final dot), which a translation may change, from a block of
// commands, which it must keep.
var messageLine = regexp.MustCompile(`^$|^\.$|^[A-Za-z-]+: `)

// deliveredSubject is the Subject a "delivered subject" check waits for.
var deliveredSubject = regexp.MustCompile(`^delivered subject "([^"]*)"$`)

// Every lesson of index.json exists in every language of the page, and each
// translation has English's steps: as many, with the same checks (a Subject
// may be translated), the same target, and the same command blocks. A check
// for a delivered Subject names the Subject its step sends, decoded.
func TestLessonFiles(t *testing.T) {
	var index struct{ Lessons []string }
	readStaticJSON(t, "lessons/index.json", &index)
	var langs map[string]string
	readStaticJSON(t, "i18n/languages.json", &langs)
	codes := slices.Sorted(maps.Keys(langs))
	if !slices.Contains(codes, "en") || !slices.Contains(codes, "pl") {
		t.Fatalf("languages %v: want en and pl", codes)
	}
	listed := map[string]bool{}
	for _, id := range index.Lessons {
		if listed[id] {
			t.Errorf("index.json lists %s twice", id)
		}
		listed[id] = true
	}
	for _, code := range codes {
		files, _ := fs.Glob(static.Files, path.Join("lessons", code, "*.md"))
		for _, f := range files {
			if id := strings.TrimSuffix(path.Base(f), ".md"); !listed[id] {
				t.Errorf("%s is not in lessons/index.json", f)
			}
		}
	}

	for _, id := range index.Lessons {
		en, err := static.ReadLesson("en", id)
		if err != nil {
			t.Errorf("lessons/en/%s.md: %v", id, err)
			continue
		}
		for i, s := range en.Steps {
			if !checkPattern.MatchString(s.Check) {
				t.Errorf("lessons/en/%s.md, step %d %q: %q is not a check", id, i+1, s.Title, s.Check)
			}
		}
		for _, code := range codes {
			tr, err := static.ReadLesson(code, id)
			if err != nil {
				t.Errorf("lessons/%s/%s.md: %v", code, id, err)
				continue
			}
			checkSubjects(t, code, id, tr)
			if code == "en" {
				continue
			}
			if tr.Target != en.Target {
				t.Errorf("lessons/%s/%s.md: target %q, English has %q", code, id, tr.Target, en.Target)
			}
			if len(tr.Steps) != len(en.Steps) {
				t.Errorf("lessons/%s/%s.md: %d steps, English has %d", code, id, len(tr.Steps), len(en.Steps))
				continue
			}
			for i, s := range tr.Steps {
				e := en.Steps[i]
				where := fmt.Sprintf("lessons/%s/%s.md, step %d %q", code, id, i+1, s.Title)
				if translatable.ReplaceAllString(s.Check, "subject") != translatable.ReplaceAllString(e.Check, "subject") {
					t.Errorf("%s: check %q, English has %q", where, s.Check, e.Check)
				}
				if len(s.Blocks) != len(e.Blocks) {
					t.Errorf("%s: %d smtp blocks, English has %d", where, len(s.Blocks), len(e.Blocks))
					continue
				}
				for k, block := range e.Blocks {
					if !slices.ContainsFunc(block, messageLine.MatchString) && !slices.Equal(s.Blocks[k], block) {
						t.Errorf("%s: commands %q, English has %q", where, s.Blocks[k], block)
					}
				}
			}
		}
	}
}

// checkSubjects: a step that waits for a delivered Subject sends a message
// with that Subject (RFC 2047 encoded words decoded, as the sandbox does).
func checkSubjects(t *testing.T, code, id string, lf static.Lesson) {
	t.Helper()
	var dec mime.WordDecoder
	for i, s := range lf.Steps {
		m := deliveredSubject.FindStringSubmatch(s.Check)
		if m == nil {
			continue
		}
		var sent []string
		for _, block := range s.Blocks {
			for _, line := range block {
				if v, ok := strings.CutPrefix(line, "Subject: "); ok {
					if d, err := dec.DecodeHeader(v); err == nil {
						v = d
					}
					sent = append(sent, v)
				}
			}
		}
		if !slices.Contains(sent, m[1]) {
			t.Errorf("lessons/%s/%s.md, step %d %q: waits for the Subject %q, but sends %q", code, id, i+1, s.Title, m[1], sent)
		}
	}
}
