package console

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/session"
)

// lineEntries are the client and server entries events carry, in order.
func lineEntries(evs []Event) []session.Entry {
	var out []session.Entry
	for _, ev := range evs {
		if ev.Entry != nil {
			out = append(out, *ev.Entry)
		}
		for _, se := range ev.Session {
			if se.Entry != nil && (se.Entry.Dir == session.DirClient || se.Entry.Dir == session.DirServer) {
				out = append(out, *se.Entry)
			}
		}
	}
	return out
}

// A shared session replayed offline gives the events a live one gave:
// every line with the same text, mask, code, TLS lock, explanation and
// warnings, a multi-line EHLO reply's capabilities, the 334 prompts
// decoded, TLS after STARTTLS; and the views say the session is over.
func TestReplayRoundTrip(t *testing.T) {
	live := played(t, join(
		[]string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example",
			"S: 250-sandbox.smtplay", "S: 250 STARTTLS", "C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "C: EHLO client.example"},
		ehloReply, authSessions["login"].auth, messageLines)...)
	sh := ShareOf(live.Transcript(), true)
	evs, err := Replay(strings.Join(sh.Replay, "\n")+"\n", ReplayOptions{Target: "sandbox", Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}

	var want []session.Entry
	for _, e := range live.Transcript() {
		if e.Dir == session.DirClient || e.Dir == session.DirServer {
			want = append(want, e)
		}
	}
	got := lineEntries(evs)
	if len(got) != len(want) {
		t.Fatalf("%d lines replayed, %d live", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		gw, _ := json.Marshal(g.Warnings)
		ww, _ := json.Marshal(w.Warnings)
		if g.Dir != w.Dir || !reflect.DeepEqual(g.Text, w.Text) || g.Secret != w.Secret || g.Code != w.Code || g.TLS != w.TLS ||
			g.Final != w.Final || g.Answers != w.Answers || !reflect.DeepEqual(g.Explanation, w.Explanation) || string(gw) != string(ww) {
			t.Errorf("line %d:\nreplayed %+v\n    live %+v", i+1, g, w)
		}
	}

	var prompts []string
	tls := 0
	for _, ev := range evs {
		if ev.View.Status != StatusClosed || ev.View.Target != "sandbox" || ev.View.State == nil {
			t.Fatalf("view %+v", ev.View)
		}
		if ev.Type == EventSent && (ev.Analysis == nil || ev.Entry == nil || ev.Entry.Seq != ev.Analysis.Seq) {
			t.Errorf("sent event %+v", ev)
		}
		for _, se := range ev.Session {
			if se.Kind == session.EventPrompt {
				prompts = append(prompts, se.Prompt.Decoded)
			}
			if se.Kind == session.EventTLS {
				tls++
				if !strings.Contains(se.Entry.Text.English, "replay") || len(se.Entry.Warnings) != 0 ||
					len(se.Text.Phrases) != 1 || se.Text.Phrases[0].Key != "replay.tls" || len(se.Entry.Text.Phrases) != 1 {
					t.Errorf("TLS entry %+v", se.Entry)
				}
			}
		}
	}
	if strings.Join(prompts, " ") != "Username: Password:" || tls != 1 {
		t.Errorf("prompts %q, TLS events %d", prompts, tls)
	}
	last := evs[len(evs)-1].View
	if last.State.Phase != session.PhaseClosing || !last.State.TLS || !last.State.Authenticated || len(last.Capabilities) != 3 {
		t.Errorf("last view %+v, capabilities %+v", last.State, last.Capabilities)
	}
	data, _ := json.Marshal(evs)
	for _, secret := range append(credentials, maskedAnswer) {
		if strings.Contains(string(data), secret) {
			t.Errorf("the replay's events hold %q", secret)
		}
	}
}

// A masked AUTH PLAIN initial response replays as the live line did:
// masked, logged in by the 235, without a warning about its base64.
func TestReplayMaskedInitialResponse(t *testing.T) {
	live := played(t, join([]string{"S: 220 sandbox.smtplay ESMTP", "C: EHLO client.example"}, ehloReply, authSessions["plain-initial"].auth)...)
	evs, err := Replay(strings.Join(ShareOf(live.Transcript(), true).Replay, "\n"), ReplayOptions{Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	got := lineEntries(evs)
	auth := got[len(got)-2]
	if auth.Text.English != "AUTH PLAIN "+session.Mask || !auth.Secret || len(auth.Warnings) != len(live.Transcript()[len(got)-2].Warnings) {
		t.Errorf("AUTH line %+v", auth)
	}
	if !evs[len(evs)-1].View.State.Authenticated {
		t.Error("not logged in after the 235")
	}
}

// Server text is kept as it came, whatever it looks like: the page draws
// it as text.
func TestReplayKeepsServerText(t *testing.T) {
	evs, err := Replay("S: 220 <img src=x onerror=alert(1)> & ready", ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineEntries(evs); len(got) != 1 || got[0].Text.English != "220 <img src=x onerror=alert(1)> & ready" || got[0].Code != 220 {
		t.Errorf("entries %+v", got)
	}
}

// A transcript that is not one is refused with a sentence that names the
// line, and nothing is drawn.
func TestReplayMalformed(t *testing.T) {
	many := strings.Repeat("S: 250 OK\n", MaxReplayLines+1)
	big := "S: 220 " + strings.Repeat("x", MaxReplayBytes)
	for _, tc := range []struct {
		name, text string
		line       int
		reason     string
	}{
		{"empty", "", 0, "empty"},
		{"no prefix", "EHLO client.example", 1, `neither "C: "`},
		{"lower case", "S: 220 ready\nc: EHLO x", 2, `neither "C: "`},
		{"no space", "S: 220 ready\nC:EHLO x", 2, `neither "C: "`},
		{"an empty line", "S: 220 ready\n\nC: EHLO x", 2, `neither "C: "`},
		{"too many lines", many, 0, "at most 2000"},
		{"too big", big, 0, "at most 256 KiB"},
		{"out of order", "S: 220 ready\nC: EHLO x\nS: 250 ok\nC: DATA\nC: Subject: x", 5, "cannot be sent at this point"},
		{"a NUL", "S: 220 ready\nC: EHLO a\x00b", 2, "cannot be sent at this point"},
	} {
		evs, err := Replay(tc.text, ReplayOptions{})
		var re *ReplayError
		if !errors.As(err, &re) || re.Line != tc.line || !strings.Contains(re.Error(), tc.reason) || evs != nil {
			t.Errorf("%s: %v (line %v), %d events", tc.name, err, re, len(evs))
		}
	}
	// A lone "C:" is an empty line: the one that ends a message's header.
	if _, err := Replay("S: 220 ready\nC: EHLO x\nS: 250 ok\nC: MAIL FROM:<a@example.org>\nC: RCPT TO:<b@example.org>\nC: DATA\nS: 250 ok\nS: 250 ok\nS: 354 go\nC: Subject: x\nC:\nC: body\nC: .\nS: 250 ok", ReplayOptions{}); err != nil {
		t.Errorf("a lone C: %v", err)
	}
}
