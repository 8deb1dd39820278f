package console

import (
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// replayBook says why a replay cannot be read.
var replayBook = phrase.Table{
	{"replay.line", "line {line}:"},
	{"replay.empty", "the transcript is empty"},
	{"replay.too-big", "the transcript is {size} KiB; a replay may have at most {max} KiB"},
	{"replay.too-many-lines", "the transcript has {lines} lines; a replay may have at most {max}"},
	{"replay.no-prefix", `it starts with neither "C: " (a line sent) nor "S: " (a line the server sent)`},
	{"replay.cannot-send", "this line cannot be sent at this point: {error}"},
	{"replay.tls", "TLS is up (a replay does not record the handshake's details). Everything learned before TLS is forgotten: send EHLO again."},
}

// ReplayOptions describe the session a replay comes from.
type ReplayOptions struct {
	// Target names its server, for the views.
	Target string `json:"target,omitempty"`
	// Sandbox is true when that server is one of the sandboxes.
	Sandbox bool `json:"sandbox,omitempty"`
}

// ReplayError says why a replay cannot be read, and on which line.
type ReplayError struct {
	// Line numbers the line from 1; 0 when the replay as a whole is wrong.
	Line int
	// Reason says why, for people.
	Reason phrase.Text
}

func (e *ReplayError) Error() string { return e.Text().English }

// Unwrap gives the error as people read it, a *phrase.Error, so that the page
// finds its phrases as it does for every other error.
func (e *ReplayError) Unwrap() error { return e.Text().Err() }

// Text says the error, after the line's number when there is one, with its
// phrases.
func (e *ReplayError) Text() phrase.Text {
	if e.Line == 0 {
		return e.Reason
	}
	return phrase.Join(say("replay.line", "line", strconv.Itoa(e.Line)), e.Reason)
}

// Stand-ins for the masked credentials of a replay: what the engine is
// given so that it reads the line as the live session did, without a
// warning the real line did not have. The engine shows them masked.
const (
	maskedAnswer  = "AA=="
	maskedInitial = "="
)

// Replay plays a shared transcript (text as Share.Replay's lines joined by
// line breaks) through a fresh session engine, offline: each "C: " line is
// submitted, each "S: " line received. It returns the events a live
// session would have emitted, for the page to draw through its usual path;
// their views say the session is closed, so nothing can be typed. A 220
// to STARTTLS brings TLS up, since a replay does not record the handshake.
func Replay(text string, opt ReplayOptions) ([]Event, error) {
	if len(text) > MaxReplayBytes {
		return nil, &ReplayError{Reason: say("replay.too-big", "size", strconv.Itoa(len(text)>>10), "max", strconv.Itoa(MaxReplayBytes>>10))}
	}
	lines := SplitLines(text)
	if len(lines) == 0 {
		return nil, &ReplayError{Reason: say("replay.empty")}
	}
	if len(lines) > MaxReplayLines {
		return nil, &ReplayError{Reason: say("replay.too-many-lines", "lines", strconv.Itoa(len(lines)), "max", strconv.Itoa(MaxReplayLines))}
	}
	sess := session.New(session.Options{Sandbox: opt.Sandbox})
	var evs []Event
	push := func(ev Event) {
		ev.View = replayView(sess, opt.Target)
		evs = append(evs, ev)
	}
	for i, l := range lines {
		dir, body, ok := splitReplayLine(l)
		if !ok {
			return nil, &ReplayError{Line: i + 1, Reason: say("replay.no-prefix")}
		}
		if dir == session.DirServer {
			push(Event{Type: EventServer, Session: sess.Receive([]byte(body + "\r\n"))})
			if sess.State().Phase == session.PhaseStartTLS {
				push(Event{Type: EventTLS, Session: replayTLS(sess)})
			}
			continue
		}
		a, err := sess.SubmitConfirmed(standIn(sess, body))
		if err != nil {
			return nil, &ReplayError{Line: i + 1, Reason: say("replay.cannot-send", "error", err.Error())}
		}
		push(Event{Type: EventSent, Analysis: &a})
	}
	t := sess.Transcript() // once: a copy per line would cost the square of the length
	for i := range evs {
		if a := evs[i].Analysis; a != nil {
			evs[i].Entry = &t[a.Seq-1]
		}
	}
	return evs, nil
}

// splitReplayLine reads "C: text" or "S: text"; a lone "C:" or "S:" is an
// empty line.
func splitReplayLine(l string) (dir, text string, ok bool) {
	for _, p := range []struct{ prefix, dir string }{{ClientPrefix, session.DirClient}, {ServerPrefix, session.DirServer}} {
		if rest, found := strings.CutPrefix(l, p.prefix); found {
			return p.dir, rest, true
		}
		if l == strings.TrimSpace(p.prefix) {
			return p.dir, "", true
		}
	}
	return "", "", false
}

// standIn returns what to submit for a replayed client line: a masked
// answer to a 334 prompt, or a masked initial response, becomes a stand-in
// the engine masks again.
func standIn(sess *session.Session, line string) string {
	if line == session.Mask && sess.State().Mode == session.ModeAuthResponse {
		return maskedAnswer
	}
	if mech, ok := authWithResponse(line); ok && sess.State().Mode == session.ModeCommand {
		return mech + " " + maskedInitial
	}
	return line
}

// replayTLS brings TLS up after the server's 220 to STARTTLS, saying that
// the replay does not know the handshake's details.
func replayTLS(sess *session.Session) []session.Event {
	evs := sess.TLSStarted(session.TLSInfo{Verified: true})
	text := say("replay.tls")
	for i := range evs {
		if evs[i].Kind == session.EventTLS {
			evs[i].Text, evs[i].Entry.Text = text, text
		}
	}
	return evs
}

// replayView is the snapshot of a replayed session: over, so the page
// takes no line, with the state and capabilities the lines so far brought.
func replayView(sess *session.Session, target string) View {
	st := sess.State()
	return View{Status: StatusClosed, Target: target, State: &st, Capabilities: sess.Capabilities()}
}
