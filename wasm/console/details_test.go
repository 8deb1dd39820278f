//go:build !js

package console

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// keys lists the phrase keys of a text.
func keys(t phrase.Text) string {
	var ks []string
	for _, p := range t.Phrases {
		ks = append(ks, p.Key)
	}
	return strings.Join(ks, " ")
}

// TestProxySentencesInTheEngine: a refusal and a closed that name their
// sentence reach the page in phrases a language translates, in the alert and
// in the engine's entries and its own transcript (shared and exported in the
// reader's language), with the English unchanged; one that names none stays
// the proxy's English.
func TestProxySentencesInTheEngine(t *testing.T) {
	c, r := newConsole(t)
	send := func(v any) {
		data, _ := json.Marshal(v)
		c.do(func() { c.messageLocked(data) })
	}
	send(wire.Opened{Type: wire.TypeOpened, Host: "h", Port: 25, Remote: "sandbox"})
	r.next(t, EventOpened)
	c.do(func() { c.sess.Receive([]byte("220 hi\r\n")); _, _ = c.sess.Submit("DATA") })

	e := wire.Fail(wire.ReplyPending, wire.Say("reply-pending", "verb", "DATA"))
	send(e)
	ev := r.next(t, EventError)
	if got := ev.Error.Said; got.English != e.Message || keys(got) != "detail.reply-pending" || got.Phrases[0].Args["verb"] != "DATA" {
		t.Errorf("said %+v", got)
	}
	var entry *session.Entry
	for _, se := range ev.Session {
		if se.Entry != nil {
			entry = se.Entry
		}
	}
	if entry == nil || !strings.Contains(entry.Text.English, e.Message) || strings.Contains(keys(entry.Text), "event.refused.message") ||
		!strings.Contains(keys(entry.Text), "detail.reply-pending") || keys(entry.Warnings[0].Message) != "warn.refused-lead detail.reply-pending" {
		t.Fatalf("refused entry %+v", entry)
	}
	if kept := c.sess.Transcript(); keys(kept[len(kept)-1].Warnings[0].Message) != "warn.refused-lead detail.reply-pending" {
		t.Errorf("the session's own transcript: %+v", kept[len(kept)-1])
	}

	cl := wire.Ended(wire.ByServer, wire.Say("quit"))
	send(cl)
	ev = r.next(t, EventClosed)
	if s := ev.Text; s.English != "The mail server closed the connection: "+cl.Reason+"." || keys(s) != "ended.server detail.quit" {
		t.Errorf("closed sentence %+v", s)
	}
	if entry := ev.Session[0].Entry; entry == nil || !strings.Contains(entry.Text.English, cl.Reason) || !strings.HasSuffix(keys(entry.Text), "event.closed.reason-lead detail.quit") {
		t.Errorf("closed entry %+v", ev.Session[0].Entry)
	}
	if s := proxySaid(wire.Said{Key: "from-a-newer-proxy"}, true, "English"); s.English != "English" || s.Phrases != nil {
		t.Errorf("unknown key: %+v", s)
	}
}
