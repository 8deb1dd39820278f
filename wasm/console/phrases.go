package console

import (
	"maps"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// book holds every sentence this package writes for people, by key, in
// English (package phrase). Each concern keeps its own table.
var book = phrase.Merge(sentenceBook, droppedBook, planBook, codeBook, toolBook, replayBook)

// say returns the sentence key of book, with its placeholders filled from
// args (name, value pairs).
func say(key string, args ...string) phrase.Text { return book.Say(key, args...) }

// Phrases returns the package's phrase book: the keys and English templates
// a language file (static/i18n/explain/<lang>.json) may translate.
func Phrases() phrase.Book { return maps.Clone(book) }

// textError is an error the page shows: its message is the English of a
// sentence, and Text gives the phrases another language says it with.
type textError phrase.Text

// asError returns the sentence t as an error.
func asError(t phrase.Text) error {
	e := textError(t)
	return &e
}

func (e *textError) Error() string { return e.English }

// Text returns the error's sentence and its phrases.
func (e *textError) Text() phrase.Text { return phrase.Text(*e) }
