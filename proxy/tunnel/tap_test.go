package tunnel

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/internal/leaktest"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/wire"
	"go.uber.org/goleak"
)

var sandboxTarget = policy.Target{Name: "sandbox", Host: "sandbox", Port: 587, TLS: policy.TLSNone, Sandbox: "sandbox"}

// startSandboxTunnel serves a tunnel to a real sandbox.
func startSandboxTunnel(t *testing.T, limits Limits) (*Server, string) {
	t.Helper()
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, url := startTunnel(t, Config{Sandbox: sandbox.Tunneled{Sandbox: sb}, Limits: limits}, sandboxTarget)
	t.Cleanup(func() { _ = sb.Shutdown(t.Context()) })
	return srv, url
}

// wireClient reads a session that asked for the wire: it keeps the wire
// messages aside and hands out everything else in order.
type wireClient struct {
	*client
	wires []wire.Wire
}

// next returns the next message that is not a wire message.
func (w *wireClient) next() (string, []byte) {
	w.T.Helper()
	for {
		typ, data := w.Next()
		if typ != wire.TypeWire {
			return typ, data
		}
		var m wire.Wire
		if err := json.Unmarshal(data, &m); err != nil {
			w.T.Fatal(err)
		}
		w.wires = append(w.wires, m)
	}
}

// reply reads server lines up to the last line of one reply.
func (w *wireClient) reply() string {
	w.T.Helper()
	var b strings.Builder
	for {
		typ, data := w.next()
		if typ != "" {
			w.T.Fatalf("got %s %q inside a reply", typ, data)
		}
		b.Write(data)
		if len(data) < 4 || data[3] != '-' {
			return b.String()
		}
	}
}

func (w *wireClient) expect(typ string) []byte {
	w.T.Helper()
	got, data := w.next()
	if got != typ {
		w.T.Fatalf("got %s %q, want %s", got, data, typ)
	}
	return data
}

// streams joins the captured chunks of each direction, checking that
// offsets follow each other, and returns them with the key log.
func (w *wireClient) streams() (up, down []byte, keyLog string) {
	w.T.Helper()
	var dirs = map[string]*[]byte{wire.DirUp: &up, wire.DirDown: &down}
	for _, m := range w.wires {
		keyLog += m.KeyLog
		if len(m.Chunks) == 0 && m.KeyLog == "" && !m.Truncated {
			w.T.Fatalf("an empty wire message: %+v", m)
		}
		for _, c := range m.Chunks {
			s := dirs[c.Dir]
			if s == nil || c.Offset != int64(len(*s)) || c.Time == 0 || len(c.Data) == 0 {
				w.T.Fatalf("chunk %s at %d (have %d), time %d, %d bytes", c.Dir, c.Offset, len(*s), c.Time, len(c.Data))
			}
			*s = append(*s, c.Data...)
		}
	}
	return up, down, keyLog
}

// starttlsSession runs EHLO, STARTTLS, EHLO, AUTH, MAIL, QUIT through a
// session that asked for the wire, and returns it once closed.
func starttlsSession(t *testing.T, url, target, auth string) *wireClient {
	w := &wireClient{client: dial(t, url)}
	if o := w.OpenWith(wire.Open{Target: target, Wire: true}); !o.Wire {
		t.Fatalf("opened = %+v, want wire", o)
	}
	w.reply()
	w.Send("EHLO wire.test\r\n")
	w.reply()
	w.Send("STARTTLS\r\n")
	if r := w.reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("STARTTLS: %q", r)
	}
	w.expect(wire.TypeTLS)
	w.Send("EHLO wire.test\r\n")
	w.reply()
	w.Send("AUTH PLAIN " + auth + "\r\n")
	if r := w.reply(); !strings.HasPrefix(r, "235 ") {
		t.Fatalf("AUTH: %q", r)
	}
	w.Send("MAIL FROM:<student@example.org>\r\n")
	w.reply()
	w.Send("QUIT\r\n")
	w.reply()
	w.expect(wire.TypeClosed)
	return w
}

// tlsAfter checks that stream is plaintext up to and including head, then
// TLS records only (each a known content type and TLS 1.x version), and
// that none of secrets appears after head.
func tlsAfter(t *testing.T, name string, stream []byte, head string, secrets ...string) {
	t.Helper()
	i := bytes.Index(stream, []byte(head))
	if i < 0 {
		t.Fatalf("%s: %q not in %q", name, head, stream[:min(len(stream), 300)])
	}
	rest := stream[i+len(head):]
	if len(rest) < 100 {
		t.Fatalf("%s: only %d bytes after %q", name, len(rest), head)
	}
	for len(rest) > 0 {
		if len(rest) < 5 || rest[0] < 20 || rest[0] > 23 || rest[1] != 3 {
			t.Fatalf("%s: not a TLS record header: % x", name, rest[:min(len(rest), 5)])
		}
		n := 5 + int(rest[3])<<8 + int(rest[4])
		if n > len(rest) {
			t.Fatalf("%s: record of %d bytes, %d left", name, n, len(rest))
		}
		rest = rest[n:]
	}
	for _, s := range secrets {
		if bytes.Contains(stream[i+len(head):], []byte(s)) {
			t.Fatalf("%s: %q in the clear after %q", name, s, head)
		}
	}
}

