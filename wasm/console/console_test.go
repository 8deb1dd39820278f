//go:build !js

package console

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/internal/leaktest"
	"github.com/smtplay/smtplay/wasm/compose"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
	"go.uber.org/goleak"
)

const polish = "Witaj, właśnie przeprowadzam test SMTP. ąćęłńóśźż"

// The first seed's session, as the page drives it: EHLO without a domain
// held and sent anyway, STARTTLS, AUTH LOGIN from the helper, the composer,
// QUIT; the message arrives with every letter intact.
func TestSeedSession(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	opened := open(t, c, r, pg, "sandbox")
	if opened.Mailbox == "" || c.View().Status != StatusOpen {
		t.Fatalf("opened %+v, view %+v", opened, c.View())
	}

	c.Submit("EHLO", false)
	hold := r.next(t, EventHold).View.Hold
	if hold == nil || len(hold.Analysis.Warnings) == 0 || hold.Analysis.Warnings[0].Expect != "501" {
		t.Fatalf("EHLO without a domain: hold %+v", hold)
	}
	if len(r.sent()) != 0 {
		t.Fatalf("sent before the decision: %q", r.sent())
	}
	c.Resolve(ActionSend)
	if rep := r.reply(t); rep.Code != 501 || rep.Note.English == "" || rep.EnhancedTitle == "" {
		t.Fatalf("EHLO without a domain: %+v", rep)
	}
	if rep := ask(t, c, r, "EHLO smtp.test"); rep.Code != 250 {
		t.Fatalf("EHLO: %+v", rep)
	}
	c.Submit("STARTTLS", false)
	tlsEv := r.next(t, EventTLS)
	if !tlsEv.TLS.Verified || tlsEv.TLS.Version == "" || len(tlsEv.TLS.Chain) == 0 || tlsEv.View.State.Phase != session.PhaseTLS {
		t.Fatalf("tls %+v, state %+v", tlsEv.TLS, tlsEv.View.State)
	}
	if rep := ask(t, c, r, "EHLO smtp.test"); rep.Code != 250 {
		t.Fatalf("EHLO after TLS: %+v", rep)
	}

	lines, err := AuthLines("LOGIN", "student", "practice")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, l := range lines {
		texts = append(texts, l.Text)
	}
	c.Paste(texts)
	if rep := r.replyTo(t, "auth-response"); rep.Code != 334 && rep.Code != 235 {
		t.Fatalf("AUTH: %+v", rep)
	}
	for rep := r.reply(t); rep.Code != 235; rep = r.reply(t) {
		if rep.Code >= 400 {
			t.Fatalf("AUTH: %+v", rep)
		}
	}
	export := c.Export(false)
	for _, secret := range []string{texts[1], texts[2], base64.StdEncoding.EncodeToString([]byte("practice"))} {
		if strings.Contains(export, secret) || slices.Contains(r.sent(), secret) {
			t.Fatalf("secret %q shown:\n%s", secret, export)
		}
	}
	if !strings.Contains(c.Export(true), texts[2]) {
		t.Fatalf("the export with secrets revealed lacks the password line")
	}

	plan, err := c.Compose(compose.Message{From: "gorniksmtp@example.org", To: "gorniksmtp@example.org", Subject: "Test SMTP — zażółć", Body: polish})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Commands[0] != "MAIL FROM:<gorniksmtp@example.org> BODY=8BITMIME" || plan.Commands[len(plan.Commands)-1] != "DATA" {
		t.Fatalf("plan %+v", plan.Commands)
	}
	c.Paste(plan.Texts())
	d := r.next(t, EventDelivered).Delivered
	if d.Subject != "Test SMTP — zażółć" || d.From != "gorniksmtp@example.org" {
		t.Fatalf("delivered %+v", d)
	}
	var msg struct{ Text string }
	getJSON(t, pg.http+"/api/sandbox/"+opened.Mailbox+"/messages/"+d.ID, &msg)
	if msg.Text != polish+"\r\n" {
		t.Fatalf("text %q", msg.Text)
	}

	c.Submit("QUIT", false)
	cl := r.next(t, EventClosed)
	if cl.Closed.By != wire.ByServer || cl.View.Status != StatusClosed || cl.Text.IsZero() {
		t.Fatalf("closed %+v, status %s", cl.Closed, cl.View.Status)
	}
}

