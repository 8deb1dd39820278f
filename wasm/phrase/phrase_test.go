package phrase

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"testing"
)

func TestSay(t *testing.T) {
	b := Shelf{{{"warn.x", "{verb} was removed from SMTP; expect {code}."}}, {{"plain", "No values."}}}
	got := b.Say("warn.x", "verb", "TURN", "code", "502")
	if got.English != "TURN was removed from SMTP; expect 502." {
		t.Errorf("English %q", got.English)
	}
	if len(got.Phrases) != 1 || got.Phrases[0].Key != "warn.x" || got.Phrases[0].Args["verb"] != "TURN" || len(got.Phrases[0].Args) != 2 {
		t.Errorf("phrases %+v", got.Phrases)
	}
	if p := b.Say("plain"); p.English != "No values." || p.Phrases[0].Args != nil {
		t.Errorf("plain %+v", p)
	}
	if p := b.Say("missing"); p.English != "missing" {
		t.Errorf("missing %+v", p)
	}
}

func TestFillLeavesUnknownNames(t *testing.T) {
	if got := Fill("{a} and {b} and {}", map[string]string{"a": "{b}"}); got != "{b} and {b} and {}" {
		t.Errorf("got %q", got)
	}
}

func TestSamePlaceholders(t *testing.T) {
	if err := SamePlaceholders("{verb} now {verb} {n}", "{n} teraz {verb}"); err != nil {
		t.Error(err)
	}
	if err := SamePlaceholders("{verb} now", "teraz {czasownik}"); err == nil {
		t.Error("a renamed placeholder passed")
	}
}

func TestShelf(t *testing.T) {
	s := Shelf{{{"a", "A."}, {"b", "B {n}."}}, {}, {{"c", "C."}}}
	want := Book{"a": "A.", "b": "B {n}.", "c": "C."}
	if got := s.Book(); !maps.Equal(got, want) {
		t.Errorf("Book() = %v, want %v", got, want)
	}
	for key, english := range want {
		if got, ok := s.Lookup(key); !ok || got != english {
			t.Errorf("Lookup(%q) = %q, %v", key, got, ok)
		}
	}
	if got, ok := s.Lookup("d"); ok || got != "" {
		t.Errorf("Lookup(d) = %q, %v", got, ok)
	}
}

func TestShelfBookPanicsOnADuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Shelf{{{"a", "1"}}, {{"b", "2"}, {"a", "3"}}}.Book()
}

func TestMergePanicsOnADuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Merge(Book{"a": "1"}, Book{"a": "2"})
}

func TestJoin(t *testing.T) {
	b := Shelf{{{"a", "One {n}."}, {"b", "Two."}}}
	j := Join(b.Say("a", "n", "1"), Text{}, Entry("command.MAIL.text", "Mail."), b.Say("b"))
	if j.English != "One 1. Mail. Two." || len(j.Phrases) != 3 || j.Phrases[1].Key != "command.MAIL.text" {
		t.Errorf("%+v", j)
	}
}

func TestWordedAndErr(t *testing.T) {
	b := Shelf{{{"title", "Service ready"}, {"note", "Say EHLO."}}}
	w := Worded("220 Service ready. Say EHLO.", b.Say("title"), b.Say("note"))
	if w.English != "220 Service ready. Say EHLO." || len(w.Phrases) != 2 {
		t.Errorf("%+v", w)
	}
	err := b.Say("note").Err()
	var pe *Error
	if !errors.As(err, &pe) || err.Error() != "Say EHLO." || pe.Phrases[0].Key != "note" {
		t.Errorf("%v %+v", err, pe)
	}
}

func TestTextJSON(t *testing.T) {
	b := Shelf{{{"a", "One {n}."}}}
	data, err := json.Marshal(struct {
		Said  Text `json:"said"`
		Plain Text `json:"plain"`
		None  Text `json:"none,omitzero"`
	}{b.Say("a", "n", "1"), Plain("EHLO x"), Join()})
	if want := `{"said":{"en":"One 1.","say":[{"key":"a","args":{"n":"1"}}]},"plain":{"en":"EHLO x"}}`; err != nil || string(data) != want {
		t.Errorf("got %s, %v\nwant %s", data, err, want)
	}
}

func TestErrorText(t *testing.T) {
	said := Shelf{{{"a", "A."}}}.Say("a")
	if got := ErrorText(fmt.Errorf("wrapped: %w", said.Err())); got.English != "A." || got.Phrases[0].Key != "a" {
		t.Errorf("%+v", got)
	}
	if got := ErrorText(errors.New("plain")); got.English != "plain" || got.Phrases != nil {
		t.Errorf("%+v", got)
	}
}
