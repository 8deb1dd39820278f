package wire

import (
	"errors"
	"slices"
	"strings"
)

// Said is one sentence of Details with the values that fill it. It is also
// an error, whose text is the English sentence, so that code deep in the
// proxy can return it and the session can send its key and values.
type Said struct {
	Key  string
	Args map[string]string
}

// Say returns the sentence key of Details filled from args, name and value
// pairs; a value is written as fmt.Sprint writes it (sprint).
func Say(key string, args ...any) Said {
	s := Said{Key: key}
	if len(args) > 0 {
		s.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			s.Args[sprint(args[i])] = sprint(args[i+1])
		}
	}
	return s
}

// English renders the sentence: each {name} takes its value, and a nested
// argument (NestedArgs) the English of the sentence it names; values are
// not read again for placeholders. A key not in Details renders as itself.
func (s Said) English() string {
	tmpl, ok := Details[s.Key]
	if !ok {
		return s.Key
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		end := strings.IndexByte(tmpl[open+1:], '}')
		if open < 0 || end < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		name := tmpl[open+1 : open+1+end]
		value, ok := s.Args[name]
		switch {
		case !ok:
			value = "{" + name + "}"
		case slices.Contains(NestedArgs, name):
			value = Said{Key: value, Args: s.Args}.English()
		}
		b.WriteString(tmpl[:open])
		b.WriteString(value)
		tmpl = tmpl[open+1+end+1:]
	}
}

// Error returns the English sentence.
func (s Said) Error() string { return s.English() }

// Detail returns s itself; other errors that carry a sentence have a Detail
// method too, which SaidOf finds.
func (s Said) Detail() Said { return s }

// Parts returns the sentence and the nested sentences it names, in the order
// they are said, each with the same arguments.
func (s Said) Parts() []Said {
	parts := []Said{s}
	for _, name := range NestedArgs {
		if key, ok := s.Args[name]; ok {
			parts = append(parts, Said{Key: key, Args: s.Args})
		}
	}
	return parts
}

// Known reports whether s and every sentence it names are in Details.
func (s Said) Known() bool {
	for _, p := range s.Parts() {
		if _, ok := Details[p.Key]; !ok {
			return false
		}
	}
	return true
}

// Stem returns the template of key with a nested placeholder at its end cut
// off: the part of the sentence said before the sentence it names.
func Stem(key string) string {
	tmpl := Details[key]
	for _, name := range NestedArgs {
		tmpl = strings.TrimSuffix(tmpl, " {"+name+"}")
	}
	return tmpl
}

// SaidOf returns the sentence an error carries (a Said, or an error with a
// Detail method, anywhere in its chain), and false for any other error.
func SaidOf(err error) (Said, bool) {
	var d interface{ Detail() Said }
	if errors.As(err, &d) {
		return d.Detail(), true
	}
	return Said{}, false
}

// Fail returns the error message for code, its message rendered from s.
func Fail(code Code, s Said) Error {
	return Error{Type: TypeError, Code: code, Message: s.English(), Detail: s.Key, Args: s.Args}
}

// Ended returns the closed message for a session ended by by, its reason
// rendered from s.
func Ended(by string, s Said) Closed {
	return Closed{Type: TypeClosed, By: by, Reason: s.English(), Detail: s.Key, Args: s.Args}
}

// Said returns the sentence an error message was rendered from, if it names
// one.
func (e Error) Said() (Said, bool) { return Said{Key: e.Detail, Args: e.Args}, e.Detail != "" }

// Said returns the sentence a closed message's reason was rendered from, if
// it names one.
func (c Closed) Said() (Said, bool) { return Said{Key: c.Detail, Args: c.Args}, c.Detail != "" }
