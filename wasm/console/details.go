package console

import (
	"slices"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// detailBook holds the proxy's sentences (wire.Details) as phrases
// "detail.<key>", each cut before a nested sentence (wire.Stem), which is
// said as a phrase of its own after it. "retold.*" are the words the
// console puts before a proxy's sentence it tells in the engine's place.
var detailBook = func() phrase.Book {
	b := phrase.Book{
		"retold.reason":  "Reason given:",
		"retold.refused": "The proxy refused the line ({code}):",
		"retold.lost":    "the connection to the playground was lost",
	}
	for key := range wire.Details {
		b["detail."+key] = wire.Stem(key)
	}
	return b
}()

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

// The engine's phrases that carry the proxy's English in an argument
// (package session: Closed and Refused take plain strings), which retell
// replaces.
const (
	closedReason   = "event.closed.reason"   // "Reason given: {reason}"
	refusedMessage = "event.refused.message" // "({message})"
	refusedWarning = "warn.refused"          // "The proxy refused the line ({code}): {message}"
)

// retell tells the engine's events in their own English, with every phrase
// key replaced by the phrases of with, so that a language says the proxy's
// sentence instead of showing its English inside its own.
func retell(evs []session.Event, key string, with phrase.Text) {
	for i := range evs {
		ev := &evs[i]
		ev.Text = swap(ev.Text, key, with)
		if ev.Warning != nil {
			w := *ev.Warning
			w.Message = swap(w.Message, key, with)
			ev.Warning = &w
		}
		if ev.Entry != nil {
			e := *ev.Entry
			e.Text = swap(e.Text, key, with)
			e.Warnings = slices.Clone(e.Warnings) // the session keeps the original
			for j := range e.Warnings {
				e.Warnings[j].Message = swap(e.Warnings[j].Message, key, with)
			}
			ev.Entry = &e
		}
	}
}

// swap returns t with each phrase key replaced by the phrases of with.
func swap(t phrase.Text, key string, with phrase.Text) phrase.Text {
	if !slices.ContainsFunc(t.Phrases, func(p phrase.Phrase) bool { return p.Key == key }) {
		return t
	}
	out := phrase.Text{English: t.English}
	for _, p := range t.Phrases {
		if p.Key == key {
			out.Phrases = append(out.Phrases, with.Phrases...)
		} else {
			out.Phrases = append(out.Phrases, p)
		}
	}
	return out
}
