package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// dsnData is the message of the DSN tests.
const dsnData = "From: Me <me@example.org>\r\n" +
	"To: friend@example.org\r\n" +
	"Subject: Tell me when it arrives\r\n" +
	"Message-ID: <dsn-test@example.org>\r\n" +
	"\r\n" +
	"Hello,\r\n" +
	"please confirm.\r\n"

// dsnHeaders is the header section of dsnData, as text/rfc822-headers
// returns it.
const dsnHeaders = "From: Me <me@example.org>\r\n" +
	"To: friend@example.org\r\n" +
	"Subject: Tell me when it arrives\r\n" +
	"Message-ID: <dsn-test@example.org>\r\n"

// report is a delivery report parsed back with go-message.
type report struct {
	raw          string
	header       message.Header
	parts        []reportPart
	perMessage   textproto.MIMEHeader
	perRecipient []textproto.MIMEHeader
}

type reportPart struct {
	mediaType string
	header    message.Header
	body      string
}

// parseReport parses a stored report and checks its MIME structure: a
// multipart/report of delivery-status with three parts.
func parseReport(t *testing.T, raw string) report {
	t.Helper()
	e, err := message.Read(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("report does not parse: %v\n%s", err, raw)
	}
	r := report{raw: raw, header: e.Header}
	mt, params, err := e.Header.ContentType()
	if err != nil || mt != "multipart/report" || params["report-type"] != "delivery-status" {
		t.Fatalf("Content-Type %q %v (%v)", mt, params, err)
	}
	mr := e.MultipartReader()
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("part %d: %v\n%s", len(r.parts), err, raw)
		}
		pmt, _, _ := p.Header.ContentType()
		body, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatal(err)
		}
		r.parts = append(r.parts, reportPart{mediaType: pmt, header: p.Header, body: string(body)})
	}
	if len(r.parts) != 3 || r.parts[0].mediaType != "text/plain" || r.parts[1].mediaType != "message/delivery-status" {
		t.Fatalf("parts %+v", r.parts)
	}
	tr := textproto.NewReader(bufio.NewReader(strings.NewReader(r.parts[1].body)))
	for {
		h, err := tr.ReadMIMEHeader()
		if len(h) > 0 {
			if r.perMessage == nil {
				r.perMessage = h
			} else {
				r.perRecipient = append(r.perRecipient, h)
			}
		}
		if err != nil {
			break
		}
	}
	return r
}

// fields checks that h holds exactly want, field by field.
func fields(t *testing.T, what string, h textproto.MIMEHeader, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := h.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s %s: %q, want %q", what, k, got, v)
		}
	}
	for k := range h {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected field %s: %q", what, k, h[k])
		}
	}
}

// rawMessage reads a stored message through the API, as the page does.
func rawMessage(t *testing.T, s *Sandbox, token, id string) string {
	t.Helper()
	code, h, body := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+id+"/raw")
	if code != 200 || h.Get("Content-Type") != "message/rfc822" {
		t.Fatalf("raw %s: %d %q", id, code, h.Get("Content-Type"))
	}
	return string(body)
}

// queueID is the id of a "250 2.0.0 Ok: queued as ID" reply.
func queueID(t *testing.T, reply []string) string {
	t.Helper()
	id, ok := strings.CutPrefix(reply[0], "250 2.0.0 Ok: queued as ")
	if !ok || len(reply) != 1 {
		t.Fatalf("after the dot: %q", reply)
	}
	id, _, _ = strings.Cut(id, " ")
	return id
}

// transact runs one transaction with raw commands and returns the reply to
// the final dot.
func (c *client) transact(mail string, rcpts []string, data string) []string {
	c.t.Helper()
	c.do(mail, "250 ")
	for _, r := range rcpts {
		c.do(r, "25")
	}
	c.do("DATA", "354 ")
	c.send(data + ".\r\n")
	return c.reply()
}

