//go:build !js

package console

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wire"
)

// With the wire view on, a sandbox session shows its AUTH line and what its
// base64 says before STARTTLS, TLS records after it, and makes a capture
// file with the key log inside.
func TestWireViewOfASession(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	c.SetWire(true)
	if o := open(t, c, r, pg, "sandbox"); !o.Wire {
		t.Fatalf("opened %+v: the wire was not asked for", o)
	}
	ask(t, c, r, "EHLO wire.test")
	c.Submit("AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", true)
	if rep := r.reply(t); rep.Code != 235 {
		t.Fatalf("AUTH: %+v", rep)
	}
	ask(t, c, r, "STARTTLS")
	r.next(t, EventTLS)
	ask(t, c, r, "EHLO wire.test")
	ask(t, c, r, "MAIL FROM:<student@example.org>")
	c.Submit("QUIT", false)
	r.next(t, EventClosed)

	var items []WireItem
	keyLog := false
	r.mu.Lock()
	for _, ev := range r.all {
		if ev.Type == EventWire {
			items = append(items, ev.Wire.Items...)
			keyLog = keyLog || ev.Wire.KeyLog
		}
	}
	r.mu.Unlock()
	var auth *WireItem
	records := map[string]int{}
	for i, it := range items {
		if it.Text == "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=␍␊" {
			auth = &items[i]
		}
		if it.Record != nil {
			records[it.Dir+" "+it.Record.Name]++
		} else if auth == nil && strings.Contains(it.Text, "MAIL") {
			t.Fatalf("MAIL in the clear: %+v", it)
		}
	}
	if auth == nil || auth.Decoded != "␀student␀practice" || auth.Dir != wire.DirUp {
		t.Fatalf("AUTH line %+v in %+v", auth, items)
	}
	for _, want := range []string{"up handshake", "down handshake", "up application_data", "down application_data"} {
		if records[want] == 0 {
			t.Fatalf("no %s record: %v", want, records)
		}
	}
	if !keyLog || !strings.Contains(c.KeyLog(), "CLIENT_TRAFFIC_SECRET_0 ") {
		t.Fatalf("key log %v %q", keyLog, c.KeyLog())
	}
	f, ok := c.Capture()
	if !ok || !bytes.HasPrefix(f, []byte{0x0a, 0x0d, 0x0d, 0x0a}) || !bytes.Contains(f, []byte("AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=\r\n")) ||
		!bytes.Contains(f, []byte("CLIENT_TRAFFIC_SECRET_0 ")) {
		t.Fatalf("capture of %d bytes, ok %v", len(f), ok)
	}
}

// Without the wire view, the proxy is not asked and there is no capture.
func TestNoWireViewNoCapture(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	if o := open(t, c, r, pg, "sandbox"); o.Wire {
		t.Fatalf("opened %+v", o)
	}
	ask(t, c, r, "EHLO wire.test")
	if _, ok := c.Capture(); ok {
		t.Fatal("a capture without the wire view")
	}
}

// The reader cuts lines and records across chunks, decodes AUTH LOGIN's
// challenges and answers, and shows control bytes.
func TestWireReader(t *testing.T) {
	stream := map[string][]byte{
		wire.DirDown: []byte("334 VXNlcm5hbWU6\r\n220 go\r\n\x16\x03\x03\x00\x02\xab\xcd\x17\x03\x03\x00\x01\xef"),
		wire.DirUp:   []byte("AUTH LOGIN\r\nc3R1ZGVudA==\r\nSTARTTLS\r\n\x01\xff\r\n\x16\x03\x01\x00\x00"),
	}
	// Interleaved as a conversation would be, in pieces of 3 bytes.
	order := []struct {
		dir  string
		upTo int
	}{{wire.DirUp, 12}, {wire.DirDown, 18}, {wire.DirUp, 26}, {wire.DirDown, 26}, {wire.DirUp, 45}, {wire.DirDown, 39}}
	w := newWireReader()
	var got []string
	done := map[string]int{}
	for _, o := range order {
		for done[o.dir] < o.upTo {
			n := min(3, o.upTo-done[o.dir])
			for _, it := range w.read(wire.Chunk{Dir: o.dir, Offset: int64(done[o.dir]), Data: stream[o.dir][done[o.dir] : done[o.dir]+n]}) {
				s := it.Dir + " " + it.Text
				if it.Decoded != "" {
					s += " = " + it.Decoded
				}
				if it.Record != nil {
					s = it.Dir + " " + it.Record.Name + " " + it.Record.Version + " " + strconv.Itoa(it.Record.Length) + " " + it.Record.Head
				}
				got = append(got, s)
			}
			done[o.dir] += n
		}
	}
	want := []string{
		"up AUTH LOGIN␍␊",
		"down 334 VXNlcm5hbWU6␍␊ = Username:",
		"up c3R1ZGVudA==␍␊ = student",
		"down 220 go␍␊",
		"up STARTTLS␍␊",
		`up \x01\xff␍␊`,
		"up handshake TLS 1.0 0 ",
		"down handshake TLS 1.2 2 abcd",
		"down application_data TLS 1.2 1 ef",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
