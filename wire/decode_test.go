package wire

import (
	"encoding/json"
	"testing"
)

func TestDecodeClient(t *testing.T) {
	tests := []struct {
		in   string
		want any
		ok   bool
	}{
		{`{"type":"open","target":"sandbox"}`, &Open{Type: TypeOpen, Target: "sandbox"}, true},
		{`{"type":"open","host":"smtp.example.org","port":587,"mailbox":"t"}`, &Open{Type: TypeOpen, Host: "smtp.example.org", Port: 587, Mailbox: "t"}, true},
		{`{"type":"open","target":"sandbox","wire":true}`, &Open{Type: TypeOpen, Target: "sandbox", Wire: true}, true},
		{`{"type":"open","target":"sandbox","wire":"yes"}`, nil, false},
		{`{"type":"close"}`, &Close{Type: TypeClose}, true},
		{`{"type":"opened"}`, nil, false},
		{`{"target":"sandbox"}`, nil, false},
		{`{"type":"open","port":"587"}`, nil, false},
		{`[1,2]`, nil, false},
		{`{"type":"open"`, nil, false},
		{"\xff", nil, false},
		{``, nil, false},
	}
	for _, tt := range tests {
		got, err := DecodeClient([]byte(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("DecodeClient(%q) error %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(tt.want)
			if string(g) != string(w) {
				t.Errorf("DecodeClient(%q) = %s, want %s", tt.in, g, w)
			}
		} else if len(err.Error()) < 15 {
			t.Errorf("DecodeClient(%q): %q is not a sentence", tt.in, err)
		}
	}
}

// FuzzDecodeClient: any bytes give either an Open or a Close, or an error
// written for a person; never a panic.
func FuzzDecodeClient(f *testing.F) {
	for _, s := range []string{`{"type":"open","target":"sandbox"}`, `{"type":"close"}`, `{"type":1}`, `null`, "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := DecodeClient(data)
		switch m := msg.(type) {
		case *Open:
			if err != nil || m.Type != TypeOpen {
				t.Fatalf("%q: %+v, %v", data, m, err)
			}
		case *Close:
			if err != nil {
				t.Fatal(err)
			}
		case nil:
			if err == nil || err.Error() == "" {
				t.Fatalf("%q: no message and no error", data)
			}
		default:
			t.Fatalf("%q: unexpected %T", data, msg)
		}
	})
}
