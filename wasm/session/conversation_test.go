package session

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// TestPipelined sends a whole transaction before any reply, as RFC 2920
// allows, and matches the replies in order when they come in one burst.
func TestPipelined(t *testing.T) {
	s := ready(t, true, "PIPELINING", "8BITMIME", "SIZE 1000000")
	for _, l := range []string{"MAIL FROM:<a@example.org> BODY=8BITMIME SIZE=500", "RCPT TO:<b@example.org>", "RCPT TO:<nobody@example.org>", "DATA"} {
		if a := send(t, s, l); len(a.Warnings) != 0 {
			t.Errorf("%q warned %v: the projection should assume the earlier commands succeed", l, codes(a.Warnings))
		}
	}
	if st := s.State(); len(st.Pending) != 4 || st.Mode != ModeWait || st.Phase != PhaseReady {
		t.Errorf("state before replies: %+v", st)
	}
	if _, err := s.Submit("Subject: too early"); !errors.Is(err, ErrReplyPending) {
		t.Errorf("content before 354: %v", err)
	}
	if c := s.Check("Subject: too early"); c.Error.English == "" || c.Mode != ModeWait {
		t.Errorf("Check before 354: %+v", c)
	}
	evs := s.Receive([]byte("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n354 End data with <CR><LF>.<CR><LF>\r\n"))
	var to []string
	for _, e := range eventsOf(evs, EventReply) {
		to = append(to, e.Reply.To)
	}
	if strings.Join(to, " ") != "MAIL RCPT RCPT DATA" {
		t.Errorf("replies matched to %v", to)
	}
	st := s.State()
	if st.Phase != PhaseData || st.Mode != ModeContent || !slices.Equal(st.Recipients, []string{"b@example.org"}) || !slices.Equal(st.Refused, []string{"nobody@example.org"}) {
		t.Errorf("state after replies: %+v", st)
	}
	var states []string
	for _, e := range eventsOf(evs, EventState) {
		states = append(states, string(e.From)+">"+string(e.To))
	}
	if strings.Join(states, " ") != "ready>mail mail>rcpt rcpt>data" {
		t.Errorf("state changes %v", states)
	}
	// After the final dot the next transaction may be pipelined.
	send(t, s, "Subject: hi")
	send(t, s, "")
	send(t, s, "ünïcode body")
	send(t, s, ".")
	if a := send(t, s, "QUIT"); len(a.Warnings) != 0 {
		t.Errorf("QUIT after the dot warned: %v", codes(a.Warnings))
	}
	recv(s, "250 2.0.0 Ok: queued as 1234", "221 2.0.0 Bye")
	wantPhase(t, s, PhaseClosing)
}

// TestNoPipelining warns when commands pile up on a server without PIPELINING.
func TestNoPipelining(t *testing.T) {
	s := ready(t, true, "8BITMIME")
	send(t, s, "MAIL FROM:<a@example.org>")
	if a := s.Check("RCPT TO:<b@example.org>"); !hasWarning(a.Warnings, WarnNoPipelining) {
		t.Errorf("no warning: %v", codes(a.Warnings))
	}
	s = ready(t, true, "PIPELINING")
	send(t, s, "NOOP")
	if a := s.Check("MAIL FROM:<a@example.org>"); !hasWarning(a.Warnings, WarnPipelineSync) {
		t.Errorf("no sync warning after NOOP: %v", codes(a.Warnings))
	}
}

