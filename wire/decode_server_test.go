package wire

import (
	"encoding/json"
	"reflect"
	"testing"
)

// serverFrames are the proxy's messages as they go on the wire, one of each
// type and shape: decoding one and encoding it again gives the same bytes.
var serverFrames = []struct {
	json string
	want ServerMessage
}{
	{`{"type":"opened","host":"sandbox","port":587,"remote":"sandbox","tls":"none","mailbox":"t0k"}`,
		&Opened{Type: TypeOpened, Host: "sandbox", Port: 587, Remote: "sandbox", TLS: "none", Mailbox: "t0k"}},
	{`{"type":"opened","host":"smtp.example.org","port":465,"remote":"192.0.2.1:465","tls":"implicit"}`,
		&Opened{Type: TypeOpened, Host: "smtp.example.org", Port: 465, Remote: "192.0.2.1:465", TLS: "implicit"}},
	{`{"type":"tls","version":"TLS 1.3","cipher":"TLS_AES_128_GCM_SHA256","server_name":"smtp.example.org","verified":false,"verify_error":"unknown authority","chain":[{"subject":"CN=smtp.example.org","issuer":"CN=CA","not_before":"2025-01-01T00:00:00Z","not_after":"2026-01-01T00:00:00Z","dns_names":["smtp.example.org"]}],"discarded":6}`,
		&TLS{Type: TypeTLS, Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", ServerName: "smtp.example.org", VerifyError: "unknown authority", Discarded: 6,
			Chain: []Cert{{Subject: "CN=smtp.example.org", Issuer: "CN=CA", NotBefore: "2025-01-01T00:00:00Z", NotAfter: "2026-01-01T00:00:00Z", DNSNames: []string{"smtp.example.org"}}}}},
	{`{"type":"delivered","id":"m1","from":"","to":["a@example.org","b@example.org"],"subject":"Hi","size":42}`,
		&Delivered{Type: TypeDelivered, ID: "m1", To: []string{"a@example.org", "b@example.org"}, Subject: "Hi", Size: 42}},
	{`{"type":"error","code":"reply_pending","message":"wait for the reply"}`,
		&Error{Type: TypeError, Code: ReplyPending, Message: "wait for the reply"}},
	{`{"type":"closed","by":"proxy","reason":"idle"}`,
		&Closed{Type: TypeClosed, By: ByProxy, Reason: "idle"}},
	{`{"type":"wire","chunks":[{"dir":"up","offset":0,"time":1700000000000000,"data":"RUhMTyB4DQo="},{"dir":"down","offset":30,"time":1700000000000001,"data":"FgMD"}],"keylog":"CLIENT_RANDOM 00 11\n","truncated":true}`,
		&Wire{Type: TypeWire, KeyLog: "CLIENT_RANDOM 00 11\n", Truncated: true, Chunks: []Chunk{
			{Dir: DirUp, Offset: 0, Time: 1700000000000000, Data: []byte("EHLO x\r\n")},
			{Dir: DirDown, Offset: 30, Time: 1700000000000001, Data: []byte{0x16, 3, 3}}}}},
	{`{"type":"opened","host":"sandbox","port":587,"remote":"sandbox","tls":"none","wire":true}`,
		&Opened{Type: TypeOpened, Host: "sandbox", Port: 587, Remote: "sandbox", TLS: "none", Wire: true}},
}

func TestDecodeServer(t *testing.T) {
	for _, f := range serverFrames {
		got, err := DecodeServer([]byte(f.json))
		if err != nil {
			t.Errorf("DecodeServer(%s): %v", f.json, err)
			continue
		}
		if !reflect.DeepEqual(got, f.want) {
			t.Errorf("DecodeServer(%s) = %#v, want %#v", f.json, got, f.want)
		}
		if got.MessageType() != f.want.MessageType() {
			t.Errorf("%s: MessageType %q", f.json, got.MessageType())
		}
		if b, _ := json.Marshal(f.want); string(b) != f.json {
			t.Errorf("%T encodes as\n%s, want\n%s", f.want, b, f.json)
		}
	}
}

func TestDecodeServerRefuses(t *testing.T) {
	for _, in := range []string{
		`{"type":"open","target":"sandbox"}`, // a client's message
		`{"type":"hello"}`,
		`{"code":"internal"}`,
		`{"type":"opened","port":"587"}`,
		`{"type":"error","code":7}`,
		`{"type":"tls","chain":{}}`,
		`[1,2]`,
		`null`,
		`{"type":"closed"`,
		``,
	} {
		m, err := DecodeServer([]byte(in))
		if err == nil || m != nil {
			t.Errorf("DecodeServer(%q) = %v, %v; want an error", in, m, err)
		} else if len(err.Error()) < 15 {
			t.Errorf("DecodeServer(%q): %q is not a sentence", in, err)
		}
	}
}

// FuzzDecodeServer: any bytes give either a message of the type the frame
// names, which encodes and decodes to itself, or an error written for a
// person; never a panic.
func FuzzDecodeServer(f *testing.F) {
	for _, s := range serverFrames {
		f.Add([]byte(s.json))
	}
	for _, s := range []string{`{"type":"open"}`, `{"type":1}`, `null`, "\x00", `{"type":"error","code":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeServer(data)
		if err != nil {
			if m != nil || err.Error() == "" {
				t.Fatalf("%q: %v and %v", data, m, err)
			}
			return
		}
		typ, _ := messageType(data)
		if m.MessageType() != typ {
			t.Fatalf("%q: a %s message from a %q frame", data, m.MessageType(), typ)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeServer(b)
		if err != nil || !reflect.DeepEqual(again, m) {
			t.Fatalf("%q: %s decodes to %#v, %v; want %#v", data, b, again, err, m)
		}
	})
}
