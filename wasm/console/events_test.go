package console

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// An event's text and an error's sentence go to JSON as one phrase.Text
// each, and come back.
func TestEventJSON(t *testing.T) {
	s := Sentence("not_allowed")
	ev := Event{Type: EventError, Text: phrase.Plain("Dropped."), Error: &Error{Code: "not_allowed", Sentence: s}}
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Text  map[string]any `json:"text"`
		Error struct {
			Sentence map[string]any `json:"sentence"`
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &raw); err != nil || raw.Text["en"] != "Dropped." || raw.Error.Sentence["en"] != s.English || raw.Error.Sentence["say"] == nil {
		t.Errorf("%s %v", data, err)
	}
	var back Event
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back.Text, ev.Text) || !reflect.DeepEqual(back.Error, ev.Error) {
		t.Errorf("back %+v %+v, %v", back, back.Error, err)
	}
}
