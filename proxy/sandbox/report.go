package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	mtextproto "github.com/emersion/go-message/textproto"
	"github.com/emersion/go-smtp"
)

// build writes the report of kind k about the recipients rs of tx, as RFC
// 3464 says: a multipart/report (RFC 6522) of a human-readable part, a
// message/delivery-status part and the returned message (message/rfc822) or
// its headers (text/rfc822-headers). It is from the mail system to the
// envelope sender, with the null return path.
//
// There is no Remote-MTA field: the sandbox is the final server, and no other
// server answered. The Diagnostic-Code is the SMTP reply the failed delivery
// got.
func (k *reportKind) build(host string, tx *transaction, rs []recipient) (*storedMessage, error) {
	id := newMessageID()
	returned, full, note := k.returned(tx)
	text := k.notification(host, tx, rs, note)

	var body bytes.Buffer
	w, err := message.CreateWriter(&body, headerOf(
		"From", "Mail Delivery System <MAILER-DAEMON@"+host+">",
		"To", tx.from,
		"Subject", k.subject,
		"Date", tx.arrival.Format(time.RFC1123Z),
		"Message-ID", "<"+id+"@"+host+">",
		"Auto-Submitted", "auto-replied", // RFC 3834 section 5
		"MIME-Version", "1.0",
		"Content-Type", mime.FormatMediaType("multipart/report", map[string]string{
			"report-type": "delivery-status",
			"boundary":    mtextproto.NewMultipartWriter(io.Discard).Boundary(),
		}),
	))
	if err != nil {
		return nil, err
	}
	returnedType, returnedAbout := "text/rfc822-headers", "Returned message headers"
	if full {
		returnedType, returnedAbout = "message/rfc822", "Returned message"
	}
	textType := "text/plain; charset=us-ascii"
	if !isASCII(text) {
		textType = "text/plain; charset=utf-8"
	}
	parts := []struct {
		header message.Header
		body   []byte
	}{
		{partHeader(textType, "Notification", text), text},
		{partHeader("message/delivery-status", "Delivery report", nil), k.deliveryStatus(host, tx, rs)},
		{partHeader(returnedType, returnedAbout, returned), returned},
	}
	for _, p := range parts {
		pw, err := w.CreatePart(p.header)
		if err != nil {
			return nil, err
		}
		if _, err := pw.Write(p.body); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}

	trace := reportTrace(host, id, tx.arrival)
	return &storedMessage{
		id:       id,
		to:       []string{tx.from},
		subject:  k.subject,
		size:     body.Len(),
		received: tx.arrival,
		raw:      append(append(make([]byte, 0, len(trace)+body.Len()), trace...), body.Bytes()...),
	}, nil
}

// notification is the human-readable part, CRLF line ends.
func (k *reportKind) notification(host string, tx *transaction, rs []recipient, note string) []byte {
	var b strings.Builder
	para := func(s string) {
		b.WriteString(strings.ReplaceAll(s, "\n", "\r\n"))
		b.WriteString("\r\n\r\n")
	}
	para("This is the mail system at " + host + ", the smtplay practice server.")
	para(k.intro)
	b.WriteString("Your message (queued as " + tx.id + ", as the 250 reply said):\r\n")
	for _, r := range rs {
		outcome := "delivered to its mailbox in the sandbox"
		if r.bounce != nil {
			outcome = r.bounce.diagnostic()
		}
		b.WriteString("  <" + r.addr + ">: " + outcome + "\r\n")
	}
	b.WriteString("\r\n")
	para(note)
	b.WriteString(strings.ReplaceAll("This report went to the envelope sender of your message, <"+tx.from+">,\n"+
		"with the null sender (MAIL FROM:<>): no report is ever made about a\n"+
		"report, so a bounce cannot bounce.\n", "\n", "\r\n"))
	return []byte(strings.ToValidUTF8(b.String(), "\uFFFD"))
}

