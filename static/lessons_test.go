package main

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

// lessonFile is what the tests need of a lesson file (static/lessons/README.md):
// its front matter and, for each step, its title, its check and its smtp
// blocks. lessonfile.js is the parser the page uses; this one is only as
// strict as the comparisons below need.
type lessonFile struct {
	Title, Target string
	Steps         []lessonStep
}

type lessonStep struct {
	Title  string
	Check  string     // the text after "check:"
	Blocks [][]string // the lines of each ```smtp block
}

// readLessonFile reads lessons/<code>/<id>.md from the embedded page.
func readLessonFile(code, id string) (lessonFile, error) {
	data, err := fs.ReadFile(static.Files, path.Join("lessons", code, id+".md"))
	if err != nil {
		return lessonFile{}, err
	}
	return parseLessonFile(string(data))
}

func parseLessonFile(text string) (lessonFile, error) {
	var lf lessonFile
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	i := 0
	if len(lines) > 0 && lines[0] == "---" {
		for i = 1; i < len(lines) && lines[i] != "---"; i++ {
			k, v, _ := strings.Cut(lines[i], ":")
			switch k {
			case "title":
				lf.Title = strings.TrimSpace(v)
			case "target":
				lf.Target = strings.TrimSpace(v)
			}
		}
		if i == len(lines) {
			return lf, fmt.Errorf("the front matter has no closing ---")
		}
		i++
	}
	var step *lessonStep
	for ; i < len(lines); i++ {
		line := lines[i]
		if lang, ok := strings.CutPrefix(line, "```"); ok {
			start := i
			var block []string
			for i++; i < len(lines) && lines[i] != "```"; i++ {
				block = append(block, lines[i])
			}
			if i == len(lines) {
				return lf, fmt.Errorf("line %d: the block is never closed", start+1)
			}
			if strings.TrimSpace(lang) == "smtp" {
				if step == nil {
					return lf, fmt.Errorf("line %d: an smtp block before the first step", start+1)
				}
				step.Blocks = append(step.Blocks, block)
			}
			continue
		}
		if title, ok := strings.CutPrefix(line, "## "); ok {
			lf.Steps = append(lf.Steps, lessonStep{Title: strings.TrimSpace(title)})
			step = &lf.Steps[len(lf.Steps)-1]
			continue
		}
		if check, ok := strings.CutPrefix(line, "check:"); ok {
			switch {
			case step == nil:
				return lf, fmt.Errorf("line %d: a check before the first step", i+1)
			case step.Check != "":
				return lf, fmt.Errorf("line %d: a second check in the step %q", i+1, step.Title)
			}
			step.Check = strings.TrimSpace(check)
		}
	}
	if lf.Title == "" || len(lf.Steps) == 0 {
		return lf, fmt.Errorf("no title or no steps")
	}
	for _, s := range lf.Steps {
		if s.Check == "" {
			return lf, fmt.Errorf("the step %q has no check", s.Title)
		}
	}
	return lf, nil
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
		en, err := readLessonFile("en", id)
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
			tr, err := readLessonFile(code, id)
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
func checkSubjects(t *testing.T, code, id string, lf lessonFile) {
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