func TestDSNOffered(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "sandbox", "", nil)
	if ehlo := c.do("EHLO client.example", "250 "); !slices.Contains(ehlo, "250-DSN") {
		t.Errorf("sandbox: EHLO %q lacks DSN", ehlo)
	}
	c.exact("MAIL FROM:<me@example.org> RET=FULL ENVID=QQ314159", "250 2.1.0 Sender OK, accepting mail from <me@example.org>")
	c.exact("RCPT TO:<a@example.org> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;a@example.org", "250 2.1.5 Recipient OK, I'll make sure <a@example.org> gets this")
	c.exact("RCPT TO:<b@example.org> NOTIFY=NEVER,SUCCESS", "501 5.5.4 Malformed NOTIFY parameter value")
	c.exact("RCPT TO:<b@example.org> ORCPT=bogus", "501 5.5.4 Malformed ORCPT parameter value")
	c.exact("RSET", "250 2.0.0 Session reset")
	c.exact("MAIL FROM:<me@example.org> RET=ALL", "501 5.5.4 Unknown RET value")

	strict, _ := dial(t, s, "sandbox-strict", "", nil)
	strict.do("EHLO client.example", "250 ")
	strict.startTLS(s, "sandbox-strict")
	if ehlo := strict.do("EHLO client.example", "250 "); !slices.Contains(ehlo, "250-DSN") {
		t.Errorf("sandbox-strict: EHLO %q lacks DSN", ehlo)
	}
}

