//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/smtplay/smtplay/wasm/console"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// The answers that need no connection come back as plain objects.
func TestHelpersAnswerAtOnce(t *testing.T) {
	obj := register(js.Global())
	if !js.Global().Get("smtplay").Equal(obj) {
		t.Fatal("smtplay is not on the global object")
	}
	if got := obj.Call("base64Encode", "gorniksmtp@gmail.com").String(); got != "Z29ybmlrc210cEBnbWFpbC5jb20=" {
		t.Errorf("base64Encode: %q", got)
	}
	if got := obj.Call("base64Decode", "VXNlcm5hbWU6"); got.Get("text").String() != "Username:" || !got.Get("printable").Bool() {
		t.Errorf("base64Decode: %v", js.Global().Get("JSON").Call("stringify", got))
	}
	if got := obj.Call("base64Decode", "???").Get("error"); got.Get("en").String() != console.ErrNotBase64.Error() ||
		got.Get("say").Index(0).Get("key").String() != "tools.not-base64" {
		t.Errorf("base64Decode of junk: %v", js.Global().Get("JSON").Call("stringify", got))
	}
	lines := obj.Call("authLines", "LOGIN", "student", "practice").Get("lines")
	if lines.Length() != 3 || lines.Index(1).Get("text").String() != "c3R1ZGVudA==" || !lines.Index(2).Get("secret").Bool() {
		t.Errorf("authLines: %v", js.Global().Get("JSON").Call("stringify", lines))
	}
	if got := obj.Call("authLines", "XOAUTH2", "a", "b").Get("error").Get("en"); got.Type() != js.TypeString {
		t.Errorf("authLines XOAUTH2: %v", got)
	}
	if got := obj.Call("view").Get("status").String(); got != string(console.StatusIdle) {
		t.Errorf("view status %q", got)
	}
	if got := obj.Call("compose", map[string]any{"from": "a@example.org", "to": "b@example.org"}).Get("error").Get("en").String(); got != console.ErrNoOpen.Error() {
		t.Errorf("compose before connecting: %q", got)
	}
	got := obj.Call("replay", "S: 220 ready\nEHLO x")
	if say := got.Get("error").Get("say"); got.Get("error").Get("en").String() != `line 2: it starts with neither "C: " (a line sent) nor "S: " (a line the server sent)` ||
		say.Length() != 2 || say.Index(0).Get("args").Get("line").String() != "2" || say.Index(1).Get("key").String() != "replay.no-prefix" {
		t.Errorf("replay of junk: %v", js.Global().Get("JSON").Call("stringify", got))
	}
	if got := obj.Call("connect").Get("error"); got.Get("en").Type() != js.TypeString || !got.Get("say").IsUndefined() {
		t.Errorf("connect without arguments: %v", js.Global().Get("JSON").Call("stringify", got))
	}
	if got := obj.Call("check", "EHLO x").Get("explanation").Get("en").String(); got != "" {
		t.Errorf("check before connecting: %q", got)
	}
}

