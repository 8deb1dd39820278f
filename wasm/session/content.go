package session

import (
	"maps"
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// analyzeContent reads a line of the message after the server's 354: it
// applies dot-stuffing, recognises header lines and the end of the header,
// compares From:/To: with the envelope, and marks the lines that would
// break the message (header.go).
func (s *Session) analyzeContent(a *Analysis, line string) plan {
	m := s.c.msg
	m.headers = maps.Clone(m.headers)
	if m.headers == nil {
		m.headers = map[string]string{}
	}
	var w warnings
	p := plan{raw: line}

	if line == "." {
		a.EndsData = true
		a.explain(say("line.end-of-message.title"), say("line.end-of-message.text"))
		a.RFC = "RFC 5321 §4.1.1.4"
		for _, h := range []string{"From", "Date"} {
			if _, ok := m.headers[strings.ToLower(h)]; !ok {
				w.add(WarnMissingHeader, "RFC 5322 §3.6", "", say("warn.missing-header", "header", h))
			}
		}
		m.dotSent = true
		p.kind, p.message = kindEndOfData, m
		a.Warnings = w
		return p
	}

	if strings.HasPrefix(line, ".") {
		p.raw = "." + line
		a.Shown = p.raw
		a.Stuffed = true
	}
	if n := len(p.raw) + 2; n > 1000 {
		w.add(WarnTextTooLong, "RFC 5321 §4.5.3.1.6", "", say("warn.text-too-long", "octets", strconv.Itoa(n)))
	}
	if has8bit(line) && !m.warned8bit {
		m.warned8bit = true
		switch {
		case !s.c.caps.has("8BITMIME"):
			w.add(WarnEightBitText, "RFC 6152 §3", "", say("warn.eight-bit-text"))
		case !s.c.body8bit:
			w.add(WarnEightBitUndeclared, "RFC 6152 §3", "", say("warn.eight-bit-undeclared"))
		}
	}
	m.bytes += int64(len(p.raw) + 2)
	if limit := s.c.caps.sizeLimit(); limit > 0 && m.bytes > limit && !m.warnedSize {
		m.warnedSize = true
		w.add(WarnSizeExceeds, "RFC 1870 §6", "552", say("warn.message-exceeds-size", "limit", strconv.FormatInt(limit, 10)))
	}

	switch {
	case m.inBody:
		a.explain(say("line.body.title"), say("line.body.text"))
		a.RFC = "RFC 5322 §2.1"
		checkBodyHeader(&w, line)
	case line == "":
		m.inBody = true
		a.explain(say("line.end-of-header.title"), say("line.end-of-header.text"))
		a.RFC = "RFC 5322 §2.1"
	case (line[0] == ' ' || line[0] == '\t') && m.lastHeader != "":
		a.explain(say("line.folded.title"), say("line.folded.text", "header", m.lastHeader))
		a.RFC = "RFC 5322 §2.2.3"
		m.headers[strings.ToLower(m.lastHeader)] += " " + strings.TrimSpace(line)
		text := strings.TrimLeft(line, " \t")
		s.checkHeader8bit(a, &w, m.lastHeader, line[:len(line)-len(text)], text)
	default:
		name, ok := headerName(line)
		if !ok {
			m.inBody = true
			a.explain(say("line.body.title"), say("line.body.text"))
			a.RFC = "RFC 5322 §2.1"
			checkNotHeader(a, &w, line)
			break
		}
		s.checkHeaderField(a, &w, &m, line, name)
		s.explainHeader(a, &w, &m, name, strings.TrimSpace(line[len(name)+1:]))
	}
	if a.Stuffed {
		a.Explanation = phrase.Join(say("line.stuffed"), a.Explanation)
	}
	p.message = m
	a.Warnings = w
	return p
}

// explainHeader explains one header field and compares From:, To: and Cc:
// with the envelope (the point about spoofing).
func (s *Session) explainHeader(a *Analysis, w *warnings, m *message, name, value string) {
	m.lastHeader = name
	m.headers[strings.ToLower(name)] = value
	h, known := explain.Header(name)
	a.Header = name
	switch {
	case known:
		a.Header = h.Key
		a.explain(phrase.Join(say("line.name", "name", h.Key), h.SayTitle()), h.SayText())
		a.RFC = h.RFC
		if name != h.Key {
			a.explainMore(say("line.header.case", "typed", name, "name", h.Key))
		}
	case strings.HasPrefix(strings.ToUpper(name), "X-"):
		a.explain(say("line.header.custom.title", "name", name), say("line.header.custom.text"))
		a.RFC = "RFC 5322 §3.6.8"
	default:
		a.explain(say("line.header.other.title", "name", name), say("line.header.other.text"))
		a.RFC = "RFC 5322 §2.2"
	}
	switch h.Key {
	case "From":
		if addr := headerAddresses(value); len(addr) > 0 && !strings.EqualFold(addr[0], s.c.mailFrom) {
			w.add(WarnHeaderFrom, "RFC 5321 §2.3.1", "", phrase.Join(say("warn.header-from-differs", "address", addr[0], "sender", s.c.mailFrom), explain.EnvelopeVsHeader()))
		} else {
			a.explainMore(say("line.header.matches"))
		}
	case "To", "Cc":
		for _, addr := range headerAddresses(value) {
			if !containsFold(s.c.rcpts, addr) {
				w.add(WarnHeaderTo, "RFC 5321 §2.3.1", "", phrase.Join(say("warn.header-to-not-envelope", "address", addr, "header", h.Key), explain.EnvelopeVsHeader()))
			}
		}
	}
}

// headerName returns the field name of a header line "Name: value"
// (RFC 5322 §2.2: printable US-ASCII except colon, then a colon).
func headerName(line string) (string, bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", false
	}
	for j := 0; j < i; j++ {
		if line[j] < 33 || line[j] > 126 {
			return "", false
		}
	}
	return line[:i], true
}

// headerAddresses extracts the addresses of an address header: "Billy G
// <billy@microsoft.com>, b@x" → [billy@microsoft.com b@x]. It is a reading
// for teaching, not a full RFC 5322 parser.
func headerAddresses(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if i := strings.LastIndexByte(part, '<'); i >= 0 {
			if j := strings.IndexByte(part[i:], '>'); j > 0 {
				part = part[i+1 : i+j]
			}
		}
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// analyzeChunk reads a line of BDAT chunk data.
func (s *Session) analyzeChunk(a *Analysis, line string) plan {
	n := int64(len(line) + 2)
	a.explain(say("line.chunk.title"), say("line.chunk.text", "octets", strconv.FormatInt(n, 10), "left", strconv.FormatInt(s.chunkLeft, 10)))
	a.RFC = "RFC 3030 §2"
	if n > s.chunkLeft {
		var w warnings
		w.add(WarnBDATOverrun, "RFC 3030 §2", "", say("warn.bdat-overrun", "octets", strconv.FormatInt(s.chunkLeft, 10)))
		a.Warnings = w
	}
	return plan{raw: line}
}