// TestDSNSuccessReport: NOTIFY=SUCCESS with ENVID, ORCPT and RET=HDRS gives
// a success report, read back through the mailbox API and checked field by
// field.
func TestDSNSuccessReport(t *testing.T) {
	s := newTestSandbox(t, Config{})
	var deliveries []Delivery
	c, token := dial(t, s, "sandbox", "", func(d Delivery) { deliveries = append(deliveries, d) })
	c.do("EHLO client.example", "250 ")
	before := time.Now().Truncate(time.Second)
	id := queueID(t, c.transact("MAIL FROM:<me@example.org> RET=HDRS ENVID=QQ+2B314159", []string{
		"RCPT TO:<friend@example.org> NOTIFY=SUCCESS ORCPT=rfc822;Friend+2Balias@example.org",
		"RCPT TO:<other@example.org>", // no NOTIFY: nothing to report on success
	}, dsnData))

	l := list(t, s, token)
	if len(l.Messages) != 2 {
		t.Fatalf("mailbox %+v, want the message and a report", l.Messages)
	}
	rep, msg := l.Messages[0], l.Messages[1]
	if msg.ID != id || !slices.Equal(msg.To, []string{"friend@example.org", "other@example.org"}) {
		t.Errorf("message %+v", msg)
	}
	if rep.From != "" || !slices.Equal(rep.To, []string{"me@example.org"}) || rep.Subject != "Delivery Status Notification (Success)" {
		t.Errorf("report listed as %+v", rep)
	}
	if len(deliveries) != 2 || deliveries[0].ID != id || deliveries[1].ID != rep.ID || deliveries[1].From != "" {
		t.Errorf("deliveries %+v", deliveries)
	}

	r := parseReport(t, rawMessage(t, s, token, rep.ID))
	if !strings.HasPrefix(r.raw, "Return-Path: <>\r\nReceived: by sandbox.smtplay (smtplay sandbox, delivery report) id "+rep.ID+";\r\n") {
		t.Errorf("trace:\n%s", r.raw)
	}
	for k, v := range map[string]string{
		"From":           "Mail Delivery System <MAILER-DAEMON@sandbox.smtplay>",
		"To":             "me@example.org",
		"Subject":        "Delivery Status Notification (Success)",
		"Auto-Submitted": "auto-replied",
		"Message-ID":     "<" + rep.ID + "@sandbox.smtplay>",
		"MIME-Version":   "1.0",
	} {
		if got := r.header.Get(k); got != v {
			t.Errorf("header %s: %q, want %q", k, got, v)
		}
	}
	date, err := mail.ParseDate(r.header.Get("Date"))
	if err != nil || date.Before(before) || date.After(time.Now()) {
		t.Errorf("Date %q: %v", r.header.Get("Date"), err)
	}
	for _, raw := range []string{"\r\nMessage-ID: ", "\r\nMIME-Version: 1.0\r\n", "\r\nReporting-MTA: dns; sandbox.smtplay\r\n"} {
		if !strings.Contains(r.raw, raw) {
			t.Errorf("raw report lacks %q", raw)
		}
	}

	if !strings.Contains(r.parts[0].body, "  <friend@example.org>: delivered to its mailbox in the sandbox\r\n") ||
		strings.Contains(r.parts[0].body, "other@") || !strings.Contains(r.parts[0].body, "(queued as "+id+", as the 250 reply said)") {
		t.Errorf("text part:\n%s", r.parts[0].body)
	}
	arrival := r.perMessage.Get("Arrival-Date")
	if _, err := mail.ParseDate(arrival); err != nil {
		t.Errorf("Arrival-Date %q: %v", arrival, err)
	}
	fields(t, "per-message", r.perMessage, map[string]string{
		"Original-Envelope-Id": "QQ+314159",
		"Reporting-Mta":        "dns; sandbox.smtplay",
		"Arrival-Date":         arrival,
		"X-Smtplay-Queue-Id":   id,
	})
	if len(r.perRecipient) != 1 {
		t.Fatalf("per-recipient groups %v", r.perRecipient)
	}
	fields(t, "per-recipient", r.perRecipient[0], map[string]string{
		"Original-Recipient": "rfc822; Friend+alias@example.org",
		"Final-Recipient":    "rfc822; friend@example.org",
		"Action":             "delivered",
		"Status":             "2.0.0",
	})
	if r.parts[2].mediaType != "text/rfc822-headers" || r.parts[2].body != dsnHeaders {
		t.Errorf("returned %s:\n%q", r.parts[2].mediaType, r.parts[2].body)
	}

	// The parsed view the inbox shows.
	var v messageView
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+rep.ID, &v)
	if v.From != "" || v.Subject != "Delivery Status Notification (Success)" || !strings.HasPrefix(v.Text, "This is the mail system at sandbox.smtplay") {
		t.Errorf("view %+v", v)
	}
	var tree []string
	for _, p := range v.MIME.Parts {
		tree = append(tree, p.ContentType)
	}
	if v.MIME.ContentType != "multipart/report" || !slices.Equal(tree, []string{"text/plain", "message/delivery-status", "text/rfc822-headers"}) {
		t.Errorf("MIME tree %+v", v.MIME)
	}
}

