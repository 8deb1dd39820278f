package main

import (
	"github.com/smtplay/smtplay/wasm/authhelp"
	"github.com/smtplay/smtplay/wasm/compose"
	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// enginePhrases are the sentences the engine's packages write for people,
// by key (package phrase): a language file may translate each of them.
func enginePhrases() phrase.Book {
	return phrase.Merge(session.Phrases(), console.Phrases(), authhelp.Phrases(), compose.Phrases(), explain.Phrases())
}
