package session

import (
	"strconv"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Outcome says whether a reply bore out the prediction shown before its
// line was sent: the loop from warning to reply, closed.
type Outcome struct {
	// Warning is the code of the warning that predicted the reply.
	Warning string `json:"warning"`
	// Expected is the code predicted, or "2xx" when the server was known to
	// accept the line.
	Expected string `json:"expected"`
	// Held is true when the reply is the one predicted (an error of the
	// same class counts: servers choose among the codes RFC 5321 allows).
	Held bool `json:"held"`
	// Note says so, and why a prediction did not hold.
	Note phrase.Text `json:"note"`
}

// outcomeBook holds the sentences of an Outcome.
var outcomeBook = phrase.Table{
	{"outcome.held", "As predicted: {code}."},
	{"outcome.near", "Refused as predicted, with {code} where {expected} was expected: servers choose among the codes RFC 5321 allows."},
	{"outcome.lenient", "The prediction did not hold: the server answered {code}, not {expected}. It is lenient here, although {rfc} asks otherwise; strict servers refuse it."},
	{"outcome.contradicted", "The prediction did not hold: the server answered {code}, not {expected}."},
	{"outcome.accepted", "As predicted, this server accepted it."},
	{"outcome.refused", "This server refused it after all, with {code}."},
}

// predictions are the warnings of a line that predict its reply: the
// first with an expected code, else one that says the server accepts it.
func predictions(w []Warning) *Warning {
	for i := range w {
		if w[i].Expect != "" {
			return &w[i]
		}
	}
	for i := range w {
		if w[i].Accepted {
			return &w[i]
		}
	}
	return nil
}

// outcome compares the reply code with what w predicted; nil when nothing
// was predicted.
func outcome(w *Warning, code int) *Outcome {
	if w == nil {
		return nil
	}
	got := strconv.Itoa(code)
	ok := code < 400
	if w.Expect == "" {
		o := &Outcome{Warning: w.Code, Expected: "2xx", Held: ok, Note: say("outcome.accepted")}
		if !ok {
			o.Note = say("outcome.refused", "code", got)
		}
		return o
	}
	o := &Outcome{Warning: w.Code, Expected: w.Expect}
	switch {
	case got == w.Expect:
		o.Held, o.Note = true, say("outcome.held", "code", got)
	case got[0] == w.Expect[0]:
		o.Held, o.Note = true, say("outcome.near", "code", got, "expected", w.Expect)
	case ok:
		o.Note = say("outcome.lenient", "code", got, "expected", w.Expect, "rfc", w.RFC)
	default:
		o.Note = say("outcome.contradicted", "code", got, "expected", w.Expect)
	}
	return o
}