// A throwing onevent is reported, and the events keep coming.
func TestOneventMayThrow(t *testing.T) {
	obj := register(js.Global())
	obj.Set("onevent", js.Global().Get("Function").New("ev", `(globalThis.seen ||= []).push(ev.type); throw new Error("boom")`))
	obj.Call("submit", "NOOP")
	obj.Call("submit", "NOOP")
	deadline := time.Now().Add(5 * time.Second)
	for {
		seen := js.Global().Get("seen")
		if seen.Truthy() && seen.Length() == 4 {
			break // dropped and queue, twice
		}
		if time.Now().After(deadline) {
			t.Fatalf("events seen: %v", js.Global().Get("JSON").Call("stringify", seen))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// events collects what the page's onevent would get.
type events chan console.Event

func listen(obj js.Value) events {
	ch := make(events, 4096)
	obj.Set("onevent", js.FuncOf(func(_ js.Value, args []js.Value) any {
		var ev console.Event
		_ = json.Unmarshal([]byte(js.Global().Get("JSON").Call("stringify", args[0]).String()), &ev)
		ch <- ev
		return nil
	}))
	return ch
}

func (ch events) until(t *testing.T, what string, ok func(console.Event) bool) console.Event {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ok(ev) {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s in time", what)
		}
	}
}

func (ch events) typ(t *testing.T, typ console.EventType) console.Event {
	t.Helper()
	return ch.until(t, string(typ), func(ev console.Event) bool { return ev.Type == typ })
}

func (ch events) reply(t *testing.T) *session.Reply {
	t.Helper()
	var rep *session.Reply
	ch.until(t, "a reply", func(ev console.Event) bool {
		for _, se := range ev.Session {
			if se.Kind == session.EventReply {
				rep = se.Reply
				return true
			}
		}
		return false
	})
	return rep
}

// greetedThenEHLO reads the 220 greeting, sends EHLO and reads its 250.
func (ch events) greetedThenEHLO(t *testing.T, obj js.Value) {
	t.Helper()
	if rep := ch.reply(t); rep.Code != 220 {
		t.Fatalf("greeting %+v", rep)
	}
	obj.Call("submit", "EHLO smtp.test")
	if rep := ch.reply(t); rep.Code != 250 || rep.To != "EHLO" {
		t.Fatalf("EHLO %+v", rep)
	}
}

// A conversation with the real smtplay binary through Node's WebSocket, the
// browser API the page's transport (transport_js.go) uses.
func TestConversationWithTheProxy(t *testing.T) {
	base := startProxy(t)
	obj := register(js.Global())
	ch := listen(obj)
	obj.Call("connect", "ws"+strings.TrimPrefix(base, "http")+"tunnel", map[string]any{"target": "sandbox"})
	opened := ch.typ(t, console.EventOpened)
	if opened.Opened.Remote != "sandbox" || opened.Opened.Mailbox == "" {
		t.Fatalf("opened %+v", opened.Opened)
	}
	ch.greetedThenEHLO(t, obj)
	obj.Call("submit", "RCPT TO:<a@example.org>")
	if hold := ch.typ(t, console.EventHold).View.Hold; hold.Analysis.Warnings[0].Expect != "503" {
		t.Fatalf("hold %+v", hold)
	}
	obj.Call("resolve", "skip")
	obj.Call("paste", "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=\r\nNOOP\r\n")
	sent := ch.typ(t, console.EventSent)
	if sent.Analysis.Shown != "AUTH PLAIN ********" || !sent.Entry.Secret {
		t.Fatalf("sent %+v", sent.Analysis)
	}
	if rep := ch.reply(t); rep.Code != 235 {
		t.Fatalf("AUTH %+v", rep)
	}
	if rep := ch.reply(t); rep.To != "NOOP" {
		t.Fatalf("NOOP %+v", rep)
	}
	if got := obj.Call("reveal", sent.Entry.Seq).String(); got != "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=" {
		t.Errorf("reveal %q", got)
	}
	if got := obj.Call("exportText").String(); strings.Contains(got, "AHN0dWRlbnQ") || !strings.Contains(got, "AUTH PLAIN ********") || strings.Contains(got, "-> RCPT") {
		t.Errorf("export:\n%s", got)
	}
	obj.Call("close")
	if cl := ch.typ(t, console.EventClosed); cl.Closed.By != "client" || cl.View.Status != console.StatusClosed {
		t.Fatalf("closed %+v", cl.Closed)
	}
}

// A target the proxy refuses: its sentence and the proxy's message.
func TestRefusedTargetWithTheProxy(t *testing.T) {
	base := startProxy(t)
	obj := register(js.Global())
	ch := listen(obj)
	obj.Call("connect", "ws"+strings.TrimPrefix(base, "http")+"tunnel", map[string]any{"host": "smtp.example.org", "port": 25})
	e := ch.typ(t, console.EventError).Error
	if e.Code != "not_allowed" || !strings.Contains(e.Message, "not on this playground's list") || e.Sentence.IsZero() ||
		len(e.Sentence.Phrases) != 1 || e.Sentence.Phrases[0].Key != "tunnel.not_allowed" {
		t.Fatalf("error %+v", e)
	}
	ch.typ(t, console.EventClosed)
}

// A session the page opened itself before the Go half ran
// (static/earlytunnel.js): adopt reads what the socket got until then, the
// greeting included, and goes on with the same socket.
func TestAdoptWithTheProxy(t *testing.T) {
	base := startProxy(t)
	ws, got := earlyTunnel(t, "ws"+strings.TrimPrefix(base, "http")+"tunnel", 2) // opened and the greeting
	obj := register(js.Global())
	ch := listen(obj)
	if res := obj.Call("adopt", ws, got, "sandbox"); res.Type() == js.TypeObject {
		t.Fatalf("adopt: %v", res.Get("error").Get("en"))
	}
	if st := ch.typ(t, console.EventStatus); st.View.Status != console.StatusConnecting || st.View.Target != "sandbox" {
		t.Fatalf("first event %+v", st.View)
	}
	if opened := ch.typ(t, console.EventOpened); opened.Opened.Remote != "sandbox" {
		t.Fatalf("opened %+v", opened.Opened)
	}
	ch.greetedThenEHLO(t, obj)
	obj.Call("close")
	if cl := ch.typ(t, console.EventClosed); cl.Closed.By != "client" {
		t.Fatalf("closed %+v", cl.Closed)
	}
}

// A socket that closed before the Go half ran: what it got is read, then
// the session is lost, as one that drops later is.
func TestAdoptAClosedSocket(t *testing.T) {
	base := startProxy(t)
	ws, got := earlyTunnel(t, "ws"+strings.TrimPrefix(base, "http")+"tunnel", 2)
	closed := make(chan struct{})
	onclose := js.FuncOf(func(js.Value, []js.Value) any { close(closed); return nil })
	defer onclose.Release()
	ws.Set("onclose", onclose)
	ws.Call("close", 1000, "gone")
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the socket did not close")
	}
	obj := register(js.Global())
	ch := listen(obj)
	obj.Call("adopt", ws, got, "sandbox")
	if rep := ch.reply(t); rep.Code != 220 {
		t.Fatalf("greeting %+v", rep)
	}
	if ev := ch.typ(t, console.EventError); ev.Error.Code != console.CodeLost {
		t.Fatalf("error %+v", ev.Error)
	}
}

// earlyTunnel does what static/earlytunnel.js does: it opens a WebSocket
// to url, sends the open message for the sandbox, and keeps what comes
// until it has n messages.
func earlyTunnel(t *testing.T, url string, n int) (ws, got js.Value) {
	t.Helper()
	ws = js.Global().Get("WebSocket").New(url, wire.Subprotocol)
	ws.Set("binaryType", "arraybuffer")
	got = js.Global().Get("Array").New()
	enough := make(chan struct{})
	onopen := js.FuncOf(func(js.Value, []js.Value) any {
		ws.Call("send", `{"type":"open","target":"sandbox"}`)
		return nil
	})
	onmessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if got.Call("push", args[0].Get("data")).Int() == n {
			close(enough)
		}
		return nil
	})
	t.Cleanup(func() { onopen.Release(); onmessage.Release() })
	ws.Set("onopen", onopen)
	ws.Set("onmessage", onmessage)
	select {
	case <-enough:
	case <-time.After(10 * time.Second):
		t.Fatal("the early tunnel got no greeting")
	}
	return ws, got
}
