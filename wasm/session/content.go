package session

import (
	"maps"
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/explain"
)

// analyzeContent reads a line of the message after the server's 354: it
// applies dot-stuffing, recognises header lines and the end of the header,
// and compares From:/To: with the envelope.
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
		a.Title = "End of message"
		a.Explanation = "A line with a single dot ends the message. The server now checks it and answers: 250 means it has taken responsibility for it."
		a.RFC = "RFC 5321 §4.1.1.4"
		for _, h := range []string{"From", "Date"} {
			if _, ok := m.headers[strings.ToLower(h)]; !ok {
				w.add(WarnMissingHeader, "RFC 5322 §3.6", "", "The message has no "+h+": header, which RFC 5322 requires. Submission servers often add it; others may reject the message or mark it as spam.")
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
		w.add(WarnTextTooLong, "RFC 5321 §4.5.3.1.6", "", "This line is "+strconv.Itoa(n)+" octets with its CRLF; the limit is 1000. Servers may reject the message or break the line. Use quoted-printable or base64 for long lines.")
	}
	if has8bit(line) && !m.warned8bit {
		m.warned8bit = true
		switch {
		case !s.c.caps.has("8BITMIME"):
			w.add(WarnEightBitText, "RFC 6152 §3", "", "This line has 8-bit characters, but the server did not offer 8BITMIME: SMTP text is 7-bit US-ASCII. Encode the body (quoted-printable or base64) with Content-Transfer-Encoding.")
		case !s.c.body8bit:
			w.add(WarnEightBitUndeclared, "RFC 6152 §3", "", "This line has 8-bit characters: the server offers 8BITMIME, but MAIL FROM should have said BODY=8BITMIME.")
		}
	}
	m.bytes += int64(len(p.raw) + 2)
	if limit := s.c.caps.sizeLimit(); limit > 0 && m.bytes > limit && !m.warnedSize {
		m.warnedSize = true
		w.add(WarnSizeExceeds, "RFC 1870 §6", "552", "The message is now bigger than the server's SIZE limit of "+strconv.FormatInt(limit, 10)+" bytes: expect 552 5.3.4 after the final dot.")
	}

	switch {
	case m.inBody:
		a.Title = "Body text"
		a.Explanation = "A line of the message body."
		a.RFC = "RFC 5322 §2.1"
	case line == "":
		m.inBody = true
		a.Title = "End of the header"
		a.Explanation = "The empty line ends the header section; the body follows."
		a.RFC = "RFC 5322 §2.1"
	case (line[0] == ' ' || line[0] == '\t') && m.lastHeader != "":
		a.Title = "Folded header line"
		a.Explanation = "A line that starts with a space or tab continues the " + m.lastHeader + ": header above."
		a.RFC = "RFC 5322 §2.2.3"
		m.headers[strings.ToLower(m.lastHeader)] += " " + strings.TrimSpace(line)
	default:
		name, ok := headerName(line)
		if !ok {
			m.inBody = true
			a.Title = "Body text"
			a.Explanation = "A line of the message body."
			a.RFC = "RFC 5322 §2.1"
			w.add(WarnMissingBlankLine, "RFC 5322 §2.1", "", "This is not a header line, and no empty line came before it: it is read as a broken header, not as the body. Type an empty line between the header and the body.")
			break
		}
		s.explainHeader(a, &w, &m, name, strings.TrimSpace(line[len(name)+1:]))
	}
	if a.Stuffed {
		a.Explanation = "Dot-stuffed: the line starts with a dot, so a second dot is sent and the server removes it; otherwise a lone \".\" could end the message early (RFC 5321 §4.5.2). " + a.Explanation
	}
	p.message = m
	a.Warnings = w
	return p
}

// explainHeader explains one header field and compares From:, To: and Cc:
// with the envelope (the second seed's point about spoofing).
func (s *Session) explainHeader(a *Analysis, w *warnings, m *message, name, value string) {
	m.lastHeader = name
	m.headers[strings.ToLower(name)] = value
	h, known := explain.Header(name)
	a.Header = name
	switch {
	case known:
		a.Header = h.Key
		a.Title, a.Explanation, a.RFC = h.Key+": "+h.Title, h.Text, h.RFC
		if name != h.Key {
			a.Explanation += " Field names are case-insensitive: " + name + ": is the same as " + h.Key + ":."
		}
	case strings.HasPrefix(strings.ToUpper(name), "X-"):
		a.Title, a.Explanation, a.RFC = name+": custom header", "A private header field; mail programs that do not know it ignore it.", "RFC 5322 §3.6.8"
	default:
		a.Title, a.Explanation, a.RFC = name+": header field", "A header line: a name, a colon, and a value.", "RFC 5322 §2.2"
	}
	switch h.Key {
	case "From":
		if addr := headerAddresses(value); len(addr) > 0 && !strings.EqualFold(addr[0], s.c.mailFrom) {
			w.add(WarnHeaderFrom, "RFC 5321 §2.3.1", "", "From: says "+addr[0]+", but the envelope sender (MAIL FROM) is <"+s.c.mailFrom+">. "+explain.EnvelopeVsHeader)
		} else {
			a.Explanation += " Here it matches the envelope sender, but nothing requires that."
		}
	case "To", "Cc":
		for _, addr := range headerAddresses(value) {
			if !containsFold(s.c.rcpts, addr) {
				w.add(WarnHeaderTo, "RFC 5321 §2.3.1", "", addr+" is in the "+h.Key+": header but got no RCPT TO, so the server will not deliver to it: only the envelope counts. "+explain.EnvelopeVsHeader)
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
	a.Title = "BDAT chunk data"
	a.Explanation = "Chunk data: this line and its CRLF are " + strconv.FormatInt(n, 10) + " of the " + strconv.FormatInt(s.chunkLeft, 10) + " octets still due. BDAT has no dot-stuffing and no end marker."
	a.RFC = "RFC 3030 §2"
	if n > s.chunkLeft {
		a.Warnings = []Warning{{Code: WarnBDATOverrun, RFC: "RFC 3030 §2",
			Message: "Only " + strconv.FormatInt(s.chunkLeft, 10) + " octets are left in this chunk: the server will read the rest of the line as a command."}}
	}
	return plan{raw: line}
}
