package console

import (
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wire"
)

// detailBook returns the proxy's sentences (wire.Details) as phrases
// "detail.<key>", each cut before a nested sentence (wire.Stem), which is
// said as a phrase of its own after it. The page says them by key
// (proxySaid) and never looks them up, so only Phrases builds the book.
func detailBook() phrase.Book {
	b := phrase.Book{}
	for key := range wire.Details {
		b["detail."+key] = wire.Stem(key)
	}
	return b
}

// proxySaid is what the proxy said: its English, in phrases a language may
// translate when the message names a sentence of wire.Details the page
// knows, else as plain text.
func proxySaid(s wire.Said, named bool, english string) phrase.Text {
	if !named || !s.Known() {
		return phrase.Plain(english)
	}
	t := phrase.Text{English: english}
	for _, p := range s.Parts() {
		t.Phrases = append(t.Phrases, phrase.Phrase{Key: "detail." + p.Key, Args: p.Args})
	}
	return t
}
