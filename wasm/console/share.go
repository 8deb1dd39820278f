package console

import (
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
)

// The largest replay a share link carries and Replay reads.
const (
	MaxReplayLines = 2000
	MaxReplayBytes = 256 << 10
)

// Replay line prefixes: a line the person sent, a line the server sent.
const (
	ClientPrefix = "C: "
	ServerPrefix = "S: "
)

// Share is what a share link carries. It never holds a credential: a line
// the engine marks secret is left out of the script (an AUTH line with an
// initial response keeps only "AUTH <mechanism>"), and the replay shows it
// masked.
type Share struct {
	// Script are the lines the person typed, in order, as typed: message
	// lines without the dot-stuffing the wire added.
	Script []string `json:"script"`
	// Replay is the transcript as "C: " and "S: " lines, which Replay
	// reads back; nil unless asked for, or when it is over the limits.
	Replay []string `json:"replay,omitempty"`
	// TooLong is true when a replay was asked for but is over
	// MaxReplayLines or MaxReplayBytes, so the link goes without it.
	TooLong bool `json:"too_long,omitempty"`
	// Dropped counts the lines whose credentials were taken out: left out
	// of the script, or cut to "AUTH <mechanism>".
	Dropped int `json:"dropped"`
	// Target names the server the session talked to.
	Target string `json:"target,omitempty"`
}

// Share returns what a share link of the current (or last) session
// carries; with replay set, the transcript too.
func (c *Console) Share(replay bool) Share {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil {
		return Share{Script: []string{}}
	}
	sh := ShareOf(c.sess.Transcript(), replay)
	sh.Target = c.target
	return sh
}

// ShareOf builds a share link's lines from a transcript. Client lines the
// proxy refused stay in the script (the person typed them) but not in the
// replay, since the server never saw them.
func ShareOf(entries []session.Entry, replay bool) Share {
	sh := Share{Script: []string{}}
	refused := refusedLines(entries)
	var lines []string
	size := 0
	add := func(l string) {
		lines = append(lines, l)
		size += len(l) + 1
	}
	for _, e := range typedLines(entries) {
		switch {
		case e.Dir == session.DirServer:
			add(ServerPrefix + e.Text.English)
			continue
		case !e.Secret:
			sh.Script = append(sh.Script, e.Text.English)
		default:
			sh.Dropped++
			if mech, ok := authWithResponse(e.Text.English); ok {
				sh.Script = append(sh.Script, mech)
			}
		}
		if !refused[e.Seq] {
			add(ClientPrefix + e.Text.English)
		}
	}
	switch {
	case !replay:
	case len(lines) > MaxReplayLines || size > MaxReplayBytes:
		sh.TooLong = true
	default:
		sh.Replay = lines
	}
	return sh
}

// typedLines returns the client and server lines of a transcript, each
// client line as the person typed it: a message line (after DATA's 354,
// before the lone ".") without the dot that dot-stuffing added.
func typedLines(entries []session.Entry) []session.Entry {
	var out []session.Entry
	inData := false
	for _, e := range entries {
		switch e.Dir {
		case session.DirServer:
			if e.Final && e.Answers == "DATA" && e.Code == 354 {
				inData = true
			}
		case session.DirClient:
			if inData && e.Text.English == "." {
				inData = false
			} else if inData && strings.HasPrefix(e.Text.English, ".") {
				e.Text = phrase.Plain(e.Text.English[1:])
			}
		default:
			continue
		}
		out = append(out, e)
	}
	return out
}

// authWithResponse returns "AUTH <mechanism>" for the masked line of an
// AUTH command sent with an initial response ("AUTH PLAIN ********").
func authWithResponse(shown string) (string, bool) {
	f := strings.Fields(shown)
	if len(f) == 3 && strings.EqualFold(f[0], "AUTH") && f[2] == session.Mask {
		return f[0] + " " + f[1], true
	}
	return "", false
}

// refusedLines finds the client lines the proxy refused to carry: for each
// refused entry ("refused (code): LINE (message)"), the latest client line
// before it that it names.
func refusedLines(entries []session.Entry) map[int]bool {
	out := map[int]bool{}
	for i, e := range entries {
		if e.Dir != session.DirRefused {
			continue
		}
		_, named, ok := strings.Cut(e.Text.English, "): ")
		if !ok {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			c := entries[j]
			if c.Dir == session.DirClient && !out[c.Seq] && (named == c.Text.English || strings.HasPrefix(named, c.Text.English+" (")) {
				out[c.Seq] = true
				break
			}
		}
	}
	return out
}
