package console

import "github.com/smtplay/smtplay/wasm/phrase"

// book holds every sentence this package writes for people, by key, in
// English (package phrase). Each concern keeps its own table.
var book = phrase.Shelf{sentenceBook, droppedBook, planBook, codeBook, toolBook, replayBook}

// say returns the sentence key of book, with its placeholders filled from
// args (name, value pairs).
func say(key string, args ...string) phrase.Text { return book.Say(key, args...) }

// Phrases returns the package's phrase book: the keys and English templates
// a language file (static/i18n/explain/<lang>.json) may translate, with the
// proxy's sentences (detailBook).
func Phrases() phrase.Book { return phrase.Merge(book.Book(), detailBook()) }