// TestStartTLS runs STARTTLS: the wait, the handshake, forgetting, EHLO again.
func TestStartTLS(t *testing.T) {
	s := ready(t, false, "PIPELINING", "STARTTLS", "SIZE 10240000")
	if a := s.Check("AUTH PLAIN AGFsaWNlAHNlY3JldA=="); !hasWarning(a.Warnings, WarnAuthHidden) || !a.NeedsConfirm {
		t.Errorf("AUTH before TLS: %+v", a)
	}
	if sg := s.Suggestions(); len(sg) == 0 || sg[0].Line.English != "STARTTLS" {
		t.Errorf("suggestions %+v", sg)
	}
	send(t, s, "STARTTLS")
	if _, err := s.Submit("EHLO client.example"); !errors.Is(err, ErrReplyPending) {
		t.Errorf("EHLO before the STARTTLS reply: %v", err)
	}
	evs := recv(s, "220 2.0.0 Ready to start TLS")
	if r := lastReply(t, evs); r.To != "STARTTLS" || !strings.Contains(r.Note.English, "handshake") {
		t.Errorf("220: %+v", r)
	}
	wantPhase(t, s, PhaseStartTLS)
	if _, err := s.Submit("EHLO client.example"); !errors.Is(err, ErrReplyPending) {
		t.Errorf("EHLO during the handshake: %v", err)
	}
	if s.Suggestions() != nil {
		t.Error("suggestions during the handshake")
	}
	evs = s.TLSStarted(TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", ServerName: "mail.example.org", Verified: true})
	if len(eventsOf(evs, EventTLS)) != 1 || len(eventsOf(evs, EventCapabilities)) != 1 || len(eventWarnings(evs)) != 0 {
		t.Errorf("TLS events: %+v", evs)
	}
	wantPhase(t, s, PhaseTLS)
	if st := s.State(); !st.TLS || st.Extended || len(s.Capabilities()) != 0 {
		t.Errorf("after TLS: %+v %v", st, s.Capabilities())
	}
	if a := s.Check("MAIL FROM:<a@example.org>"); !hasWarning(a.Warnings, WarnNoHello) {
		t.Errorf("MAIL before the second EHLO: %v", codes(a.Warnings))
	}
	send(t, s, "EHLO client.example")
	recv(s, "250-mail.example.org", "250-PIPELINING", "250 AUTH PLAIN LOGIN")
	if a := s.Check("STARTTLS"); !hasWarning(a.Warnings, WarnTLSAlready) {
		t.Errorf("second STARTTLS: %v", codes(a.Warnings))
	}
	a := send(t, s, "AUTH PLAIN AGFsaWNlAHNlY3JldA==")
	if a.NeedsConfirm || hasWarning(a.Warnings, WarnCleartext) || !a.Secret || a.Shown != "AUTH PLAIN "+Mask {
		t.Errorf("AUTH over TLS: %+v", a)
	}
	recv(s, "235 2.7.0 Authentication successful")
	wantPhase(t, s, PhaseAuthenticated)
	out := s.Export(ExportOptions{})
	for _, want := range []string{" -> STARTTLS\n<-  220 2.0.0 Ready", "=== TLS is up: TLS 1.3, TLS_AES_128_GCM_SHA256, server name mail.example.org, certificate verified.", " ~> EHLO client.example\n<~  250-mail.example.org", " ~> AUTH PLAIN ********\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
}

func TestTLSWarnings(t *testing.T) {
	s := ready(t, true, "STARTTLS")
	send(t, s, "STARTTLS")
	recv(s, "220 Go ahead")
	evs := s.TLSStarted(TLSInfo{Version: "TLS 1.2", Verified: false, VerifyError: "x509: certificate signed by unknown authority", Discarded: 17})
	w := eventWarnings(evs)
	if !hasWarning(w, WarnTLSUnverified) || !hasWarning(w, WarnPlaintextInject) || !strings.Contains(w[0].Message.English, "unknown authority") {
		t.Errorf("warnings %+v", w)
	}
	// Implicit TLS: before the greeting, nothing to forget.
	s = newTestSession(false)
	s.TLSStarted(TLSInfo{Version: "TLS 1.3", Verified: true})
	recv(s, "220 smtp.example.org ESMTP")
	wantPhase(t, s, PhaseGreeted)
	if a := s.Check("AUTH PLAIN AGEAYg=="); a.NeedsConfirm || !s.State().TLS {
		t.Errorf("implicit TLS: %+v", a)
	}
}

// TestAuthFailure is a wrong password: 535 5.7.8.
func TestAuthFailure(t *testing.T) {
	s := ready(t, true, "AUTH PLAIN LOGIN")
	a := send(t, s, "AUTH PLAIN AGFsaWNlAHdyb25nCg==")
	if !a.Secret || a.Line != "AUTH PLAIN "+Mask || a.Command.Arg != "PLAIN "+Mask || !hasWarning(a.Warnings, WarnNewlineInSecret) || !hasWarning(a.Warnings, WarnCleartext) || a.NeedsConfirm {
		t.Errorf("AUTH PLAIN analysis: %+v", a)
	}
	evs := recv(s, "535 5.7.8 Error: authentication failed: authentication failure")
	r := lastReply(t, evs)
	if r.Code != 535 || r.Enhanced != "5.7.8" || r.EnhancedTitle != "Authentication credentials invalid" || r.EnhancedRFC != "RFC 4954 §6" || !strings.Contains(r.Note.English, "echo -n") {
		t.Errorf("535: %+v", r)
	}
	wantPhase(t, s, PhaseReady)
	if st := s.State(); st.Authenticated {
		t.Error("authenticated after 535")
	}
	tr := s.Transcript()
	if e := tr[len(tr)-2]; e.Text.English != "AUTH PLAIN "+Mask || !e.Secret {
		t.Errorf("transcript entry %+v", e)
	}
	if raw, ok := s.Reveal(tr[len(tr)-2].Seq); !ok || raw != "AUTH PLAIN AGFsaWNlAHdyb25nCg==" {
		t.Errorf("Reveal = %q %v", raw, ok)
	}
	if _, ok := s.Reveal(1); ok {
		t.Error("Reveal of a non-secret entry")
	}

	// AUTH LOGIN, cancelled with *.
	send(t, s, "AUTH LOGIN")
	recv(s, "334 VXNlcm5hbWU6")
	if sg := s.Suggestions(); len(sg) != 2 || sg[0].Line.English != "<base64 of your user name>" || sg[1].Line.English != "*" {
		t.Errorf("suggestions %+v", sg)
	}
	if a := s.Check("not base64!"); !hasWarning(a.Warnings, WarnNotBase64) || a.Line != Mask {
		t.Errorf("bad base64: %+v", a)
	}
	a = send(t, s, "*")
	if a.Secret || !strings.Contains(a.Explanation.English, "cancels") {
		t.Errorf("*: %+v", a)
	}
	evs = recv(s, "501 5.7.0 Authentication aborted")
	if r := lastReply(t, evs); r.To != "auth-response" || !strings.Contains(r.Note.English, "cancelled") {
		t.Errorf("501: %+v", r)
	}
	wantPhase(t, s, PhaseReady)
}

// TestOneRefusedRecipient is a transaction where one of two recipients is
// refused and the message still goes to the other.
func TestOneRefusedRecipient(t *testing.T) {
	s := ready(t, true, "ENHANCEDSTATUSCODES", "X-RCPTLIMIT 1")
	send(t, s, "MAIL FROM:<alice@example.org>")
	recv(s, "250 2.1.0 Ok")
	send(t, s, "RCPT TO:<bob@example.org>")
	recv(s, "250 2.1.5 Ok")
	send(t, s, "RCPT TO:<nobody@example.org>")
	evs := recv(s, "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown")
	r := lastReply(t, evs)
	if r.EnhancedTitle != "Bad destination mailbox address" || !strings.Contains(r.Note.English, "others stay") {
		t.Errorf("550: %+v", r)
	}
	if a := s.Check("RCPT TO:<carol@example.org>"); !hasWarning(a.Warnings, WarnTooManyRecipients) {
		t.Errorf("third recipient: %v", codes(a.Warnings))
	}
	st := s.State()
	if st.Phase != PhaseRcpt || !slices.Equal(st.Recipients, []string{"bob@example.org"}) || !slices.Equal(st.Refused, []string{"nobody@example.org"}) {
		t.Errorf("state %+v", st)
	}
	send(t, s, "DATA")
	recv(s, "354 go ahead")
	a := send(t, s, "To: bob@example.org, nobody@example.org")
	if len(a.Warnings) != 1 || !strings.HasPrefix(a.Warnings[0].Message.English, "nobody@example.org") {
		t.Errorf("To: %+v", a.Warnings)
	}
	send(t, s, ".")
	recv(s, "250 2.0.0 Ok: queued")
	if st := s.State(); st.Phase != PhaseReady || st.Recipients != nil || st.Refused != nil {
		t.Errorf("after the message: %+v", st)
	}
}

// TestDropMidData: the server goes away while the message is being typed.
func TestDropMidData(t *testing.T) {
	s := ready(t, true)
	for _, l := range []string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"} {
		send(t, s, l)
		recv(s, map[string]string{"MAIL": "250 Ok", "RCPT": "250 Ok", "DATA": "354 go"}[l[:4]])
	}
	send(t, s, "Subject: half a message")
	evs := s.Closed("server", phrase.Plain("connection reset by peer"))
	if w := eventWarnings(evs); len(w) != 1 || w[0].Code != WarnClosedMidData {
		t.Errorf("warnings %+v", w)
	}
	if c := eventsOf(evs, EventClosed); len(c) != 1 || !strings.Contains(c[0].Text.English, "without a 221") {
		t.Errorf("closed event %+v", c)
	}
	wantPhase(t, s, PhaseClosed)
	if _, err := s.Submit("."); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit after close: %v", err)
	}
	if s.State().Mode != ModeClosed || s.Suggestions() != nil || s.Closed("server", phrase.Plain("again")) != nil {
		t.Error("closed session still active")
	}

	// Gone after the dot, before its reply: nobody knows.
	s = ready(t, true, "PIPELINING")
	for _, l := range []string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"} {
		send(t, s, l)
	}
	recv(s, "250 Ok", "250 Ok", "354 go")
	send(t, s, ".")
	send(t, s, "QUIT")
	if w := eventWarnings(s.Closed("server", phrase.Plain("EOF"))); len(w) != 1 || w[0].Code != WarnClosedNoReply || w[0].RFC != "RFC 1047" {
		t.Errorf("warnings %+v", w)
	}
	// A partial last line is flushed at close.
	s = newTestSession(true)
	evs = s.Receive([]byte("421 4.3.2 Shutting down"))
	if len(evs) != 0 {
		t.Errorf("a piece without LF made events: %+v", evs)
	}
	evs = s.Closed("server", phrase.Plain("EOF"))
	if r := lastReply(t, evs); r.Code != 421 || r.To != "greeting" {
		t.Errorf("flushed reply %+v", r)
	}
	if w := eventWarnings(evs); len(w) != 0 {
		t.Errorf("warnings %+v", w)
	}
}

