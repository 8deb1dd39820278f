package pagejson_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/internal/pagejson"
	"github.com/smtplay/smtplay/wasm/compose"
	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// Base and Inner are embedded in kitchen; Base's Name loses to kitchen's.
type Base struct {
	Name  string `json:"name"`
	Depth int
}

type Inner struct {
	Note string `json:"note,omitempty"`
	Both int    `json:"both"`
}

type Other struct {
	Both int `json:"both"`
}

// kitchen has one of everything the codec claims to handle.
type kitchen struct {
	Base
	*Inner
	Other
	Name    string            `json:"name"`
	Hidden  string            `json:"-"`
	private int               //nolint:unused // unexported: never encoded
	Plain   int8              //
	U       uint16            `json:"u,omitempty"`
	F32     float32           `json:"f32"`
	F64     float64           `json:"f64,omitempty"`
	Bytes   []byte            `json:"bytes"`
	Text    phrase.Text       `json:"text,omitzero"`
	Ints    map[int]string    `json:"ints"`
	Strs    map[string][]bool `json:"strs,omitempty"`
	Arr     [2]uint           `json:"arr"`
	Any     any               `json:"any"`
	Ptr     *Inner            `json:"ptr"`
	Slice   []*Base           `json:"slice"`
}

// selfEncoded adds types with MarshalJSON and MarshalText, which the
// page encodes but never decodes.
type selfEncoded struct {
	kitchen
	When   time.Time          `json:"when"`
	WhenP  *time.Time         `json:"when_p,omitempty"`
	Addr   netip.Addr         `json:"addr"`
	ByAddr map[netip.Addr]int `json:"by_addr,omitempty"`
}

// targets are the types the page decodes into and encodes, and more.
func targets() []func() any {
	return []func() any{
		func() any { return new(any) },
		func() any { return new(kitchen) },
		func() any { return new(console.Event) },
		func() any { return new(console.View) },
		func() any { return new(console.Target) },
		func() any { return new(console.CodeOptions) },
		func() any { return new(console.ReplayOptions) },
		func() any { return new(compose.Message) },
		func() any { return new([]string) },
		func() any { return new(wire.Opened) },
		func() any { return new(wire.TLS) },
		func() any { return new(wire.Wire) },
		func() any { return new(wire.Error) },
		func() any { return new(map[string]float64) },
	}
}

func sample() kitchen {
	return kitchen{
		Base:   Base{Name: "base", Depth: 2},
		Inner:  &Inner{Note: "<a&b>", Both: 3},
		Name:   "top \u2028 \x00 \x7f \xff é \"q\" \\ \t\n\r\b\f /",
		Hidden: "h", private: 1, Plain: -8, U: 65535,
		F32: 3.1415927, F64: 1e21, Bytes: []byte{0, 1, 2, 250},
		Text:  phrase.Text{English: "hi", Phrases: []phrase.Phrase{{Key: "k", Args: map[string]string{"b": "2", "a": "1"}}}},
		Ints:  map[int]string{10: "ten", -1: "minus", 2: "two"},
		Strs:  map[string][]bool{"z": {true}, "a": nil},
		Arr:   [2]uint{7, 8},
		Any:   map[string]any{"n": 1.5e-7, "l": []any{"x", nil, true}},
		Slice: []*Base{nil, {Name: "b"}},
	}
}

func sampleSelfEncoded() selfEncoded {
	when := time.Date(2026, 12, 3, 1, 2, 3, 456789, time.FixedZone("x", 3600))
	return selfEncoded{
		kitchen: sample(), When: when, WhenP: &when, Addr: netip.MustParseAddr("2001:db8::1"),
		ByAddr: map[netip.Addr]int{netip.MustParseAddr("10.0.0.1"): 1},
	}
}

// TestEncodeLikeJSON holds Encode against json.Marshal byte for byte.
func TestEncodeLikeJSON(t *testing.T) {
	values := []any{
		nil, true, 0, -1, uint64(math.MaxUint64), 1.0, 0.1, 1e-7, 123456789e15, -0.0, float32(1e-7), math.MaxFloat64,
		"", "plain", sample(), &kitchen{}, sampleSelfEncoded(), selfEncoded{}, []byte(nil), []int{}, map[string]int(nil),
		phrase.Text{}, console.Event{Type: "line", Text: phrase.Plain("x")}, console.View{Queued: 2},
		wire.Wire{Type: wire.TypeWire, Chunks: []wire.Chunk{{Dir: "c2s", Data: []byte("EHLO\r\n")}}},
		session.Entry{Seq: 1, Time: time.Unix(1e9, 5).UTC()}, []session.Entry{{}},
	}
	for _, v := range values {
		want, werr := json.Marshal(v)
		got, gerr := pagejson.Encode(v)
		if (werr != nil) != (gerr != nil) || !bytes.Equal(got, want) {
			t.Errorf("%#v:\n got %s (%v)\nwant %s (%v)", v, got, gerr, want, werr)
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), make(chan int), map[[2]int]int{{1, 2}: 3}} {
		if _, err := pagejson.Encode(bad); err == nil {
			t.Errorf("Encode(%#v) gave no error; json.Marshal does", bad)
		}
	}
}

