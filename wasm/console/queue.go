package console

import (
	"strconv"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// droppedBook says which queued lines were not sent ("dropped.") and why
// ("dropped.why.").
var droppedBook = phrase.Table{
	{"dropped.line", "The line was not sent."},
	{"dropped.line-and-one", "The line was not sent, nor the line queued after it."},
	{"dropped.line-and-more", "The line was not sent, nor the {count} lines queued after it."},
	{"dropped.queued-one", "1 queued line was not sent."},
	{"dropped.queued-more", "{count} queued lines were not sent."},
	{"dropped.why.closing", "The session is closing."},
	{"dropped.why.no-session", "There is no open session."},
	{"dropped.why.closed", "The connection is closed."},
	{"dropped.why.refused", "The proxy refused a line, so the lines after it were not sent."},
	{"dropped.why.over", "The session is over."},
}

// queued is a line waiting to be sent.
type queued struct {
	text      string
	confirmed bool // the person said to send it despite the warnings
}

// Action is what the person decides about a held line.
type Action string

// The actions on a held line.
const (
	ActionSend Action = "send" // send it anyway, confirming credentials in the clear if asked
	ActionSkip Action = "skip" // drop it and go on with the queue
	ActionStop Action = "stop" // drop it and everything queued behind it
	ActionFix  Action = "fix"  // send the engine's fix (Analysis.Fix) instead of it
)

// Submit queues one line the person typed. With confirm set the line goes
// out despite predicted errors, and credentials in the clear are
// confirmed.
func (c *Console) Submit(line string, confirm bool) {
	c.do(func() {
		c.queue = append(c.queue, queued{text: line, confirmed: confirm})
		c.pumpLocked()
		c.pushLocked(Event{Type: EventQueue})
	})
}

// Paste queues lines to be sent one by one, each when the conversation
// allows it, as a person who prepared the commands would paste them.
func (c *Console) Paste(lines []string) {
	c.do(func() {
		c.queue = append(c.queue, queuedLines(lines)...)
		c.pumpLocked()
		c.pushLocked(Event{Type: EventQueue})
	})
}

// queuedLines are lines to queue, none confirmed: each is checked, and may
// be held, when its turn comes.
func queuedLines(lines []string) []queued {
	q := make([]queued, len(lines))
	for i, l := range lines {
		q[i] = queued{text: l}
	}
	return q
}

// Resolve decides about the held line. ActionFix on a line with no fix
// leaves it held.
func (c *Console) Resolve(a Action) {
	c.do(func() {
		if c.hold == nil || len(c.queue) == 0 {
			return
		}
		fix := c.hold.Analysis.Fix
		if a == ActionFix && fix == nil {
			return
		}
		c.hold = nil
		switch a {
		case ActionSend:
			c.queue[0].confirmed = true
		case ActionFix:
			c.queue = append(queuedLines(fix.Lines), c.queue[1:]...)
		case ActionSkip:
			c.queue = c.queue[1:]
			c.pushLocked(droppedEvent(1, say("dropped.line")))
		default:
			n := len(c.queue)
			c.queue = nil
			text := say("dropped.line")
			switch {
			case n == 2:
				text = say("dropped.line-and-one")
			case n > 2:
				text = say("dropped.line-and-more", "count", strconv.Itoa(n-1))
			}
			c.pushLocked(droppedEvent(n, text))
		}
		c.pumpLocked()
		c.pushLocked(Event{Type: EventQueue})
	})
}

// dropLocked empties the queue, saying why when lines were dropped.
func (c *Console) dropLocked(why phrase.Text) {
	n := len(c.queue)
	c.queue, c.hold = nil, nil
	if n == 0 {
		return
	}
	text := say("dropped.queued-one")
	if n > 1 {
		text = say("dropped.queued-more", "count", strconv.Itoa(n))
	}
	c.pushLocked(droppedEvent(n, phrase.Join(text, why)))
}

// droppedEvent says that n queued lines were not sent.
func droppedEvent(n int, text phrase.Text) Event {
	return Event{Type: EventDropped, Dropped: n, Text: text}
}

// pumpLocked sends the queued lines the conversation allows now.
func (c *Console) pumpLocked() {
	for c.hold == nil && len(c.queue) > 0 {
		if c.status != StatusOpen || c.sess == nil {
			c.dropLocked(say("dropped.why.no-session"))
			return
		}
		q := c.queue[0]
		a := c.sess.Check(q.text)
		switch a.Error.English {
		case "":
		case session.ErrReplyPending.Error():
			return // the reply, or the TLS handshake, comes first
		case session.ErrClosed.Error():
			c.dropLocked(say("dropped.why.closed"))
			return
		default: // the line itself cannot be sent: CR, LF, NUL, too long
			c.queue = c.queue[1:]
			c.pushLocked(Event{Type: EventRejected, Analysis: &a, Text: a.Error})
			continue
		}
		if mustWait(a) {
			return
		}
		if !q.confirmed && holds(a) {
			c.hold = &Hold{Analysis: a, Behind: len(c.queue) - 1}
			c.pushLocked(Event{Type: EventHold})
			return
		}
		c.queue = c.queue[1:]
		c.sendLocked(q, a.NeedsConfirm)
	}
}

// mustWait reports whether the engine says the line may not follow the
// lines still unanswered: before the greeting, after a command that ends a
// pipelined group, or to a server that did not offer PIPELINING.
func mustWait(a session.Analysis) bool {
	for _, w := range a.Warnings {
		switch w.Code {
		case session.WarnBeforeGreeting, session.WarnPipelineSync, session.WarnNoPipelining:
			return true
		}
	}
	return false
}

// holds reports whether a line needs the person's decision: the engine
// predicts an error reply, the line would break the message, or it would
// send credentials in the clear to a real server.
func holds(a session.Analysis) bool {
	if a.NeedsConfirm || a.Breaks {
		return true
	}
	for _, w := range a.Warnings {
		if w.Expect != "" {
			return true
		}
	}
	return false
}

// sendLocked commits a line to the engine and writes it as one frame.
func (c *Console) sendLocked(q queued, needsConfirm bool) {
	var (
		a   session.Analysis
		err error
	)
	if needsConfirm && q.confirmed {
		a, err = c.sess.SubmitConfirmed(q.text)
	} else {
		a, err = c.sess.Submit(q.text)
	}
	if err != nil {
		c.pushLocked(Event{Type: EventRejected, Analysis: &a, Text: a.Error})
		return
	}
	_ = c.conn.Write(c.ctx, false, []byte(a.Send))
	ev := Event{Type: EventSent, Analysis: &a}
	if t := c.sess.Transcript(); a.Seq >= 1 && a.Seq <= len(t) {
		ev.Entry = &t[a.Seq-1]
	}
	c.pushLocked(ev)
}