func TestDotStuffing(t *testing.T) {
	s := ready(t, true)
	for _, l := range []string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"} {
		send(t, s, l)
		recv(s, map[string]string{"MAIL": "250 Ok", "RCPT": "250 Ok", "DATA": "354 go"}[l[:4]])
	}
	send(t, s, "From: <a@example.org>")
	send(t, s, "")
	for _, tc := range []struct {
		line, send, shown string
		stuffed, ends     bool
	}{
		{".hidden", "..hidden\r\n", "..hidden", true, false},
		{"..", "...\r\n", "...", true, false},
		{"a.b", "a.b\r\n", "a.b", false, false},
		{". ", ".. \r\n", ".. ", true, false},
		{".", ".\r\n", ".", false, true},
	} {
		a := send(t, s, tc.line)
		if a.Send != tc.send || a.Shown != tc.shown || a.Stuffed != tc.stuffed || a.EndsData != tc.ends {
			t.Errorf("%q: %+v", tc.line, a)
		}
		if tc.stuffed && !strings.HasPrefix(a.Explanation.English, "Dot-stuffed") {
			t.Errorf("%q explanation %q", tc.line, a.Explanation)
		}
	}
	if a := s.Check("MAIL FROM:<a@example.org>"); a.Mode != ModeCommand {
		t.Errorf("after the dot: %+v", a)
	}
	tr := s.Transcript()
	if e := tr[len(tr)-4]; e.Text.English != "..." {
		t.Errorf("transcript shows %q", e.Text)
	}
}

