package wire

// Details are the proxy's sentences for people, by detail key, in English
// with {name} placeholders (docs/PROTOCOL.md, "Details"). An error's message
// and a closed message's reason are rendered from them, and the key and the
// values travel beside it, so that a page may say the sentence in its
// reader's language. Keys are stable: a sentence may be reworded, never a
// key reused for another meaning.
var Details = map[string]string{
	// Frames refused by the line rules (bad_line_ending) and by size.
	"frame-empty":         "the frame is empty: send one or more lines, each ending in CRLF",
	"frame-no-final-crlf": "the frame does not end in CRLF: every line sent to an SMTP server must end with CR LF (RFC 5321 §2.3.8)",
	"frame-bare-lf":       "the frame contains a bare LF (a line feed without a carriage return before it): SMTP lines end with CR LF only, and a bare LF is how SMTP smuggling attacks begin, so nothing of the frame was sent",
	"frame-bare-cr":       "the frame contains a bare CR (a carriage return without a line feed after it): SMTP lines end with CR LF only, so nothing of the frame was sent",
	"frame-nul":           "the frame contains a NUL byte, which SMTP does not allow in a line, so nothing of it was sent",
	"frame-too-large":     "a message may be at most {max} bytes; this one had {got}, so none of it was sent",
	"message-over-mib":    "a message of more than 1 MiB was sent; the session was closed",

	// Text frames the proxy did not understand (bad_request).
	"not-utf8":        "a text frame must be UTF-8 JSON; send SMTP lines as binary frames",
	"not-json-object": "a text frame must hold one JSON object: {error}",
	"no-type":         `the JSON object has no "type" field`,
	"unknown-type":    `unknown message type "{type}": a client sends only "open" and "close"`,
	"open-malformed":  "the open message is malformed: {error}",
	"open-first":      "send an open message before any SMTP line: nothing is connected yet",
	"already-open":    "the session is already open: send only one open message",
	"open-both":       "an open names either a target or a host and port, not both",
	"open-no-target":  `an open needs "target", or "host" and "port"`,
	"mailbox-real":    "a mailbox belongs to the sandbox; {target} is a real server",

	// Targets and addresses the playground does not reach (not_allowed).
	"not-listed-name": `there is no target named "{name}" here (GET /api/targets lists them)`,
	"not-listed-addr": "{addr} is not on this playground's list of servers, so the proxy will not connect to it. The operator can allow a server with -allow",
	"denied-address":  "{host} resolves to {addr}, which this playground never connects to: {reason}",
	"auth-in-clear":   "AUTH before TLS is refused for a real server: your password would cross the internet readable by anyone on the way. Send STARTTLS first, then EHLO, then AUTH",

	// What a refused address is: the {reason} of denied-address, phrased
	// to follow "<address> is ".
	"denied.invalid":       "an invalid IP address cannot be dialled",
	"denied.not-literal":   `"{address}" is not a literal IP address and port`,
	"denied.network":       `not reachable over "{network}": only TCP is dialled`,
	"denied.port":          "not dialled on port {port}: a public playground reaches only the mail submission ports 587 and 465",
	"denied.this-network":  `a "this network" address ({prefix}), which reaches this machine`,
	"denied.private":       "a private address ({prefix})",
	"denied.cgnat":         "a carrier-grade NAT address ({prefix})",
	"denied.loopback":      "a loopback address (this machine)",
	"denied.link-local":    "a link-local address (cloud metadata)",
	"denied.ietf":          "an IETF protocol address ({prefix})",
	"denied.documentation": "a documentation address ({prefix})",
	"denied.benchmarking":  "a benchmarking address ({prefix})",
	"denied.multicast":     "a multicast address ({prefix})",
	"denied.reserved":      "a reserved or broadcast address ({prefix})",
	"denied.unspecified6":  "the unspecified IPv6 address, which reaches this machine",
	"denied.loopback6":     "the IPv6 loopback address (this machine)",
	"denied.compatible6":   "an IPv4-compatible IPv6 address ({prefix}, deprecated)",
	"denied.discard6":      "a discard-only address ({prefix})",
	"denied.teredo":        "a Teredo address ({prefix}), whose IPv4 address is hidden and cannot be checked",
	"denied.unique-local":  "a unique local address (private IPv6, {prefix}; cloud metadata lives here too)",
	"denied.link-local6":   "a link-local IPv6 address ({prefix})",
	"denied.multicast6":    "a multicast IPv6 address ({prefix})",
	// IPv6 addresses that carry a refused IPv4 address; {inner} is what
	// that address is, one of the denied.* ranges above.
	"denied.mapped":      "an IPv4-mapped address for {carried}, which is {inner}",
	"denied.nat64":       "a NAT64 address for {carried}, which is {inner}",
	"denied.nat64-local": "a local-use NAT64 address for {carried}, which is {inner}",
	"denied.6to4":        "a 6to4 address for {carried}, which is {inner}",

	// Connecting (dial_failed, internal).
	"dns-not-found": "the name {host} was not found in DNS: check its spelling",
	"dns-failed":    "the name {host} could not be looked up in DNS just now; try again later",
	"refused":       "{addr} refused the connection: no mail server is listening on that port",
	"unreachable":   "{addr} cannot be reached from the proxy: there is no network route to it",
	"dial-timeout":  "{addr} did not answer in time: the server may be down, or a firewall drops the connection",
	"dial-failed":   "could not connect to {addr}",
	"sandbox-busy":  "the built-in sandbox could not take the session; please try again",

	// TLS (tls_failed).
	"cert-unknown-authority": "the certificate of {host} is not signed by an authority the proxy trusts (it may be self-signed or from a private CA), so the connection could be intercepted and was closed",
	"cert-wrong-name":        "the certificate presented is not valid for the name {host} ({error}), so the connection was closed",
	"cert-expired":           "the certificate of {host} has expired or is not yet valid, so the connection was closed",
	"cert-invalid":           "the certificate of {host} is not valid ({error}), so the connection was closed",
	"not-tls":                "{host} did not answer in TLS: it sent something that is not a TLS handshake",
	"tls-timeout":            "{host} did not finish the TLS handshake within {limit}",
	"tls-version":            "{host} and the proxy share no TLS version: the proxy requires TLS 1.2 or later",
	"tls-failed":             "the TLS handshake with {host} failed: {error}",

	// The conversation (reply_pending, not_supported, session_limit).
	"reply-pending":        "the server has not answered {verb} yet, and its reply decides how the next line is read: wait for it",
	"reply-pending-answer": "the server has not answered the answer to its 334 challenge yet, and its reply decides how the next line is read: wait for it",
	"tls-starting":         "TLS is being set up after STARTTLS: wait for the tls event before sending more. Nothing is ever sent in the clear after STARTTLS",
	"must-end-frame":       "{verb} must be the last line of its frame: the server's reply to it decides how the next line is read. Send the rest after the reply",
	"answer-must-end":      "an answer to the server's 334 challenge must be the last line of its frame: the server's next reply decides what comes after it",
	"bdat":                 "BDAT is not carried by the playground's tunnel: its chunks need not end at a line end. Send the message with DATA instead",
	"too-many-recipients":  "a session may name at most {max} recipients on a real server, so the playground cannot be used to send bulk mail",
	"too-many-messages":    "a session may send at most {max} messages through a real server, so the playground cannot be used to send bulk mail",
	"byte-budget":          "this session may send at most {max} bytes to the server, and this frame would pass that; the session was closed",
	"auth-failures":        "the server refused {n} logins in this session, so the playground closed it: check the username and password, then connect again",
	"session-too-long":     "the session reached its maximum length of {max} and was closed; connect again to go on",

	// Admission (rate_limited).
	"too-many-sessions": "you already have as many sessions open here as allowed ({n}); close one first",
	"too-many-new":      "too many new sessions from your address; wait a minute",
	"busy":              "the playground is very busy right now; try again in a few seconds",

	// Timeouts (timeout).
	"idle":      "nothing happened for {idle}, so the session was closed to free its place",
	"no-answer": "the server did not answer for {idle}, so the session was closed",

	// How a session ended (closed).
	"quit":               "the server closed the connection after QUIT, as it should",
	"server-closed":      "the server closed the connection",
	"server-lost":        "the connection to the server was lost",
	"lost-while-sending": "the connection to the server was lost while sending",
	"client-closed":      "you closed the session",
	"closed-before-open": "you closed the session before connecting",
	"browser-gone":       "the browser went away",
	"shutting-down":      "smtplay is shutting down; your session was closed",
	"shutting-down-new":  "smtplay is shutting down; try again in a moment",
}

// NestedArgs are the arguments that name another sentence of Details rather
// than hold a value: the sentence is said in their place, filled from the
// same arguments. A nested placeholder always ends its template.
var NestedArgs = []string{"reason", "inner"}
