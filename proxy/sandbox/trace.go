package sandbox

import (
	"fmt"
	"net"
	"time"
)

// traceInfo is what the trace headers of a stored message say.
type traceInfo struct {
	from, helo, remote, host, profile, id, protocol string
	to                                              []string
	received                                        time.Time
}

// appendTrace appends the Return-Path and Received header fields the
// sandbox puts before the message, as a delivering server does (RFC 5321
// section 4.4), to dst. "for" names the recipient only when there is one.
func appendTrace(dst []byte, t traceInfo) []byte {
	dst = append(append(append(dst, "Return-Path: <"...), t.from...), ">\r\nReceived: from "...)
	dst = appendPrintable(dst, t.helo, 255)
	dst = append(append(append(dst, " ("...), t.remote...), ")\r\n\tby "...)
	for _, s := range []string{t.host, " (smtplay sandbox, profile ", t.profile, ") with ", t.protocol, " id ", t.id} {
		dst = append(dst, s...)
	}
	if len(t.to) == 1 {
		dst = append(append(append(dst, "\r\n\tfor <"...), t.to[0]...), '>')
	}
	dst = append(dst, ";\r\n\t"...)
	dst = t.received.AppendFormat(dst, time.RFC1123Z)
	return append(dst, "\r\n"...)
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