// TestDSNBounce: bounce@ beside an ordinary recipient. The ordinary one is
// delivered; bounce@ is not, and a failure report with the whole message
// (RET=FULL) goes to the envelope sender.
func TestDSNBounce(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	c.do("MAIL FROM:<me@example.org> RET=FULL", "250 ")
	c.exact("RCPT TO:<bounce@example.org>", "250 2.1.5 Recipient OK (practice fault bounce@: accepted now, bounced after the message)")
	c.do("RCPT TO:<friend@example.org>", "250 ")
	c.do("DATA", "354 ")
	c.send(dsnData + ".\r\n")
	id := queueID(t, c.reply())

	l := list(t, s, token)
	if len(l.Messages) != 2 {
		t.Fatalf("mailbox %+v, want the delivered message and a failure report", l.Messages)
	}
	rep, msg := l.Messages[0], l.Messages[1]
	if msg.ID != id || !slices.Equal(msg.To, []string{"friend@example.org"}) {
		t.Errorf("delivered %+v, want it for friend@ only", msg)
	}
	if stored := rawMessage(t, s, token, id); !strings.Contains(stored, "\tfor <friend@example.org>;") {
		t.Errorf("delivered copy:\n%s", stored)
	}
	if rep.From != "" || !slices.Equal(rep.To, []string{"me@example.org"}) || rep.Subject != "Delivery Status Notification (Failure)" {
		t.Errorf("report listed as %+v", rep)
	}
	r := parseReport(t, rawMessage(t, s, token, rep.ID))
	fields(t, "per-message", r.perMessage, map[string]string{
		"Reporting-Mta":      "dns; sandbox.smtplay",
		"Arrival-Date":       r.perMessage.Get("Arrival-Date"),
		"X-Smtplay-Queue-Id": id,
	})
	if len(r.perRecipient) != 1 {
		t.Fatalf("per-recipient groups %v", r.perRecipient)
	}
	diag := "smtp; 550 5.1.1 Mailbox does not exist: the message bounced after it was accepted (practice fault bounce@)"
	fields(t, "per-recipient", r.perRecipient[0], map[string]string{
		"Final-Recipient":   "rfc822; bounce@example.org",
		"Action":            "failed",
		"Status":            "5.1.1",
		"Diagnostic-Code":   diag,
		"Last-Attempt-Date": r.perMessage.Get("Arrival-Date"),
	})
	if r.parts[2].mediaType != "message/rfc822" || r.parts[2].body != dsnData {
		t.Errorf("returned %s:\n%q", r.parts[2].mediaType, r.parts[2].body)
	}
	if !strings.Contains(r.parts[0].body, "  <bounce@example.org>: 550 5.1.1 Mailbox does not exist") ||
		strings.Contains(r.parts[0].body, "friend@") {
		t.Errorf("text part:\n%s", r.parts[0].body)
	}
}

// TestDSNWhen: which recipients get which reports, and when none is made.
func TestDSNWhen(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mail     string
		rcpts    []string
		messages []string // Subjects in the mailbox, newest first
	}{
		{"null sender: never a report", "MAIL FROM:<>",
			[]string{"RCPT TO:<bounce@example.org>", "RCPT TO:<friend@example.org> NOTIFY=SUCCESS"},
			[]string{"Tell me when it arrives"}},
		{"NOTIFY=NEVER", "MAIL FROM:<me@example.org>",
			[]string{"RCPT TO:<bounce@example.org> NOTIFY=NEVER"},
			nil},
		{"NOTIFY without FAILURE", "MAIL FROM:<me@example.org>",
			[]string{"RCPT TO:<bounce@example.org> NOTIFY=SUCCESS,DELAY"},
			nil},
		{"NOTIFY=SUCCESS,FAILURE on bounce@: failure only", "MAIL FROM:<me@example.org>",
			[]string{"RCPT TO:<bounce@example.org> NOTIFY=SUCCESS,FAILURE"},
			[]string{"Delivery Status Notification (Failure)"}},
		{"no NOTIFY means FAILURE", "MAIL FROM:<me@example.org>",
			[]string{"RCPT TO:<bounce@example.org>", "RCPT TO:<friend@example.org>"},
			[]string{"Delivery Status Notification (Failure)", "Tell me when it arrives"}},
		{"both kinds", "MAIL FROM:<me@example.org>",
			[]string{"RCPT TO:<bounce@example.org>", "RCPT TO:<forward@example.org> NOTIFY=SUCCESS"},
			[]string{"Delivery Status Notification (Failure)", "Delivery Status Notification (Success)", "Tell me when it arrives"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSandbox(t, Config{})
			c, token := dial(t, s, "sandbox", "", nil)
			c.do("EHLO client.example", "250 ")
			queueID(t, c.transact(tc.mail, tc.rcpts, dsnData))
			var got []string
			for _, m := range list(t, s, token).Messages {
				got = append(got, m.Subject)
			}
			if !slices.Equal(got, tc.messages) {
				t.Errorf("mailbox %q, want %q", got, tc.messages)
			}
		})
	}
}