// TestRefusedByProxy: the tunnel refuses BDAT; the engine forgets it so
// replies keep matching.
func TestRefusedByProxy(t *testing.T) {
	s := ready(t, true, "PIPELINING", "CHUNKING")
	send(t, s, "MAIL FROM:<a@example.org>")
	send(t, s, "RCPT TO:<b@example.org>")
	a := send(t, s, "BDAT 7 LAST")
	if !hasWarning(a.Warnings, WarnBDATTunnel) || s.State().Mode != ModeChunk {
		t.Errorf("BDAT: %+v mode %s", a, s.State().Mode)
	}
	if c := s.Check("hello"); c.Mode != ModeChunk || len(c.Warnings) != 0 {
		t.Errorf("chunk line: %+v", c)
	}
	if c := s.Check("hello world"); !hasWarning(c.Warnings, WarnBDATOverrun) {
		t.Errorf("chunk overrun: %+v", c)
	}
	evs := s.Refused("not_supported", phrase.Plain("BDAT is not supported in v1"))
	if len(evs) != 1 || evs[0].Kind != EventRefused || !strings.Contains(evs[0].Text.English, "use DATA") || !strings.Contains(evs[0].Entry.Text.English, "BDAT 7 LAST") {
		t.Errorf("refused events %+v", evs)
	}
	if st := s.State(); len(st.Pending) != 2 || st.Mode != ModeCommand {
		t.Errorf("after refusal: %+v", st)
	}
	evs = recv(s, "250 Ok", "250 Ok")
	if r := lastReply(t, evs); r.To != "RCPT" {
		t.Errorf("reply to %s", r.To)
	}
	if !strings.Contains(s.Export(ExportOptions{}), "*** refused (not_supported): BDAT 7 LAST") {
		t.Error(s.Export(ExportOptions{}))
	}
	// AUTH refused for plaintext.
	s = ready(t, false, "AUTH PLAIN")
	if _, err := s.Submit("AUTH PLAIN AGEAYg=="); !errors.Is(err, ErrNeedsConfirm) {
		t.Fatalf("Submit: %v", err)
	}
	if st := s.State(); len(st.Pending) != 0 || len(s.Transcript()) != 4 {
		t.Errorf("a refused Submit left traces: %+v", st)
	}
	if _, err := s.SubmitConfirmed("AUTH PLAIN AGEAYg=="); err != nil {
		t.Fatal(err)
	}
	s.Refused("not_allowed", phrase.Plain("AUTH in the clear"))
	if st := s.State(); len(st.Pending) != 0 || st.Mode != ModeCommand {
		t.Errorf("after AUTH refusal: %+v", st)
	}
	if evs := s.Refused("bad_line_ending", phrase.Plain("nothing pending")); len(evs) != 1 || !strings.Contains(evs[0].Text.English, "bad_line_ending") {
		t.Errorf("%+v", evs)
	}
}