// RCPT before MAIL is held with the engine's 503 warning; skipped, it never
// reaches the server: the next reply answers NOOP, and no 503 ever comes.
func TestOutOfOrderIsHeld(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	open(t, c, r, pg, "sandbox")
	ask(t, c, r, "EHLO smtp.test")

	c.Submit("RCPT TO:<gorniksmtp@example.org>", false)
	hold := r.next(t, EventHold).View.Hold
	if hold.Analysis.Warnings[0].Code != session.WarnRcptBeforeMail || hold.Analysis.Warnings[0].Expect != "503" {
		t.Fatalf("hold %+v", hold)
	}
	c.Resolve(ActionSkip)
	if rep := ask(t, c, r, "NOOP"); rep.To != "NOOP" || rep.Code != 250 {
		t.Fatalf("the reply after the skipped RCPT: %+v", rep)
	}
	for _, l := range r.sent() {
		if strings.HasPrefix(l, "RCPT") {
			t.Fatalf("RCPT was sent: %q", r.sent())
		}
	}
	if strings.Contains(c.Export(false), "-> RCPT") {
		t.Fatalf("RCPT in the transcript:\n%s", c.Export(false))
	}
}

// A paste goes line by line, pipelined where the server offers PIPELINING
// (RFC 2920): EHLO and AUTH end a group and wait for their replies; MAIL,
// RCPT and DATA go together; the message waits for the 354 and then goes
// without waiting; QUIT follows the final dot.
func TestPasteWaitsWhereItMust(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	open(t, c, r, pg, "sandbox")
	c.Paste([]string{"EHLO smtp.test", "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA",
		"From: <a@example.org>", "Subject: pasted", "", ".a dot", ".", "QUIT"})
	r.next(t, EventDelivered)
	r.next(t, EventClosed)

	r.mu.Lock()
	defer r.mu.Unlock()
	var order []string
	for _, ev := range r.all {
		if ev.Type == EventSent {
			order = append(order, "> "+ev.Analysis.Shown)
		}
		for _, se := range ev.Session {
			if se.Kind == session.EventReply {
				order = append(order, "< "+string(rune('0'+se.Reply.Code/100)))
			}
		}
	}
	got := strings.Join(order, "|")
	want := "< 2|> EHLO smtp.test|< 2|> AUTH PLAIN ********|< 2|> MAIL FROM:<a@example.org>|> RCPT TO:<b@example.org>|> DATA|< 2|< 2|< 3|" +
		"> From: <a@example.org>|> Subject: pasted|> |> ..a dot|> .|> QUIT|< 2|< 2"
	if got != want {
		t.Fatalf("order\n%s\nwant\n%s", got, want)
	}
}

// A target that is not on the list: the proxy's sentence, then the end.
func TestRefusedTarget(t *testing.T) {
	pg := startPlayground(t, false)
	for _, target := range []Target{{Host: "smtp.example.org", Port: 25}, {Name: "no-such-target"}} {
		c, r := newConsole(t)
		c.Connect(pg.url, target)
		e := r.next(t, EventError).Error
		if e.Code != wire.NotAllowed || !e.Ends || e.Sentence.English != Sentence(e.Code).English || len(e.Sentence.Phrases) != 1 || e.Sentence.Phrases[0].Key != "tunnel.not_allowed" || e.Message == "" {
			t.Fatalf("%v: error %+v", target, e)
		}
		if !strings.Contains(e.Message, "smtp.example.org:25 is not on this playground's list") && !strings.Contains(e.Message, `"no-such-target"`) {
			t.Fatalf("%v: message %q", target, e.Message)
		}
		if cl := r.next(t, EventClosed); cl.Closed.By != wire.ByProxy || cl.View.Status != StatusClosed {
			t.Fatalf("%v: closed %+v", target, cl)
		}
	}
}

