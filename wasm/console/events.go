package console

import (
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// Status is the state of the connection to the playground.
type Status string

// The connection statuses.
const (
	StatusIdle       Status = "idle"       // never connected
	StatusConnecting Status = "connecting" // the websocket or the server is being reached
	StatusOpen       Status = "open"       // opened: the conversation is on
	StatusClosed     Status = "closed"     // over, for whatever reason
)

// EventType says what an Event reports.
type EventType string

// The event types.
const (
	EventStatus    EventType = "status"    // the connection status changed (View.Status)
	EventOpened    EventType = "opened"    // the proxy connected (Opened)
	EventServer    EventType = "server"    // server lines arrived (Session)
	EventSent      EventType = "sent"      // a line was sent (Analysis, Entry)
	EventTLS       EventType = "tls"       // TLS is up (TLS, Session)
	EventDelivered EventType = "delivered" // the sandbox took a message (Delivered)
	EventError     EventType = "error"     // the proxy or the connection failed (Error, Session)
	EventClosed    EventType = "closed"    // the session is over (Closed, Session)
	EventHold      EventType = "hold"      // a line waits for the person's decision (View.Hold)
	EventDropped   EventType = "dropped"   // queued lines were not sent (Dropped, Text)
	EventRejected  EventType = "rejected"  // a line cannot be sent at all (Analysis)
	EventQueue     EventType = "queue"     // the queue changed (View.Queued)
	EventWire      EventType = "wire"      // bytes of the server leg arrived (Wire)
)

// Event is one thing for the view to draw. View is always set: a snapshot
// of everything the side panel shows, taken when the event happened.
type Event struct {
	Type EventType `json:"type"`
	// Session are the engine's events: lines, replies, state changes,
	// capabilities, prompts, warnings, TLS, refusals, the close.
	Session []session.Event `json:"session,omitempty"`
	// Analysis and Entry describe a line sent (or rejected).
	Analysis *session.Analysis `json:"analysis,omitempty"`
	Entry    *session.Entry    `json:"entry,omitempty"`
	// The proxy's messages, as the contract has them.
	Opened    *wire.Opened    `json:"opened,omitempty"`
	TLS       *wire.TLS       `json:"tls,omitempty"`
	Delivered *wire.Delivered `json:"delivered,omitempty"`
	Closed    *wire.Closed    `json:"closed,omitempty"`
	Error     *Error          `json:"error,omitempty"`
	// Wire is what a wire message adds to the wire view.
	Wire *WireUpdate `json:"wire,omitempty"`
	// Dropped counts lines taken off the queue unsent.
	Dropped int `json:"dropped,omitempty"`
	// Text is a sentence for people, where the console wrote one.
	Text phrase.Text `json:"text,omitzero"`
	View View        `json:"view"`
}

// Error is a tunnel error or a lost connection, for people.
type Error struct {
	// Code is a contract error code, or CodeLost or CodeUnreachable.
	Code wire.Code `json:"code"`
	// Sentence says what happened and what to do, for a student.
	Sentence phrase.Text `json:"sentence"`
	// Message is the proxy's own sentence, with the details, in English.
	Message string `json:"message,omitempty"`
	// Said is Message in phrases a language may translate, where the proxy
	// named its sentence (wire.Details); plain English otherwise.
	Said phrase.Text `json:"said,omitzero"`
	// Ends is true when the session is over because of it.
	Ends bool `json:"ends"`
}

// View is what the side panel shows.
type View struct {
	Status Status `json:"status"`
	// Target is the target asked for: a name, or host:port.
	Target string `json:"target,omitempty"`
	// Opened is the proxy's opened message of this session.
	Opened *wire.Opened `json:"opened,omitempty"`
	// State, Capabilities and Suggestions come from the engine.
	State        *session.State       `json:"state,omitempty"`
	Capabilities []session.Capability `json:"capabilities,omitempty"`
	Suggestions  []session.Suggestion `json:"suggestions,omitempty"`
	// TLS is the proxy's report of the TLS now up, if any.
	TLS *wire.TLS `json:"tls,omitempty"`
	// Queued counts the lines waiting to be sent, the held one included.
	Queued int `json:"queued"`
	// Hold is the line waiting for a decision.
	Hold *Hold `json:"hold,omitempty"`
	// Waiting is the oldest line the server has yet to answer, while the
	// session is open: the page says so when the wait grows long.
	Waiting *session.Waiting `json:"waiting,omitempty"`
}

// Hold is a line the engine expects to fail, that would break the message,
// or that would send credentials in the clear: it waits until the person
// sends it anyway (Resolve ActionSend), takes the engine's fix (ActionFix),
// skips it, or stops the queue.
type Hold struct {
	// Analysis says what the line is and what will go wrong; its Line is
	// masked when the line is secret.
	Analysis session.Analysis `json:"analysis"`
	// Behind counts the lines queued after it.
	Behind int `json:"behind"`
}

// viewLocked takes the snapshot.
func (c *Console) viewLocked() View {
	v := View{Status: c.status, Target: c.target, Opened: c.opened, TLS: c.tls, Queued: len(c.queue), Hold: c.hold}
	if c.sess != nil {
		st := c.sess.State()
		v.State = &st
		v.Capabilities = c.sess.Capabilities()
		v.Suggestions = c.sess.Suggestions()
		if c.status == StatusOpen {
			v.Waiting = c.sess.Waiting()
		}
	}
	return v
}

// pushLocked queues an event for emission, with the snapshot of now.
func (c *Console) pushLocked(ev Event) {
	ev.View = c.viewLocked()
	c.out = append(c.out, ev)
}

// flush emits the queued events in order, with no lock held, one caller at
// a time: a caller that finds another flushing leaves its events to it.
func (c *Console) flush() {
	c.mu.Lock()
	if c.flushing {
		c.mu.Unlock()
		return
	}
	c.flushing = true
	for len(c.out) > 0 {
		ev := c.out[0]
		c.out = c.out[1:]
		c.mu.Unlock()
		c.emit(ev)
		c.mu.Lock()
	}
	c.flushing = false
	c.mu.Unlock()
}

// do runs f under the lock, then emits what it pushed.
func (c *Console) do(f func()) {
	c.mu.Lock()
	f()
	c.mu.Unlock()
	c.flush()
}
