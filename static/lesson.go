package static

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Lesson is what the checks of the lesson data and the browser tests need
// of a lesson file (lessons/README.md): its front matter and, for each step,
// its title, its check and its smtp blocks. lessonfile.js is the parser the
// page uses; this one is as strict as those checks need. Nothing in the
// smtplay binary calls it.
type Lesson struct {
	Title, Target string
	Steps         []LessonStep
}

// LessonStep is one "## " section of a lesson file.
type LessonStep struct {
	Title  string
	Check  string     // the text after "check:"
	Blocks [][]string // the lines of each ```smtp block
}

// ReadLesson reads lessons/<code>/<id>.md from Files.
func ReadLesson(code, id string) (Lesson, error) {
	data, err := fs.ReadFile(Files, path.Join("lessons", code, id+".md"))
	if err != nil {
		return Lesson{}, err
	}
	return ParseLesson(string(data))
}

// ParseLesson parses the text of a lesson file.
func ParseLesson(text string) (Lesson, error) {
	var lf Lesson
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
	var step *LessonStep
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
			lf.Steps = append(lf.Steps, LessonStep{Title: strings.TrimSpace(title)})
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