// TestConfirmCarriesThroughAuth: confirming AUTH LOGIN to a real server in
// the clear also covers the answers of that exchange, and only that one.
func TestConfirmCarriesThroughAuth(t *testing.T) {
	s := ready(t, false, "AUTH LOGIN")
	if _, err := s.SubmitConfirmed("AUTH LOGIN"); err != nil {
		t.Fatal(err)
	}
	recv(s, "334 VXNlcm5hbWU6")
	if a := send(t, s, "YWxpY2U="); a.NeedsConfirm {
		t.Error("answer needs confirmation again")
	}
	recv(s, "535 5.7.8 no")
	send(t, s, "RSET")
	recv(s, "250 ok")
	if a := s.Check("AUTH LOGIN"); !a.NeedsConfirm {
		t.Error("a new AUTH is not asked for confirmation")
	}
}

func TestReceiveEdges(t *testing.T) {
	s := newTestSession(true)
	// A greeting in 8 KiB pieces, then a bare LF.
	long := "220 " + strings.Repeat("x", 9000)
	if evs := s.Receive([]byte(long[:8192])); len(evs) != 0 {
		t.Errorf("piece: %+v", evs)
	}
	evs := s.Receive([]byte(long[8192:] + "\n"))
	if r := lastReply(t, evs); r.Code != 220 || len(r.Lines[0]) != 9000 {
		t.Errorf("reassembled reply: %d %d", r.Code, len(r.Lines[0]))
	}
	if w := eventWarnings(evs); len(w) != 1 || w[0].Code != WarnBareLF {
		t.Errorf("warnings %+v", w)
	}
	// Garbage, mixed codes, an unsolicited reply, a 421.
	evs = recv(s, "hello there")
	if w := eventWarnings(evs); len(w) != 1 || w[0].Code != WarnMalformedReply {
		t.Errorf("garbage: %+v", w)
	}
	evs = recv(s, "250 nobody asked")
	if w := eventWarnings(evs); len(w) != 1 || w[0].Code != WarnUnsolicited {
		t.Errorf("unsolicited: %+v", w)
	}
	send(t, s, "EHLO x.example")
	evs = recv(s, "250-x", "251 y")
	if w := eventWarnings(evs); len(w) != 1 || w[0].Code != WarnMixedCodes {
		t.Errorf("mixed: %+v", w)
	}
	evs = recv(s, "421 4.4.2 Timeout, bye")
	if r := lastReply(t, evs); r.To != "" || !strings.Contains(r.Note.English, "closing") {
		t.Errorf("421: %+v", r)
	}
	wantPhase(t, s, PhaseClosing)
	if a := s.Check("NOOP"); !hasWarning(a.Warnings, WarnAfterQuit) {
		t.Errorf("after 421: %v", codes(a.Warnings))
	}
	// An endless line without LF is cut at 64 KiB.
	s = newTestSession(true)
	if evs := s.Receive(make([]byte, maxPartial+1)); len(eventsOf(evs, EventLine)) != 1 {
		t.Errorf("oversized piece: %d events", len(evs))
	}
}