// FuzzCodec decodes the input into every target with json.Unmarshal and
// with Decode, which must agree on whether it is an error and, when not,
// on the value; that value must encode to the same bytes with both.
func FuzzCodec(f *testing.F) {
	s := sample()
	seeds := []any{s, console.Event{Type: "line", Opened: &wire.Opened{Port: 25}}, console.Target{Name: "t", Port: 587}, compose.Message{From: "a@b", EightBit: true}, []string{"a", "\u00e9"}}
	for _, v := range seeds {
		b, _ := json.Marshal(v)
		f.Add(b)
	}
	for _, in := range []string{
		`{"NAME":"fold","name":"exact","Depth":1.5,"u":-1,"f32":1e39,"ints":{"x":"bad"},"arr":[1,2,3],"any":[{}]}`,
		`{"when":"not a time"}`, `{"addr":"nope"}`, `{"addr":null,"ptr":null,"slice":null,"when_p":null,"when":null}`, `{"when_p":"2026-01-02T03:04:05Z","ptr":{"note":"n"}}`, `{"bytes":"AA=="}`, `{"bytes":"A"}`,
		`"\ud800\udc00 \ud800 \udc00x \u00e9 \/"`, `[1,2,]`, `{"a":1,}`, `01`, `-`, `1.`, `1e`, `tru`, ` [ ] `, `{"a" 1}`, "\"\xff\"", "\"\t\"",
		`{"type":"opened","host":"h","port":99999999999999999999}`, `{"session":[{"dir":"x"}],"view":{"queued":1}}`, `{"ints":{"12":"a","-3":"b"}}`,
		`{"by_addr":{"::1":2}}`, `{"Inner":{"note":"x"},"both":4}`, `[[[[[[[[[[]]]]]]]]]]`, `{"any":1.5e400}`,
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, target := range targets() {
			want, got := target(), target()
			werr := json.Unmarshal(data, want)
			gerr := pagejson.Decode(data, got)
			if (werr != nil) != (gerr != nil) {
				t.Fatalf("%T from %q: json.Unmarshal says %v, Decode says %v", want, data, werr, gerr)
			}
			if werr != nil {
				continue
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("%T from %q:\n got %#v\nwant %#v", want, data, got, want)
			}
			wb, werr := json.Marshal(want)
			gb, gerr := pagejson.Encode(want)
			if (werr != nil) != (gerr != nil) || !bytes.Equal(wb, gb) {
				t.Fatalf("%T %#v:\n got %s (%v)\nwant %s (%v)", want, want, gb, gerr, wb, werr)
			}
		}
	})
}

// TestDecodeRefusesOwnDecoding checks that a type with its own
// UnmarshalJSON or UnmarshalText is refused with an error, not decoded
// differently from encoding/json.
func TestDecodeRefusesOwnDecoding(t *testing.T) {
	for _, in := range []struct {
		json string
		into any
	}{
		{`"2026-01-02T03:04:05Z"`, new(time.Time)},
		{`{"time":"2026-01-02T03:04:05Z"}`, new(session.Entry)},
		{`"::1"`, new(netip.Addr)},
		{`{"::1":1}`, new(map[netip.Addr]int)},
	} {
		if err := pagejson.Decode([]byte(in.json), in.into); err == nil || !strings.Contains(err.Error(), "own UnmarshalJSON") {
			t.Errorf("Decode(%s) into %T: %v, want an error naming UnmarshalJSON", in.json, in.into, err)
		}
	}
}

// BenchmarkEncodeEvent encodes what the page sends for each event: an Event
// with its View, here for a greeting and an EHLO reply.
func BenchmarkEncodeEvent(b *testing.B) {
	s := session.New(session.Options{})
	evs := s.Receive([]byte("220 sandbox ESMTP ready\r\n"))
	if _, err := s.Submit("EHLO client.example"); err != nil {
		b.Fatal(err)
	}
	evs = append(evs, s.Receive([]byte("250-sandbox\r\n250-SIZE 1000000\r\n250 AUTH PLAIN LOGIN\r\n"))...)
	ev := console.Event{Type: console.EventServer, Session: evs, View: console.New(func(console.Event) {}, nil).View()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pagejson.Encode(ev); err != nil {
			b.Fatal(err)
		}
	}
}
