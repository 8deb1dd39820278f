package sandbox

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/emersion/go-smtp"
)

// Delivery status notifications (RFC 3461, RFC 3464): which reports a
// message asks for. report.go writes them.
//
// The sandbox delivers a message as soon as its final dot arrives, so it
// knows every recipient's outcome then. With the 250 it stores, in the same
// mailbox, the reports the envelope asked for:
//
//   - a success report for the delivered recipients that asked
//     NOTIFY=SUCCESS (forward@ counts as delivered: the sandbox keeps the
//     message, so "relayed" would not be true);
//   - a failure report, a bounce, for the bounce@ recipients, unless their
//     NOTIFY leaves FAILURE out (NOTIFY=NEVER, NOTIFY=SUCCESS, ...).
//     Without NOTIFY a failure is reported (RFC 3461 section 4.1).
//
// Reports go to the envelope sender and are sent with the null sender <>.
// After MAIL FROM:<> no report is made at all: a report never answers a
// report, so a bounce cannot bounce (RFC 5321 section 4.5.5, RFC 3461
// section 6.2). DELAY is never reported: the sandbox never delays.

// recipient is an accepted RCPT TO and what it asked of DSN.
type recipient struct {
	addr string
	// notify is the NOTIFY parameter; nil when there was none.
	notify []smtp.DSNNotify
	// orcptType and orcpt are the ORCPT parameter, decoded; "" when there
	// was none.
	orcptType smtp.DSNAddressType
	orcpt     string
	// bounce is set for bounce@: accepted now, bounced after the message.
	bounce *bounce
}

func newRecipient(addr string, opts *smtp.RcptOptions, f *fault) recipient {
	r := recipient{addr: addr}
	if opts != nil {
		r.notify = opts.Notify
		r.orcptType, r.orcpt = opts.OriginalRecipientType, opts.OriginalRecipient
	}
	if f != nil {
		r.bounce = f.bounce
	}
	return r
}

// wants reports whether the recipient asked to be told of n.
func (r recipient) wants(n smtp.DSNNotify) bool {
	if r.notify == nil {
		return n == smtp.DSNNotifyFailure // RFC 3461 section 4.1
	}
	return slices.Contains(r.notify, n)
}

// transaction is an accepted message, as its reports tell of it.
type transaction struct {
	id      string // the queue id of the 250 to the final dot
	from    string // envelope sender, "" for the null sender
	envID   string // ENVID, decoded; "" when there was none
	ret     smtp.DSNReturn
	arrival time.Time
	data    []byte // DATA as received, dot-unstuffed
	own     []byte // when data is its own slice: room, then data (dataread.go)
	rcpts   []recipient
}

// delivered returns the recipients whose copy is kept: all but bounce@.
func (tx *transaction) delivered() []string {
	var out []string
	for _, r := range tx.rcpts {
		if r.bounce == nil {
			out = append(out, r.addr)
		}
	}
	return out
}

// reportKind is one kind of report: whom it is about and how it reads.
type reportKind struct {
	notify  smtp.DSNNotify // the NOTIFY keyword that asks for it
	failed  bool           // about bounced recipients; else delivered ones
	subject string
	action  string // the Action field (RFC 3464 section 2.3.3)
	intro   string // the first paragraph of the human-readable part
	// full: RET=FULL may return the whole message. RET applies only to
	// reports of a failure; the others return the headers (RFC 3461
	// section 4.3).
	full bool
}

// reportKinds, in the order their reports are stored.
var reportKinds = []reportKind{
	{notify: smtp.DSNNotifySuccess, subject: "Delivery Status Notification (Success)", action: "delivered",
		intro: "Your message was delivered to the recipients below, which asked for a\n" +
			"report of success with NOTIFY=SUCCESS on their RCPT TO."},
	{notify: smtp.DSNNotifyFailure, failed: true, subject: "Delivery Status Notification (Failure)", action: "failed", full: true,
		intro: "Your message was accepted (250 after the final dot), but it could not\n" +
			"be delivered to the recipients below. This report is a bounce: it comes\n" +
			"after the SMTP session, so the only way back to you is the envelope\n" +
			"sender you gave in MAIL FROM."},
}

// reports returns the reports tx asks for, ready to store.
func reports(host string, tx *transaction) ([]*storedMessage, error) {
	if tx.from == "" {
		return nil, nil
	}
	var out []*storedMessage
	for i := range reportKinds {
		k := &reportKinds[i]
		var about []recipient
		for _, r := range tx.rcpts {
			if (r.bounce != nil) == k.failed && r.wants(k.notify) {
				about = append(about, r)
			}
		}
		if len(about) == 0 {
			continue
		}
		m, err := k.build(host, tx, about)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// maxReturnedBytes bounds what a report returns of the message: a bigger
// message is returned as its headers only, even with RET=FULL, as real
// servers do (Postfix's bounce_size_limit is 50000), so that a report never
// doubles the memory a big message takes. Headers longer than this are cut
// at a field.
const maxReturnedBytes = 64 << 10

// returned is what a report of kind k returns of tx's message: the whole
// message or its headers, and the sentence that says which and why.
func (k *reportKind) returned(tx *transaction) (content []byte, full bool, note string) {
	switch {
	case k.full && tx.ret == smtp.DSNReturnFull && len(tx.data) <= maxReturnedBytes:
		return tx.data, true, "Your message is returned in full below, as MAIL FROM asked with RET=FULL."
	case k.full && tx.ret == smtp.DSNReturnFull:
		note = fmt.Sprintf("MAIL FROM asked RET=FULL, but your message is larger than the\n"+
			"%d bytes this server returns in full: only its headers are below.", maxReturnedBytes)
	case k.full && tx.ret == smtp.DSNReturnHeaders:
		note = "Only the headers of your message are below, as MAIL FROM asked with RET=HDRS."
	case k.full:
		note = "Only the headers of your message are below: MAIL FROM had no RET, and\n" +
			"this server then returns headers (RET=FULL asks for the whole message)."
	default:
		note = "Only the headers of your message are below: a report of success never\n" +
			"returns the whole message (RFC 3461 section 4.3)."
	}
	return headerSection(tx.data, maxReturnedBytes), false, note
}

// headerSection returns the header fields of a message, without the empty
// line that ends them, cut before the first field that would pass limit.
func headerSection(data []byte, limit int) []byte {
	end := 0
	for end < len(data) {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 || i == 1 && data[end] == '\r' {
			break // no more lines, or the empty line
		}
		next := end + i + 1
		if next > limit {
			// Back to the start of the field this line belongs to.
			for end > 0 && end < len(data) && (data[end] == ' ' || data[end] == '\t') {
				end = lastLineStart(data[:end])
			}
			break
		}
		end = next
	}
	return data[:end]
}

// lastLineStart returns where the last line of b (which ends in LF) starts.
func lastLineStart(b []byte) int {
	for i := len(b) - 2; i >= 0; i-- {
		if b[i] == '\n' {
			return i + 1
		}
	}
	return 0
}