// AUTH in the clear to a real server needs a confirmation; confirmed, the
// proxy refuses it and the credential lines queued behind it are never sent.
func TestCredentialsInTheClear(t *testing.T) {
	pg := startPlayground(t, true)
	c, r := newConsole(t)
	open(t, c, r, pg, "real")
	ask(t, c, r, "EHLO smtp.test")
	lines, _ := AuthLines("LOGIN", "student", "practice")
	c.Paste([]string{lines[0].Text, lines[1].Text, lines[2].Text})
	hold := r.next(t, EventHold).View.Hold
	if !hold.Analysis.NeedsConfirm || hold.Behind != 2 {
		t.Fatalf("hold %+v", hold)
	}
	c.Resolve(ActionSend)
	e := r.next(t, EventError)
	if e.Error.Code != wire.NotAllowed || e.Error.Ends || e.Error.Sentence.English != RefusalSentence(e.Error.Code).English || e.Error.Sentence.Phrases[0].Key != "refusal.not_allowed" ||
		len(e.Session) == 0 || e.Session[0].Kind != session.EventRefused {
		t.Fatalf("error %+v", e)
	}
	if d := r.next(t, EventDropped); d.Dropped != 2 || d.Text.English != "2 queued lines were not sent. The proxy refused a line, so the lines after it were not sent." ||
		len(d.Text.Phrases) != 2 || d.Text.Phrases[0].Args["count"] != "2" || d.Text.Phrases[1].Key != "dropped.why.refused" {
		t.Fatalf("dropped %+v", d)
	}
	if got := r.sent(); len(got) != 2 || got[1] != "AUTH LOGIN" {
		t.Fatalf("sent %q", got)
	}
	if rep := ask(t, c, r, "NOOP"); rep.To != "NOOP" || rep.Code != 250 {
		t.Fatalf("after the refusal: %+v", rep)
	}
}

// A websocket that ends without the proxy's closed message is a lost
// connection, said as such.
func TestLostConnection(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{wire.Subprotocol}})
		if err != nil {
			return
		}
		_, _, _ = ws.Read(r.Context())
		o, _ := json.Marshal(wire.Opened{Type: wire.TypeOpened, Host: "sandbox", Port: 587, Remote: "sandbox", TLS: "none"})
		_ = ws.Write(r.Context(), websocket.MessageText, o)
		_ = ws.Write(r.Context(), websocket.MessageBinary, []byte("220 ready\r\n"))
		ws.CloseNow()
	}))
	defer hs.Close()
	c, r := newConsole(t)
	c.Connect("ws"+strings.TrimPrefix(hs.URL, "http"), Target{Name: "sandbox"})
	e := r.next(t, EventError)
	if e.Error.Code != CodeLost || !e.Error.Ends || e.View.Status != StatusClosed || e.Error.Sentence.English != Sentence(CodeLost).English {
		t.Fatalf("error %+v", e)
	}
	hs.Close()
	c.Connect("ws://"+hs.Listener.Addr().String(), Target{Name: "sandbox"})
	if e := r.next(t, EventError); e.Error.Code != CodeUnreachable {
		t.Fatalf("error %+v", e)
	}
}

// Disconnect: the proxy says QUIT for us and reports the close.
func TestClose(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	open(t, c, r, pg, "sandbox")
	c.Close()
	if cl := r.next(t, EventClosed); cl.Closed.By != wire.ByClient {
		t.Fatalf("closed %+v", cl.Closed)
	}
	c.Submit("NOOP", false)
	if d := r.next(t, EventDropped); d.Dropped != 1 || d.Text.English != "1 queued line was not sent. There is no open session." {
		t.Fatalf("dropped %+v", d)
	}
}

