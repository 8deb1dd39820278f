package session

// Waiting is the oldest line still waiting for its reply: the one the
// server must answer next. The page names it when a server is slow to
// answer, so it says what the line was without ever showing a secret.
type Waiting struct {
	// Kind is what the reply will answer: "greeting" (the connection
	// itself), "command", "auth-response" (an answer to a 334 prompt) or
	// "end-of-data" (the final dot of a message).
	Kind string `json:"kind"`
	// Verb is the command's verb ("NOOP", "AUTH"), for a command.
	Verb string `json:"verb,omitempty"`
	// Line is the line as the transcript shows it, secrets masked ("" for
	// the greeting).
	Line string `json:"line,omitempty"`
	// Seq is the line's transcript entry; 0 for the greeting.
	Seq int `json:"seq"`
	// Since is when it was sent (the greeting: when the connection
	// opened), in milliseconds since the Unix epoch.
	Since int64 `json:"since"`
	// Blocks is true when nothing more can be sent until it is answered
	// (STARTTLS, AUTH, an AUTH answer, DATA: the tunnel's reply_pending).
	Blocks bool `json:"blocks"`
}

// Waiting returns the oldest line still waiting for its reply, or nil when
// no reply is due.
func (s *Session) Waiting() *Waiting {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 || s.c.phase == PhaseClosed {
		return nil
	}
	p := s.pending[0]
	w := &Waiting{Kind: p.kind, Seq: p.seq, Since: p.at.UnixMilli(), Blocks: s.mode() == ModeWait}
	if p.kind != kindGreeting {
		w.Line = p.shown
	}
	if p.kind == kindCommand {
		w.Verb = p.cmd.Verb
	}
	return w
}