// deliveryStatus is the message/delivery-status part (RFC 3464 section 2):
// the per-message fields, then a group of fields for each recipient, each
// group after an empty line.
func (k *reportKind) deliveryStatus(host string, tx *transaction, rs []recipient) []byte {
	var b bytes.Buffer
	if tx.envID != "" {
		writeField(&b, "Original-Envelope-Id", tx.envID)
	}
	writeField(&b, "Reporting-MTA", "dns; "+host)
	writeField(&b, "Arrival-Date", tx.arrival.Format(time.RFC1123Z))
	writeField(&b, "X-Smtplay-Queue-ID", tx.id)
	for _, r := range rs {
		b.WriteString("\r\n")
		if r.orcpt != "" {
			writeField(&b, "Original-Recipient", typedAddress(r.orcptType, r.orcpt))
		}
		writeField(&b, "Final-Recipient", typedAddress(smtp.DSNAddressTypeRFC822, r.addr))
		writeField(&b, "Action", k.action)
		if r.bounce == nil {
			writeField(&b, "Status", "2.0.0")
			continue
		}
		e := r.bounce.enhanced
		writeField(&b, "Status", fmt.Sprintf("%d.%d.%d", e[0], e[1], e[2]))
		writeField(&b, "Diagnostic-Code", "smtp; "+r.bounce.diagnostic())
		writeField(&b, "Last-Attempt-Date", tx.arrival.Format(time.RFC1123Z))
	}
	return b.Bytes()
}

// typedAddress formats an address as Final-Recipient and Original-Recipient
// want it: "rfc822; " and the address when it is printable ASCII, else
// "utf-8; " and the address in utf-8-addr-xtext (RFC 6533 section 3), which
// a message/delivery-status part needs.
func typedAddress(t smtp.DSNAddressType, addr string) string {
	if t == smtp.DSNAddressTypeRFC822 && isPrintableASCII(addr) {
		return "rfc822; " + addr
	}
	var b strings.Builder
	b.WriteString("utf-8; ")
	for _, r := range addr {
		if r > ' ' && r < utf8.RuneSelf && r != '+' && r != '=' && r != '\\' && r != 0x7f {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, `\x{%02X}`, r)
		}
	}
	return b.String()
}

// maxFieldLine is where writeField folds a long field, if it can.
const maxFieldLine = 78

// writeField writes one field of the delivery-status part, folded at spaces
// past maxFieldLine octets. The field names keep their case, which
// go-message's header writer would change (Reporting-Mta).
func writeField(b *bytes.Buffer, name, value string) {
	line := name + ": " + value
	first := len(name) + 2 // never fold right after the colon
	for len(line) > maxFieldLine {
		i := strings.LastIndexByte(line[:maxFieldLine], ' ')
		if i < first {
			break // one long word: leave it whole (at most 998 octets)
		}
		b.WriteString(line[:i] + "\r\n")
		line, first = line[i:], 1
	}
	b.WriteString(line + "\r\n")
}

// headerOf makes a go-message header from name, value pairs, written in
// the order given. A name go-message would write in another case
// (Message-Id, Mime-Version) is kept as given, unfolded.
func headerOf(pairs ...string) message.Header {
	var h message.Header
	// go-message writes fields from the last added to the first.
	for i := len(pairs) - 2; i >= 0; i -= 2 {
		name, value := pairs[i], pairs[i+1]
		if textproto.CanonicalMIMEHeaderKey(name) == name {
			h.Add(name, value)
		} else {
			h.AddRaw([]byte(name + ": " + value + "\r\n"))
		}
	}
	return h
}

// partHeader is the header of a report's part. A body with 8-bit octets is
// labelled 8bit (RFC 2045 section 6.2); 7bit, the default, needs no label.
func partHeader(contentType, description string, body []byte) message.Header {
	pairs := []string{"Content-Type", contentType, "Content-Description", description}
	if !isASCII(body) {
		pairs = append(pairs, "Content-Transfer-Encoding", "8bit")
	}
	return headerOf(pairs...)
}

func isASCII[T string | []byte](s T) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isPrintableASCII reports whether s is printable ASCII, spaces included.
func isPrintableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