// On the sandbox the capture is plaintext up to STARTTLS and TLS records
// after it, and the key log of the proxy's TLS client comes along. The
// tap leaves no goroutine behind.
func TestWireSandboxSTARTTLS(t *testing.T) {
	srv, url := startSandboxTunnel(t, Limits{})
	ignore := goleak.IgnoreCurrent()
	w := starttlsSession(t, url, "sandbox", "AHN0dWRlbnQAcHJhY3RpY2U=")
	w.Conn.CloseNow()
	waitFor(t, func() bool { return srv.Sessions() == 0 })
	leaktest.Check(t, ignore)
	up, down, keyLog := w.streams()
	if !bytes.HasPrefix(up, []byte("EHLO wire.test\r\nSTARTTLS\r\n")) {
		t.Fatalf("up starts %q", up[:min(len(up), 40)])
	}
	tlsAfter(t, "up", up, "STARTTLS\r\n", "AUTH", "MAIL", "AHN0dWRlbnQAcHJhY3RpY2U=", "QUIT")
	if !bytes.HasPrefix(down, []byte("220 ")) {
		t.Fatalf("down starts %q", down[:min(len(down), 40)])
	}
	tlsAfter(t, "down", down, "220 2.0.0 Ready to start TLS\r\n", "235", "250 ")
	for _, label := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET ", "SERVER_TRAFFIC_SECRET_0 ", "CLIENT_TRAFFIC_SECRET_0 "} {
		if !strings.Contains(keyLog, label) {
			t.Fatalf("key log lacks %s: %q", label, keyLog)
		}
	}
}

// A real server's capture has its TLS records but never a key log.
func TestWireRealServerHasNoKeyLog(t *testing.T) {
	ca := newTestCA(t)
	_, port := startGoSMTP(t, ca.serverConfig(t, "localhost"), false)
	_, url := startTunnel(t, lab(Config{RootCAs: ca.Pool}), localTarget("real", port))
	w := starttlsSession(t, url, "real", "AHVzZXIAcGFzcw==")
	up, down, keyLog := w.streams()
	if keyLog != "" {
		t.Fatalf("key log for a real server: %q", keyLog)
	}
	tlsAfter(t, "up", up, "STARTTLS\r\n", "AUTH", "MAIL", "AHVzZXIAcGFzcw==")
	tlsAfter(t, "down", down, "220 2.0.0 Ready to start TLS\r\n", "235")
}

// A client that does not ask gets nothing new.
func TestWireNotAsked(t *testing.T) {
	_, url := startSandboxTunnel(t, Limits{})
	c := dial(t, url)
	if o := c.Open("sandbox"); o.Wire {
		t.Fatalf("opened = %+v", o)
	}
	c.Reply()
	c.Send("EHLO wire.test\r\n")
	c.Reply() // fails on any message that is not a server line
	c.Send("QUIT\r\n")
	c.Reply()
	c.Closed(wire.ByServer)
}

// The capture stops at the cap (here the byte budget), says so once, and
// the session goes on.
func TestWireCap(t *testing.T) {
	srv := startScripted(t, smtpish)
	const budget = 3000
	_, url := startTunnel(t, lab(Config{Limits: Limits{ByteBudget: budget}}), localTarget("real", srv.port()))
	w := &wireClient{client: dial(t, url)}
	w.OpenWith(wire.Open{Target: "real", Wire: true})
	w.reply()
	line := "NOOP " + strings.Repeat("x", 410) + "\r\n" // 7 of them and QUIT fit the budget, not the cap
	for range 7 {
		w.Send(line)
		w.reply()
	}
	time.Sleep(3 * wire.CaptureFlush)
	w.Send("QUIT\r\n")
	w.reply()
	w.expect(wire.TypeClosed)
	up, down, _ := w.streams()
	if got := len(up) + len(down); got != budget {
		t.Fatalf("captured %d bytes, want the cap of %d", got, budget)
	}
	truncated := 0
	for i, m := range w.wires {
		if m.Truncated {
			truncated++
			if i != len(w.wires)-1 {
				t.Fatalf("wire message %d of %d says truncated", i+1, len(w.wires))
			}
		}
	}
	if truncated != 1 {
		t.Fatalf("%d messages say truncated, want 1", truncated)
	}
}

// Many small writes come out as few messages, none over CaptureChunk.
func TestTapCoalesces(t *testing.T) {
	var mu sync.Mutex
	var got []wire.Wire
	tp := newTap(wire.CaptureMax, func(m wire.Wire) { mu.Lock(); got = append(got, m); mu.Unlock() })
	var want [2][]byte
	for i := range 3000 {
		dir := i / 100 % 2
		b := []byte{byte(i)}
		want[dir] = append(want[dir], b...)
		tp.record(dir, b)
	}
	tp.finish()
	tp.record(up, []byte("after the end"))
	time.Sleep(3 * wire.CaptureFlush)
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 || len(got) > 5 {
		t.Fatalf("%d messages for 3000 one-byte writes", len(got))
	}
	var have [2][]byte
	for _, m := range got {
		size := 0
		for _, c := range m.Chunks {
			size += len(c.Data)
			d := map[string]int{wire.DirUp: up, wire.DirDown: down}[c.Dir]
			if c.Offset != int64(len(have[d])) {
				t.Fatalf("chunk at %d, want %d", c.Offset, len(have[d]))
			}
			have[d] = append(have[d], c.Data...)
		}
		if size > wire.CaptureChunk {
			t.Fatalf("a message of %d bytes", size)
		}
	}
	if !bytes.Equal(have[up], want[up]) || !bytes.Equal(have[down], want[down]) {
		t.Fatalf("bytes differ: %d/%d up, %d/%d down", len(have[up]), len(want[up]), len(have[down]), len(want[down]))
	}
}

// A wire option that is not a boolean makes the open malformed, which ends
// the session like any refused open.
func TestWireOptionMalformed(t *testing.T) {
	_, url := startSandboxTunnel(t, Limits{})
	c := dial(t, url)
	c.Raw(websocket.MessageText, []byte(`{"type":"open","target":"sandbox","wire":"yes"}`))
	if e := c.End(wire.BadRequest); e.Detail != "open-malformed" {
		t.Fatalf("error %+v", e)
	}
}
