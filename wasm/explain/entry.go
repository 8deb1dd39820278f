package explain

import (
	"slices"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Entry is one row of a table: what a command, code, capability, mechanism or
// header means. It marshals to JSON as is.
type Entry struct {
	// Key is what was looked up, in its canonical spelling: "MAIL", "250",
	// "5.7.8", "SIZE", "PLAIN", "Subject".
	Key string `json:"key"`
	// Title is the short name, e.g. "Requested mail action okay, completed".
	Title string `json:"title"`
	// Text explains it for a student in one to three sentences.
	Text string `json:"text"`
	// RFC names the defining document and section, e.g. "RFC 5321 §4.1.1.2".
	RFC string `json:"rfc"`

	// words names the entry in the language files, which keep its Title
	// and Text under words+".title" and words+".text": "command.MAIL",
	// "capability.vendor". Empty for an entry they do not name.
	words string
}

// SayTitle returns the Title with the phrase a language file says it by
// (package phrase): "reply.250.title", "command.MAIL.title",
// "capability.SIZE.title", "mechanism.PLAIN.title", "header.From.title";
// "command.vendor.title" and the like for the private (X) entries. An entry
// the files do not name, such as an unknown code, has no phrase: the page
// then shows the English.
func (e Entry) SayTitle() phrase.Text { return e.said(".title", e.Title) }

// SayText returns the Text likewise, by the key ending in ".text".
func (e Entry) SayText() phrase.Text { return e.said(".text", e.Text) }

func (e Entry) said(part, english string) phrase.Text {
	if e.words == "" {
		return phrase.Text{English: english}
	}
	return phrase.Entry(e.words+part, english)
}

// find returns the entry of table whose Key is key. The tables keep the order
// they read best in (by RFC, by use), and a scan of a few dozen entries is as
// quick as a map lookup; a map would be built by the package's init each
// time the page starts, a slice of constants is laid out by the linker.
func find(table []Entry, key string) (Entry, bool) {
	i := slices.IndexFunc(table, func(e Entry) bool { return e.Key == key })
	if i < 0 {
		return Entry{}, false
	}
	return table[i], true
}