// TestDSNForwardDelivered: forward@ with NOTIFY=SUCCESS is reported as
// delivered, since the sandbox keeps the message.
func TestDSNForwardDelivered(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO client.example", "250 ")
	queueID(t, c.transact("MAIL FROM:<me@example.org>", []string{"RCPT TO:<forward@example.org> NOTIFY=SUCCESS"}, dsnData))
	l := list(t, s, token)
	if len(l.Messages) != 2 {
		t.Fatalf("mailbox %+v", l.Messages)
	}
	r := parseReport(t, rawMessage(t, s, token, l.Messages[0].ID))
	if len(r.perRecipient) != 1 || r.perRecipient[0].Get("Action") != "delivered" {
		t.Errorf("per-recipient %v", r.perRecipient)
	}
}

// TestDSNReturned: what a report returns of the message.
func TestDSNReturned(t *testing.T) {
	big := "Subject: big\r\n\r\n" + strings.Repeat(strings.Repeat("x", 98)+"\r\n", maxReturnedBytes/100+1)
	for _, tc := range []struct {
		name, mail, rcpt, data string
		wantType, wantBody     string
	}{
		{"failure, no RET: headers", "MAIL FROM:<me@example.org>", "RCPT TO:<bounce@example.org>", dsnData,
			"text/rfc822-headers", dsnHeaders},
		{"failure, RET=HDRS", "MAIL FROM:<me@example.org> RET=HDRS", "RCPT TO:<bounce@example.org>", dsnData,
			"text/rfc822-headers", dsnHeaders},
		{"failure, RET=FULL", "MAIL FROM:<me@example.org> RET=FULL", "RCPT TO:<bounce@example.org>", dsnData,
			"message/rfc822", dsnData},
		{"failure, RET=FULL, too big to return", "MAIL FROM:<me@example.org> RET=FULL", "RCPT TO:<bounce@example.org>", big,
			"text/rfc822-headers", "Subject: big\r\n"},
		{"success, RET=FULL: headers (RFC 3461 section 4.3)", "MAIL FROM:<me@example.org> RET=FULL", "RCPT TO:<a@example.org> NOTIFY=SUCCESS", dsnData,
			"text/rfc822-headers", dsnHeaders},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestSandbox(t, Config{})
			c, token := dial(t, s, "sandbox", "", nil)
			c.do("EHLO client.example", "250 ")
			queueID(t, c.transact(tc.mail, []string{tc.rcpt}, tc.data))
			l := list(t, s, token)
			r := parseReport(t, rawMessage(t, s, token, l.Messages[0].ID))
			if r.parts[2].mediaType != tc.wantType || r.parts[2].body != tc.wantBody {
				t.Errorf("returned %s, %d bytes, want %s, %d bytes", r.parts[2].mediaType, len(r.parts[2].body), tc.wantType, len(tc.wantBody))
			}
			if len(r.raw) > maxReturnedBytes+4096 {
				t.Errorf("report of %d bytes", len(r.raw))
			}
		})
	}
}

