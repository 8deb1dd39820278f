package compose

import "github.com/smtplay/smtplay/wasm/phrase"

// book holds every sentence this package writes for people, by key, in
// English (package phrase).
var book = phrase.Shelf{composeBook}

// say returns the sentence key of book, with its placeholders filled from
// args (name, value pairs).
func say(key string, args ...string) phrase.Text { return book.Say(key, args...) }

// Phrases returns the package's phrase book: the keys and English templates
// a language file (static/i18n/explain/<lang>.json) may translate.
func Phrases() phrase.Book { return book.Book() }
