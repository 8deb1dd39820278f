package sandbox

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// traceInfo is what the trace headers of a stored message say.
type traceInfo struct {
	from, helo, remote, host, profile, id, protocol string
	to                                              []string
	received                                        time.Time
}

// traceHeaders are the Return-Path and Received header fields the sandbox
// puts before the message, as a delivering server does (RFC 5321 section
// 4.4). "for" names the recipient only when there is one.
func traceHeaders(t traceInfo) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "Return-Path: <%s>\r\n", t.from)
	fmt.Fprintf(&b, "Received: from %s (%s)\r\n", printable(t.helo, 255), t.remote)
	fmt.Fprintf(&b, "\tby %s (smtplay sandbox, profile %s) with %s id %s", t.host, t.profile, t.protocol, t.id)
	if len(t.to) == 1 {
		fmt.Fprintf(&b, "\r\n\tfor <%s>", t.to[0])
	}
	fmt.Fprintf(&b, ";\r\n\t%s\r\n", t.received.Format(time.RFC1123Z))
	return []byte(b.String())
}

// reportTrace is the trace of a delivery report: the null return path, and
// a Received header without "from", as a server writes on a message it made
// itself.
func reportTrace(host, id string, made time.Time) []byte {
	return fmt.Appendf(nil, "Return-Path: <>\r\nReceived: by %s (smtplay sandbox, delivery report) id %s;\r\n\t%s\r\n",
		host, id, made.Format(time.RFC1123Z))
}

// protocolName is the "with" word of the Received header: RFC 3848 adds S
// for TLS and A for AUTH to ESMTP; RFC 6531 uses UTF8SMTP for SMTPUTF8.
func protocolName(greetVerb string, tlsOn, authed, utf8 bool) string {
	name := "ESMTP"
	switch {
	case greetVerb == "HELO":
		return "SMTP"
	case utf8:
		name = "UTF8SMTP"
	}
	if tlsOn {
		name += "S"
	}
	if authed {
		name += "A"
	}
	return name
}

// remoteName is how the Received header names a TCP client: [address].
func remoteName(addr net.Addr) string {
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return printable(addr.String(), 64)
	}
	return "[" + host + "]"
}