func TestNoServiceGreeting(t *testing.T) {
	s := newTestSession(true)
	evs := recv(s, "554 5.7.1 No SMTP service here")
	if r := lastReply(t, evs); !strings.Contains(r.Note.English, "QUIT") {
		t.Errorf("554 greeting: %+v", r)
	}
	if a := s.Check("EHLO x.example"); !hasWarning(a.Warnings, WarnNoService) {
		t.Errorf("EHLO after 554: %v", codes(a.Warnings))
	}
	if sg := s.Suggestions(); len(sg) != 1 || sg[0].Line.English != "QUIT" {
		t.Errorf("suggestions %+v", sg)
	}
}

// TestProxySentenceInPhrases: the proxy's sentence, given in phrases of its
// own, is said in them after the engine's lead-in, in the events and the
// transcript alike; given plain, it fills the engine's phrase. The English is
// the same either way.
func TestProxySentenceInPhrases(t *testing.T) {
	keysOf := func(tx phrase.Text) string {
		var ks []string
		for _, p := range tx.Phrases {
			ks = append(ks, p.Key)
		}
		return strings.Join(ks, " ")
	}
	said := phrase.Text{English: "the proxy says no", Phrases: []phrase.Phrase{{Key: "detail.no", Args: map[string]string{"x": "1"}}}}
	refused := func(message phrase.Text) Event {
		s := ready(t, true)
		send(t, s, "NOOP")
		evs := s.Refused("reply_pending", message)
		if len(evs) != 1 || evs[0].Entry == nil || evs[0].Warning == nil {
			t.Fatalf("refused events %+v", evs)
		}
		if kept := s.Transcript(); !reflect.DeepEqual(kept[len(kept)-1], *evs[0].Entry) {
			t.Errorf("transcript %+v, event %+v", kept[len(kept)-1], *evs[0].Entry)
		}
		return evs[0]
	}
	plain, named := refused(phrase.Plain(said.English)), refused(said)
	if plain.Entry.Text.English != named.Entry.Text.English || plain.Warning.Message.English != named.Warning.Message.English ||
		named.Warning.Message.English != "The proxy refused the line (reply_pending): the proxy says no" {
		t.Errorf("English: %q %q / %q %q", plain.Entry.Text.English, plain.Warning.Message.English, named.Entry.Text.English, named.Warning.Message.English)
	}
	if k := keysOf(plain.Entry.Text); k != "event.refused.line event.refused.message" {
		t.Errorf("plain entry %s", k)
	}
	if k := keysOf(named.Entry.Text); k != "event.refused.line detail.no" || named.Entry.Text.Phrases[1].Args["x"] != "1" {
		t.Errorf("named entry %+v", named.Entry.Text)
	}
	if k := keysOf(plain.Warning.Message); k != "warn.refused" {
		t.Errorf("plain warning %s", k)
	}
	if k := keysOf(named.Warning.Message); k != "warn.refused-lead detail.no" {
		t.Errorf("named warning %s", k)
	}

	closed := func(reason phrase.Text) phrase.Text {
		s := ready(t, true)
		evs := eventsOf(s.Closed("proxy", reason), EventClosed)
		if len(evs) != 1 {
			t.Fatalf("closed events %+v", evs)
		}
		if kept := s.Transcript(); !reflect.DeepEqual(kept[len(kept)-1].Text, evs[0].Text) {
			t.Errorf("transcript %+v, event %+v", kept[len(kept)-1].Text, evs[0].Text)
		}
		return evs[0].Text
	}
	p, n := closed(phrase.Plain(said.English)), closed(said)
	if p.English != n.English || n.English != "Connection closed by proxy: the proxy says no." {
		t.Errorf("English %q %q", p.English, n.English)
	}
	if k := keysOf(p); k != "event.closed.proxy event.closed.reason" {
		t.Errorf("plain closed %s", k)
	}
	if k := keysOf(n); k != "event.closed.proxy event.closed.reason-lead detail.no" {
		t.Errorf("named closed %s", k)
	}
}
