package console

import (
	"github.com/smtplay/smtplay/wasm/authhelp"
	"github.com/smtplay/smtplay/wasm/compose"
	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// EnginePhrases is every sentence the page's engine writes for people, by
// key, from all its packages: what a language file
// (static/i18n/explain/<lang>.json) may translate.
func EnginePhrases() phrase.Book {
	return phrase.Merge(session.Phrases(), Phrases(), authhelp.Phrases(), compose.Phrases(), explain.Phrases())
}
