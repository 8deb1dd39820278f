// Package phrase keeps the sentences the engine writes for people in a form
// another language can say: each has a key, an English template with {name}
// placeholders, and the values that fill it. The engine sends such a
// sentence as one Text, its English and its phrases together; the page looks
// the keys up in static/i18n/explain/<lang>.json and falls back to the
// English.
package phrase

import (
	"errors"
	"slices"
	"strings"
)

// Phrase names a sentence and the values of its placeholders. It marshals to
// JSON as {"key": "...", "args": {...}}.
type Phrase struct {
	// Key names the sentence, e.g. "warn.rcpt-before-mail".
	Key string `json:"key"`
	// Args fill the template's {name} placeholders.
	Args map[string]string `json:"args,omitempty"`
}

// Text is a sentence in English and the phrases that say it: usually one,
// several when the sentence was joined from parts, none for words no
// language translates (a line as it went on the wire, a name). A language
// says the sentence only when it has every part; otherwise the page shows
// the English. It marshals to JSON as
//
//	{"en": "RCPT before MAIL: ...", "say": [{"key": "warn.rcpt-before-mail"}]}
//
// with "say" left out when there are no phrases; static/lang.js's said()
// turns it into the words of the page's language. A field holding a Text
// that may be empty is tagged omitzero.
type Text struct {
	// English is the sentence as the engine wrote it.
	English string `json:"en"`
	// Phrases say it in other languages.
	Phrases []Phrase `json:"say,omitempty"`
}

// Plain is s as a Text no language translates: a line, a name, a message
// from elsewhere.
func Plain(s string) Text { return Text{English: s} }

// IsZero reports whether t says nothing at all.
func (t Text) IsZero() bool { return t.English == "" && len(t.Phrases) == 0 }

// Entry is the text of an explanation the language files hold under key
// with no placeholders, such as "command.MAIL.text".
func Entry(key, english string) Text {
	return Text{English: english, Phrases: []Phrase{{Key: key}}}
}

// Join returns the texts one after another, separated by spaces.
func Join(texts ...Text) Text {
	var j Text
	for _, t := range texts {
		if t.English == "" {
			continue
		}
		if j.English != "" {
			j.English += " "
		}
		j.English += t.English
		j.Phrases = append(j.Phrases, t.Phrases...)
	}
	return j
}

// Worded returns english, said in other languages by parts: for a sentence
// whose English the parts, joined by spaces, cannot give, such as a title
// followed by its full stop.
func Worded(english string, parts ...Text) Text {
	t := Join(parts...)
	t.English = english
	return t
}

// Error is an error a person reads: its message is the English, and the page
// shows its phrases in the reader's language.
type Error struct{ Text }

// Error returns the English.
func (e *Error) Error() string { return e.English }

// Err returns t as an *Error.
func (t Text) Err() error { return &Error{t} }

// ErrorText is what err says to people: the Text of an *Error it wraps, else
// its message, plain.
func ErrorText(err error) Text {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Text
	}
	return Plain(err.Error())
}

// Book maps phrase keys to their English templates: every sentence of a
// package or of the whole engine, as the language files see them.
type Book map[string]string

// Merge returns one book holding the entries of all of books. A key that two
// books both hold is a programming error, and Merge panics.
func Merge(books ...Book) Book {
	all := Book{}
	for _, b := range books {
		for k, v := range b {
			if _, dup := all[k]; dup {
				panic("phrase: key " + k + " in two books")
			}
			all[k] = v
		}
	}
	return all
}

// Pair is one sentence of a Table: its key, then its English template.
type Pair [2]string

// Table is a package's sentences about one concern, in the order they are
// read. Unlike a Book it is laid out by the linker, so it costs nothing
// when the page starts; a map would be built by the package's init.
type Table []Pair

// Shelf is all of a package's tables, searched in turn when it says a
// sentence. A few hundred keys, a handful said per event: scanning them
// costs less than building a map for them at start.
type Shelf []Table

// Lookup returns the English template of key, and whether a table holds it.
func (s Shelf) Lookup(key string) (string, bool) {
	for _, t := range s {
		for _, p := range t {
			if p[0] == key {
				return p[1], true
			}
		}
	}
	return "", false
}

// Book returns the shelf's sentences as one Book. A key that two pairs both
// hold is a programming error, and Book panics.
func (s Shelf) Book() Book {
	all := Book{}
	for _, t := range s {
		for _, p := range t {
			if _, dup := all[p[0]]; dup {
				panic("phrase: key " + p[0] + " twice on a shelf")
			}
			all[p[0]] = p[1]
		}
	}
	return all
}

// Say returns the phrase key with args, given as name, value pairs, and its
// English. A key the shelf lacks, or an odd number of args, is a
// programming error that phrasetest.Check finds; Say then says the key
// itself.
func (s Shelf) Say(key string, args ...string) Text {
	p := Phrase{Key: key}
	if len(args) > 0 {
		p.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			p.Args[args[i]] = args[i+1]
		}
	}
	tmpl, ok := s.Lookup(key)
	if !ok {
		tmpl = key
	}
	return Text{English: Fill(tmpl, p.Args), Phrases: []Phrase{p}}
}

// placeholders calls f with each {name} of tmpl — a lower-case letter, then
// letters — as the start and end of the braces, in order.
func placeholders(tmpl string, f func(start, end int)) {
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] != '{' || i+1 >= len(tmpl) || !isLower(tmpl[i+1]) {
			continue
		}
		j := i + 2
		for j < len(tmpl) && (isLower(tmpl[j]) || 'A' <= tmpl[j] && tmpl[j] <= 'Z') {
			j++
		}
		if j < len(tmpl) && tmpl[j] == '}' {
			f(i, j+1)
			i = j
		}
	}
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// Fill replaces each {name} of tmpl with args[name]; a name args lack stays
// as it is.
func Fill(tmpl string, args map[string]string) string {
	var b strings.Builder
	last := 0
	placeholders(tmpl, func(start, end int) {
		if v, ok := args[tmpl[start+1:end-1]]; ok {
			b.WriteString(tmpl[last:start])
			b.WriteString(v)
			last = end
		}
	})
	if last == 0 {
		return tmpl
	}
	b.WriteString(tmpl[last:])
	return b.String()
}

// Placeholders lists the names tmpl uses, sorted, each once.
func Placeholders(tmpl string) []string {
	var names []string
	placeholders(tmpl, func(start, end int) { names = append(names, tmpl[start+1:end-1]) })
	slices.Sort(names)
	return slices.Compact(names)
}

// SamePlaceholders reports whether a translation uses exactly the
// placeholders of the English template, and says which differ if not.
func SamePlaceholders(english, translation string) error {
	want, got := Placeholders(english), Placeholders(translation)
	if slices.Equal(want, got) {
		return nil
	}
	return errors.New("placeholders {" + strings.Join(got, "} {") + "}, want {" + strings.Join(want, "} {") + "}")
}
