package session

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Mask replaces a secret in the transcript and in exports. It has a fixed
// length, so it does not tell how long the secret is.
const Mask = "********"

// Directions of transcript entries.
const (
	DirClient = "client" // a line the person sent
	DirServer = "server" // a line the server sent
	DirEvent  = "event"  // something the proxy reported: TLS up, the close
	// DirRefused is a client line the proxy refused to carry: it never
	// reached the server.
	DirRefused = "refused"
)

// Entry is one line of the transcript.
type Entry struct {
	// Seq numbers the entries from 1.
	Seq int `json:"seq"`
	// Dir is DirClient, DirServer, DirEvent or DirRefused.
	Dir string `json:"dir"`
	// Time is when the line was sent or received; MS is that many
	// milliseconds after the session started.
	Time time.Time `json:"time"`
	MS   int64     `json:"ms"`
	// Text is the line without its ending, as it went on the wire (dot-stuffing
	// shown), plain; a secret is replaced by Mask. An event or a refused line
	// is a sentence for people instead, in phrases a language file may
	// translate.
	Text phrase.Text `json:"text"`
	// Ending is the line ending of a server line (EndingCRLF, EndingLF or
	// EndingNone); client lines always end in CRLF.
	Ending string `json:"ending,omitempty"`
	// Secret is true when Text hides credentials (see Session.Reveal).
	Secret bool `json:"secret,omitempty"`
	// TLS is true when the line travelled inside TLS.
	TLS bool `json:"tls,omitempty"`
	// Before and After are the phases around the line. Client lines do not
	// change the phase: their replies do.
	Before Phase `json:"before"`
	After  Phase `json:"after"`
	// Code is the reply code of a server line.
	Code int `json:"code,omitempty"`
	// Explanation says what the line means.
	Explanation phrase.Text `json:"explanation,omitzero"`
	// Warnings are the predictions made when a client line was sent, or
	// remarks about a server line.
	Warnings []Warning `json:"warnings,omitempty"`
	// LapseMS, on the last line of a reply, is the time since the line it
	// answers was sent.
	LapseMS int64 `json:"lapse_ms,omitempty"`
	// Final is true on the last line of a reply.
	Final bool `json:"final,omitempty"`
	// Answers, on the last line of a reply, names what the reply answers, as
	// Reply.To; empty for a reply nobody asked for.
	Answers string `json:"answers,omitempty"`
	// AnswersSeq, on the last line of a reply, is the Seq of the client
	// line it answers; 0 for the greeting and a reply nobody asked for.
	AnswersSeq int `json:"answers_seq,omitempty"`
}

// record appends an entry, keeping the unmasked text of a secret aside.
func (s *Session) record(e Entry, raw string) Entry {
	e.Seq = len(s.entries) + 1
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	e.MS = s.sinceStart(e.Time)
	if e.Secret {
		s.secrets[e.Seq] = raw
	}
	s.entries = append(s.entries, e)
	return e
}

// Transcript returns every entry so far, secrets masked.
func (s *Session) Transcript() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.entries)
	for i := range out {
		out[i].Warnings = slices.Clone(out[i].Warnings)
	}
	return out
}

// Reveal returns the unmasked text of a secret entry, for when the person
// asks to see it; ok is false if seq is not a secret entry.
func (s *Session) Reveal(seq int) (text string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	text, ok = s.secrets[seq]
	return text, ok
}

// ExportOptions control Export.
type ExportOptions struct {
	// RevealSecrets writes AUTH secrets as they were sent instead of Mask.
	RevealSecrets bool `json:"reveal_secrets"`
}

// Export writes the transcript as text in swaks' marker style:
//
//	" -> " a client line      "<-  " a server line
//	" ~> " a client line in TLS   "<~  " a server line in TLS
//	"=== " an event, and after each reply the time it took
//	"*** " a line the proxy refused
//
// Secrets are masked unless opt.RevealSecrets is set.
func (s *Session) Export(opt ExportOptions) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	target := "a real server"
	if s.opt.Sandbox {
		target = "the smtplay sandbox"
	}
	b.WriteString("=== smtplay session with " + target + ", started " + s.start.UTC().Format(time.RFC3339) + "\n")
	for _, e := range s.entries {
		text := e.Text.English
		if e.Secret && opt.RevealSecrets {
			text = s.secrets[e.Seq]
		}
		switch e.Dir {
		case DirClient:
			b.WriteString(pick(e.TLS, " ~> ", " -> "))
		case DirServer:
			b.WriteString(pick(e.TLS, "<~  ", "<-  "))
		case DirRefused:
			b.WriteString("*** ")
		default:
			b.WriteString("=== ")
		}
		b.WriteString(text)
		b.WriteByte('\n')
		if e.Dir == DirServer && e.Final && e.Answers != "" {
			b.WriteString("=== reply after " + strconv.FormatFloat(float64(e.LapseMS)/1000, 'f', 3, 64) + "s\n")
		}
	}
	return b.String()
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