// Reconnecting replaces the session; the mailbox can be reattached.
func TestReconnectKeepsMailbox(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	first := open(t, c, r, pg, "sandbox")
	c.Connect(pg.url, Target{Name: "sandbox", Mailbox: first.Mailbox})
	second := r.next(t, EventOpened).Opened
	if second.Mailbox != first.Mailbox {
		t.Fatalf("mailbox %q, want %q", second.Mailbox, first.Mailbox)
	}
	if rep := r.reply(t); rep.Code != 220 {
		t.Fatalf("greeting %+v", rep)
	}
	if rep := ask(t, c, r, "NOOP"); rep.Code != 250 {
		t.Fatalf("NOOP %+v", rep)
	}
}

func TestComposeNeedsASession(t *testing.T) {
	pg := startPlayground(t, false)
	c, r := newConsole(t)
	m := compose.Message{From: "a@example.org", To: "b@example.org", Body: "hi"}
	if _, err := c.Compose(m); err != ErrNoOpen {
		t.Fatalf("before connecting: %v", err)
	}
	open(t, c, r, pg, "sandbox")
	if _, err := c.Compose(m); err != ErrNotReady {
		t.Fatalf("before EHLO: %v", err)
	}
	if _, err := c.Compose(compose.Message{From: "a@example.org"}); err == nil {
		t.Fatal("no recipient: no error")
	}
	ask(t, c, r, "EHLO smtp.test")
	c.Submit("MAIL FROM:<a@example.org>", true) // past the warning that a submission server wants AUTH
	if rep := r.reply(t); rep.Code != 250 {
		t.Fatalf("MAIL: %+v", rep)
	}
	plan, err := c.Compose(compose.Message{From: "a@example.org", To: "b@example.org", Body: polish})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(plan.Commands, "|") != "RCPT TO:<b@example.org>|DATA" || !strings.Contains(plan.Note.English, "quoted-printable") {
		t.Fatalf("plan %+v", plan)
	}
	// slow@ answers after seconds, so the reply is surely still pending.
	c.Submit("RCPT TO:<slow@example.org>", false)
	if _, err := c.Compose(m); err != ErrBusy {
		t.Fatalf("with a reply pending: %v", err)
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// Every goroutine a session starts ends with it.
func TestGoroutinesEnd(t *testing.T) {
	pg := startPlayground(t, false)
	ignore := goleak.IgnoreCurrent() // the playground's, until its cleanup stops it
	c, r := newConsole(t)
	for range 3 {
		open(t, c, r, pg, "sandbox")
		c.Close()
		r.next(t, EventClosed)
	}
	leaktest.Check(t, ignore)
}

// Adopt goes on with a tunnel opened before the Console ran: the open
// message went already, the proxy's answer and the greeting wait on it.
func TestAdoptAnOpenTunnel(t *testing.T) {
	pg := startPlayground(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := DialWebSocket(ctx, pg.url)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Write(ctx, true, []byte(`{"type":"open","target":"sandbox"}`)); err != nil {
		t.Fatal(err)
	}
	c, r := newConsole(t)
	c.Adopt(conn, Target{Name: "sandbox"})
	if st := r.next(t, EventStatus).View; st.Status != StatusConnecting || st.Target != "sandbox" {
		t.Fatalf("status %+v", st)
	}
	if o := r.next(t, EventOpened).Opened; o.Remote != "sandbox" {
		t.Fatalf("opened %+v", o)
	}
	if rep := r.reply(t); rep.Code != 220 {
		t.Fatalf("greeting %+v", rep)
	}
	c.Submit("EHLO adopt.test", false)
	if rep := r.replyTo(t, "EHLO"); rep.Code != 250 {
		t.Fatalf("EHLO %+v", rep)
	}
	if n := pg.sb.Stats().Mailboxes; n != 1 {
		t.Errorf("the sandbox made %d mailboxes, want the adopted session's only", n)
	}
}