// TestDSNLimits: reports count against the mailbox's message cap and the
// storage cap like any message.
func TestDSNLimits(t *testing.T) {
	t.Run("MaxMessages", func(t *testing.T) {
		s := newTestSandbox(t, Config{MaxMessages: 2})
		c, token := dial(t, s, "sandbox", "", nil)
		c.do("EHLO client.example", "250 ")
		rcpts := []string{"RCPT TO:<friend@example.org> NOTIFY=SUCCESS"}
		if got := c.transact("MAIL FROM:<me@example.org>", rcpts, dsnData); strings.Contains(got[0], "removed") {
			t.Errorf("first: %q", got)
		}
		got := c.transact("MAIL FROM:<me@example.org>", rcpts, dsnData)
		if !strings.HasSuffix(got[0], " (your mailbox keeps 2 messages: the oldest was removed)") {
			t.Errorf("second: %q", got)
		}
		id := queueID(t, got)
		l := list(t, s, token)
		if len(l.Messages) != 2 || l.Messages[1].ID != id || l.Messages[0].From != "" {
			t.Errorf("kept %+v", l.Messages)
		}
	})
	t.Run("MaxStoredBytes", func(t *testing.T) {
		// Room for the message (about 400 bytes stored), not for a report
		// (about 2 KB).
		s := newTestSandbox(t, Config{MaxStoredBytes: 1000})
		c, token := dial(t, s, "sandbox", "", nil)
		c.do("EHLO client.example", "250 ")
		// The message fits, but not with its report: neither is stored.
		got := c.transact("MAIL FROM:<me@example.org>", []string{"RCPT TO:<friend@example.org> NOTIFY=SUCCESS"}, dsnData)
		if got[0] != "452 4.3.1 Insufficient system storage: the sandbox holds all the mail it may right now; try again later" {
			t.Errorf("message and report over the cap: %q", got)
		}
		// The failure report alone does not fit either.
		got = c.transact("MAIL FROM:<me@example.org>", []string{"RCPT TO:<bounce@example.org>"}, dsnData)
		if !strings.HasPrefix(got[0], "452 4.3.1 ") {
			t.Errorf("report over the cap: %q", got)
		}
		if n := len(list(t, s, token).Messages); n != 0 {
			t.Errorf("%d messages stored", n)
		}
		if st := s.Stats(); st.StoredBytes != 0 {
			t.Errorf("%d bytes stored", st.StoredBytes)
		}
		// Without a report the message fits.
		if got := c.transact("MAIL FROM:<me@example.org>", []string{"RCPT TO:<friend@example.org>"}, dsnData); !strings.HasPrefix(got[0], "250 ") {
			t.Errorf("message alone: %q", got)
		}
	})
}

func TestHelpListsBounce(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, _ := dial(t, s, "sandbox", "", nil)
	help := c.cmd("HELP faults")
	want := "214-2.0.0 bounce@    RCPT  250 2.1.5 now; after the message, a bounce (failure report, 5.1.1) to MAIL FROM"
	if !slices.Contains(help, want) {
		t.Errorf("HELP faults %q lacks %q", help, want)
	}
}

// TestDSNOverTCP sends DSN parameters with go-smtp's client, a real client,
// over the TCP listener.
func TestDSNOverTCP(t *testing.T) {
	s := newTestSandbox(t, Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	token, err := s.ServeTCP(ctx, l, "sandbox-strict")
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.DialStartTLS(l.Addr().String(), &tls.Config{RootCAs: s.RootCAs(), ServerName: "sandbox-strict"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("DSN"); !ok {
		t.Fatal("DSN not offered")
	}
	if err := c.Auth(sasl.NewPlainClient("", "student", "practice")); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("me@example.org", &smtp.MailOptions{Return: smtp.DSNReturnHeaders, EnvelopeID: "tcp-1"}); err != nil {
		t.Fatal(err)
	}
	for _, rc := range []struct {
		addr string
		opts *smtp.RcptOptions
	}{
		{"friend@example.org", &smtp.RcptOptions{Notify: []smtp.DSNNotify{smtp.DSNNotifySuccess, smtp.DSNNotifyFailure},
			OriginalRecipientType: smtp.DSNAddressTypeRFC822, OriginalRecipient: "alias@example.org"}},
		{"bounce@example.org", &smtp.RcptOptions{Notify: []smtp.DSNNotify{smtp.DSNNotifyFailure}}},
	} {
		if err := c.Rcpt(rc.addr, rc.opts); err != nil {
			t.Fatal(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, dsnData)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()

	var got []string
	for _, m := range list(t, s, token).Messages {
		if m.From == "" {
			r := parseReport(t, rawMessage(t, s, token, m.ID))
			if r.perMessage.Get("Original-Envelope-Id") != "tcp-1" || len(r.perRecipient) != 1 {
				t.Errorf("%s: %v %v", m.Subject, r.perMessage, r.perRecipient)
			}
			got = append(got, m.Subject+": "+r.perRecipient[0].Get("Original-Recipient")+" "+r.perRecipient[0].Get("Final-Recipient"))
		} else {
			got = append(got, m.Subject+": "+strings.Join(m.To, ","))
		}
	}
	want := []string{
		"Delivery Status Notification (Failure):  rfc822; bounce@example.org",
		"Delivery Status Notification (Success): rfc822; alias@example.org rfc822; friend@example.org",
		"Tell me when it arrives: friend@example.org",
	}
	if !slices.Equal(got, want) {
		t.Errorf("mailbox:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHeaderSection(t *testing.T) {
	msg := "A: 1\r\nB: 2\r\n 2b\r\n 2c\r\nC: 3\r\n\r\nbody\r\n"
	for _, tc := range []struct {
		data  string
		limit int
		want  string
	}{
		{msg, 1000, "A: 1\r\nB: 2\r\n 2b\r\n 2c\r\nC: 3\r\n"},
		{msg, 20, "A: 1\r\n"}, // cut in B's continuation: back to before B
		{msg, 6, "A: 1\r\n"},
		{msg, 5, ""},
		{"A: 1\r\n", 1000, "A: 1\r\n"},       // no body
		{"\r\nbody\r\n", 1000, ""},           // no header
		{"A: 1\r\nno end", 1000, "A: 1\r\n"}, // a partial line is not a field
		{"A: 1\r\nB: 2\r\n\r\n", 12, "A: 1\r\nB: 2\r\n"},
	} {
		if got := string(headerSection([]byte(tc.data), tc.limit)); got != tc.want {
			t.Errorf("headerSection(%q, %d) = %q, want %q", tc.data, tc.limit, got, tc.want)
		}
	}
}

func TestTypedAddress(t *testing.T) {
	for _, tc := range []struct {
		typ  smtp.DSNAddressType
		addr string
		want string
	}{
		{smtp.DSNAddressTypeRFC822, "a+b@example.org", "rfc822; a+b@example.org"},
		{smtp.DSNAddressTypeRFC822, "jörg@bücher.example", `utf-8; j\x{F6}rg@b\x{FC}cher.example`},
		{smtp.DSNAddressTypeUTF8, "a+b=c\\d@example.org", `utf-8; a\x{2B}b\x{3D}c\x{5C}d@example.org`},
		{smtp.DSNAddressTypeUTF8, "日@example.org", `utf-8; \x{65E5}@example.org`},
	} {
		if got := typedAddress(tc.typ, tc.addr); got != tc.want {
			t.Errorf("typedAddress(%s, %q) = %q, want %q", tc.typ, tc.addr, got, tc.want)
		}
	}
}

func TestWriteFieldFolds(t *testing.T) {
	var b bytes.Buffer
	writeField(&b, "Diagnostic-Code", "smtp; 550 5.1.1 Mailbox does not exist: the message bounced after it was accepted (practice fault bounce@)")
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n") {
		if len(line) > maxFieldLine {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
	}
	h, err := textproto.NewReader(bufio.NewReader(io.MultiReader(&b, strings.NewReader("\r\n")))).ReadMIMEHeader()
	if err != nil || h.Get("Diagnostic-Code") != "smtp; 550 5.1.1 Mailbox does not exist: the message bounced after it was accepted (practice fault bounce@)" {
		t.Errorf("unfolded %q, %v", h.Get("Diagnostic-Code"), err)
	}
	b.Reset()
	writeField(&b, "X", strings.Repeat("y", 100))
	if b.String() != "X: "+strings.Repeat("y", 100)+"\r\n" {
		t.Errorf("one long word: %q", b.String())
	}
}
