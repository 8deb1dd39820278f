package explain

import (
	"strconv"
	"strings"
)

// enhanced lists the meaning of each "subject.detail" (its Key) of an
// enhanced status code (RFC 3463); the class digit (2, 4 or 5) is explained separately. The table holds
// every code enumerated in RFC 3463 §3 and the later additions of the IANA
// "SMTP Enhanced Status Codes" registry (RFC 5248).
var enhanced = []Entry{
	{Key: "0.0", Title: "Other undefined status", Text: "No more detail than the class: success, temporary or permanent failure.", RFC: "RFC 3463 §3.1"},

	{Key: "1.0", Title: "Other address status", Text: "Something about an address caused this, without more detail.", RFC: "RFC 3463 §3.2"},
	{Key: "1.1", Title: "Bad destination mailbox address", Text: "The recipient's mailbox (the part before @) does not exist there.", RFC: "RFC 3463 §3.2"},
	{Key: "1.2", Title: "Bad destination system address", Text: "The recipient's domain (the part after @) does not exist or cannot take mail.", RFC: "RFC 3463 §3.2"},
	{Key: "1.3", Title: "Bad destination mailbox address syntax", Text: "The recipient address is malformed.", RFC: "RFC 3463 §3.2"},
	{Key: "1.4", Title: "Destination mailbox address ambiguous", Text: "The recipient address matches more than one mailbox.", RFC: "RFC 3463 §3.2"},
	{Key: "1.5", Title: "Destination address valid", Text: "The recipient address is accepted (the usual code on a 250 to RCPT).", RFC: "RFC 3463 §3.2"},
	{Key: "1.6", Title: "Destination mailbox has moved, no forwarding address", Text: "The mailbox used to exist but no longer takes mail.", RFC: "RFC 3463 §3.2"},
	{Key: "1.7", Title: "Bad sender's mailbox address syntax", Text: "The sender address (MAIL FROM) is malformed.", RFC: "RFC 3463 §3.2"},
	{Key: "1.8", Title: "Bad sender's system address", Text: "The sender's domain does not exist or cannot take replies.", RFC: "RFC 3463 §3.2"},
	{Key: "1.9", Title: "Message relayed to non-compliant mailer", Text: "The address is valid, but the next system cannot report delivery status.", RFC: "RFC 3886 §5"},
	{Key: "1.10", Title: "Recipient address has null MX", Text: "The recipient's domain publishes that it accepts no mail.", RFC: "RFC 7505 §4.2"},

	{Key: "2.0", Title: "Other or undefined mailbox status", Text: "The mailbox exists, but something about it caused this.", RFC: "RFC 3463 §3.3"},
	{Key: "2.1", Title: "Mailbox disabled, not accepting messages", Text: "The mailbox exists but is switched off.", RFC: "RFC 3463 §3.3"},
	{Key: "2.2", Title: "Mailbox full", Text: "The recipient is over quota.", RFC: "RFC 3463 §3.3"},
	{Key: "2.3", Title: "Message length exceeds administrative limit", Text: "The message is bigger than this mailbox accepts.", RFC: "RFC 3463 §3.3"},
	{Key: "2.4", Title: "Mailing list expansion problem", Text: "The address is a mailing list that could not be expanded.", RFC: "RFC 3463 §3.3"},

	{Key: "3.0", Title: "Other or undefined mail system status", Text: "The destination system has a problem of its own.", RFC: "RFC 3463 §3.4"},
	{Key: "3.1", Title: "Mail system full", Text: "The server is out of storage.", RFC: "RFC 3463 §3.4"},
	{Key: "3.2", Title: "System not accepting network messages", Text: "The host is not taking mail right now (load, shutdown, maintenance).", RFC: "RFC 3463 §3.4"},
	{Key: "3.3", Title: "System not capable of selected features", Text: "The server cannot do a feature the message asks for.", RFC: "RFC 3463 §3.4"},
	{Key: "3.4", Title: "Message too big for system", Text: "The message is bigger than the server accepts at all (see SIZE).", RFC: "RFC 3463 §3.4"},
	{Key: "3.5", Title: "System incorrectly configured", Text: "The server is misconfigured for this message.", RFC: "RFC 3463 §3.4"},
	{Key: "3.6", Title: "Requested priority was changed", Text: "The message was accepted, but with a different priority than asked (MT-PRIORITY).", RFC: "RFC 6710 §8"},

	{Key: "4.0", Title: "Other or undefined network or routing status", Text: "A network or routing problem.", RFC: "RFC 3463 §3.5"},
	{Key: "4.1", Title: "No answer from host", Text: "The next server did not answer the connection attempt.", RFC: "RFC 3463 §3.5"},
	{Key: "4.2", Title: "Bad connection", Text: "The connection to the next server broke during the transaction.", RFC: "RFC 3463 §3.5"},
	{Key: "4.3", Title: "Directory server failure", Text: "A directory such as DNS could not be reached.", RFC: "RFC 3463 §3.5"},
	{Key: "4.4", Title: "Unable to route", Text: "No route to the destination (for example no MX or A record).", RFC: "RFC 3463 §3.5"},
	{Key: "4.5", Title: "Mail system congestion", Text: "The mail system is too busy right now.", RFC: "RFC 3463 §3.5"},
	{Key: "4.6", Title: "Routing loop detected", Text: "The message went round in circles (too many Received: headers).", RFC: "RFC 3463 §3.5"},
	{Key: "4.7", Title: "Delivery time expired", Text: "The message waited in the queue too long and was given up.", RFC: "RFC 3463 §3.5"},

	{Key: "5.0", Title: "Other or undefined protocol status", Text: "An SMTP protocol problem.", RFC: "RFC 3463 §3.6"},
	{Key: "5.1", Title: "Invalid command", Text: "The command is unknown, not supported, or out of sequence.", RFC: "RFC 3463 §3.6"},
	{Key: "5.2", Title: "Syntax error", Text: "The command line could not be parsed.", RFC: "RFC 3463 §3.6"},
	{Key: "5.3", Title: "Too many recipients", Text: "More recipients than the server takes in one transaction.", RFC: "RFC 3463 §3.6"},
	{Key: "5.4", Title: "Invalid command arguments", Text: "The command is valid but its arguments or parameters are not.", RFC: "RFC 3463 §3.6"},
	{Key: "5.5", Title: "Wrong protocol version", Text: "The two sides disagree on the protocol version.", RFC: "RFC 3463 §3.6"},
	{Key: "5.6", Title: "Authentication exchange line is too long", Text: "An AUTH line was longer than the server accepts (12288 octets are always allowed).", RFC: "RFC 4954 §6"},

	{Key: "6.0", Title: "Other or undefined media error", Text: "Something about the message content caused this.", RFC: "RFC 3463 §3.7"},
	{Key: "6.1", Title: "Media not supported", Text: "The message uses a media type the path cannot carry.", RFC: "RFC 3463 §3.7"},
	{Key: "6.2", Title: "Conversion required and prohibited", Text: "The message would have to be converted, but it must not be.", RFC: "RFC 3463 §3.7"},
	{Key: "6.3", Title: "Conversion required but not supported", Text: "The message would have to be converted, and that is not possible.", RFC: "RFC 3463 §3.7"},
	{Key: "6.4", Title: "Conversion with loss performed", Text: "The message was delivered, but converting it lost something.", RFC: "RFC 3463 §3.7"},
	{Key: "6.5", Title: "Conversion failed", Text: "A needed conversion did not work.", RFC: "RFC 3463 §3.7"},
	{Key: "6.6", Title: "Message content not available", Text: "The content to send by reference (BURL) could not be fetched.", RFC: "RFC 4468 §7"},
	{Key: "6.7", Title: "Non-ASCII addresses not permitted for that sender/recipient", Text: "An address with non-ASCII characters needs SMTPUTF8, which this path cannot use.", RFC: "RFC 6531 §3.5"},
	{Key: "6.8", Title: "UTF-8 string reply is required, but not permitted by the SMTP client", Text: "The server would need to answer in UTF-8, but the client did not ask for SMTPUTF8.", RFC: "RFC 6531 §3.7.4.1"},
	{Key: "6.9", Title: "UTF-8 header message cannot be transferred to one or more recipients", Text: "The message has UTF-8 headers that cannot reach every recipient.", RFC: "RFC 6531 §3.7.5"},
	{Key: "6.10", Title: "Duplicate of X.6.8 (deprecated)", Text: "Registered twice by mistake; means the same as X.6.8.", RFC: "RFC 6531 §3.7.4.1"},

	{Key: "7.0", Title: "Other or undefined security status", Text: "A security or policy reason, without more detail. With 530 it usually means 'log in first' or 'STARTTLS first'.", RFC: "RFC 3463 §3.8"},
	{Key: "7.1", Title: "Delivery not authorized, message refused", Text: "Policy refuses this sender or recipient (e.g. relaying denied, blocked as spam).", RFC: "RFC 3463 §3.8"},
	{Key: "7.2", Title: "Mailing list expansion prohibited", Text: "The sender may not send to this mailing list.", RFC: "RFC 3463 §3.8"},
	{Key: "7.3", Title: "Security conversion required but not possible", Text: "The message would need a security conversion that cannot be done.", RFC: "RFC 3463 §3.8"},
	{Key: "7.4", Title: "Security features not supported", Text: "The message asks for security features the path does not support.", RFC: "RFC 3463 §3.8"},
	{Key: "7.5", Title: "Cryptographic failure", Text: "Decrypting or verifying the message failed.", RFC: "RFC 3463 §3.8"},
	{Key: "7.6", Title: "Cryptographic algorithm not supported", Text: "The message uses an algorithm the receiver does not support.", RFC: "RFC 3463 §3.8"},
	{Key: "7.7", Title: "Message integrity failure", Text: "The message was changed or damaged on the way.", RFC: "RFC 3463 §3.8"},
	{Key: "7.8", Title: "Authentication credentials invalid", Text: "The login failed: wrong user name or password.", RFC: "RFC 4954 §6"},
	{Key: "7.9", Title: "Authentication mechanism is too weak", Text: "Pick a stronger mechanism from the AUTH list.", RFC: "RFC 4954 §6"},
	{Key: "7.10", Title: "Encryption needed", Text: "Use TLS (STARTTLS) before this, typically before a plaintext login.", RFC: "RFC 5248 §2.4"},
	{Key: "7.11", Title: "Encryption required for requested authentication mechanism", Text: "This mechanism is only allowed over TLS.", RFC: "RFC 4954 §6"},
	{Key: "7.12", Title: "A password transition is needed", Text: "Log in once with a plaintext mechanism over TLS so the server can update your password.", RFC: "RFC 4954 §6"},
	{Key: "7.13", Title: "User account disabled", Text: "The login is right, but the account is switched off.", RFC: "RFC 5248 §2.4"},
	{Key: "7.14", Title: "Trust relationship required", Text: "The server only takes this from systems it has an agreement with.", RFC: "RFC 5248 §2.4"},
	{Key: "7.15", Title: "Priority level is too low", Text: "The requested priority (MT-PRIORITY) is below what the server accepts now.", RFC: "RFC 6710 §8"},
	{Key: "7.16", Title: "Message is too big for the specified priority", Text: "Big messages are only accepted at lower priority.", RFC: "RFC 6710 §8"},
	{Key: "7.17", Title: "Mailbox owner has changed", Text: "The mailbox has a new owner since the date the sender gave (RRVS).", RFC: "RFC 7293 §3.3"},
	{Key: "7.18", Title: "Domain owner has changed", Text: "The domain has a new owner since the date the sender gave (RRVS).", RFC: "RFC 7293 §3.3"},
	{Key: "7.19", Title: "RRVS test cannot be completed", Text: "The server cannot check the 'recipient valid since' date.", RFC: "RFC 7293 §3.3"},
	{Key: "7.20", Title: "No passing DKIM signature found", Text: "Policy requires a valid DKIM signature; none verified.", RFC: "RFC 7372 §3.1"},
	{Key: "7.21", Title: "No acceptable DKIM signature found", Text: "A DKIM signature verified, but none that local policy accepts.", RFC: "RFC 7372 §3.1"},
	{Key: "7.22", Title: "No valid author-matched DKIM signature found", Text: "No valid DKIM signature matches the domain of the From: header.", RFC: "RFC 7372 §3.1"},
	{Key: "7.23", Title: "SPF validation failed", Text: "The sending host is not allowed to send for the MAIL FROM domain (SPF fail).", RFC: "RFC 7372 §3.2"},
	{Key: "7.24", Title: "SPF validation error", Text: "Checking SPF gave an error (often temporary, 4.7.24).", RFC: "RFC 7372 §3.2"},
	{Key: "7.25", Title: "Reverse DNS validation failed", Text: "The client's IP address has no matching reverse DNS name.", RFC: "RFC 7372 §3.3"},
	{Key: "7.26", Title: "Multiple authentication checks failed", Text: "More than one check (SPF, DKIM, reverse DNS) failed.", RFC: "RFC 7372 §3.4"},
	{Key: "7.27", Title: "Sender address has null MX", Text: "The sender's domain publishes that it accepts no mail, so bounces could not be returned.", RFC: "RFC 7505 §4.2"},
	{Key: "7.28", Title: "Mail flood detected", Text: "The message looks like part of a flood of similar messages; slow down.", RFC: "IANA SMTP Enhanced Status Codes registry"},
	{Key: "7.29", Title: "ARC validation failure", Text: "The message's ARC chain (authentication results kept across forwarders) did not validate.", RFC: "RFC 8617 §7.2.2"},
	{Key: "7.30", Title: "REQUIRETLS support required", Text: "The message demands TLS on every hop (REQUIRETLS), and the next hop cannot promise it.", RFC: "RFC 8689 §5"},
}

var enhancedClasses = [...]Entry{
	2: {Title: "Success", Text: "2.x.x: the action succeeded.", RFC: "RFC 3463 §2"},
	4: {Title: "Persistent transient failure", Text: "4.x.x: failed for now; the same message may succeed later.", RFC: "RFC 3463 §2"},
	5: {Title: "Permanent failure", Text: "5.x.x: failed; something about the message or the destination must change first.", RFC: "RFC 3463 §2"},
}

var enhancedSubjects = [...]Entry{
	0: {Title: "Other or undefined status", Text: "x.0.x: no subject information.", RFC: "RFC 3463 §2"},
	1: {Title: "Addressing status", Text: "x.1.x: about an address (sender or recipient).", RFC: "RFC 3463 §2"},
	2: {Title: "Mailbox status", Text: "x.2.x: about the recipient's mailbox.", RFC: "RFC 3463 §2"},
	3: {Title: "Mail system status", Text: "x.3.x: about the receiving mail system.", RFC: "RFC 3463 §2"},
	4: {Title: "Network and routing status", Text: "x.4.x: about the network or routing.", RFC: "RFC 3463 §2"},
	5: {Title: "Mail delivery protocol status", Text: "x.5.x: about the SMTP conversation itself.", RFC: "RFC 3463 §2"},
	6: {Title: "Message content or media status", Text: "x.6.x: about the message content.", RFC: "RFC 3463 §2"},
	7: {Title: "Security or policy status", Text: "x.7.x: about security or policy (login, TLS, spam rules).", RFC: "RFC 3463 §2"},
}

// Enhanced explains an enhanced status code such as "5.7.8" (RFC 3463:
// class.subject.detail). ok is true when the subject.detail pair is
// registered; for a well-formed but unregistered code the Entry still says
// what its class and subject mean. A malformed code gives an empty Title and
// Text.
func Enhanced(code string) (Entry, bool) {
	class, subject, detail, ok := SplitEnhanced(code)
	if !ok {
		return Entry{Key: code}, false
	}
	key := strconv.Itoa(class) + "." + strconv.Itoa(subject) + "." + strconv.Itoa(detail)
	c, _ := EnhancedClass(class)
	if e, ok := find(enhanced, strconv.Itoa(subject)+"."+strconv.Itoa(detail)); ok {
		e.Key = key
		e.Text = c.Title + ": " + e.Text
		return e, true
	}
	s := Entry{Title: "Unregistered detail", Text: "a detail code not in the registry.", RFC: "RFC 3463 §2"}
	if subject < len(enhancedSubjects) {
		s = enhancedSubjects[subject]
	}
	return Entry{Key: key, Title: c.Title + ", " + strings.ToLower(s.Title[:1]) + s.Title[1:],
		Text: c.Text + " " + s.Text + " The detail ." + strconv.Itoa(detail) + " is not registered.",
		RFC:  "RFC 3463 §2"}, false
}

// EnhancedClass explains the class digit of an enhanced status code: 2, 4 or 5.
func EnhancedClass(class int) (Entry, bool) {
	var e Entry
	if 0 <= class && class < len(enhancedClasses) {
		e = enhancedClasses[class]
	}
	e.Key = strconv.Itoa(class) + ".x.x"
	return e, e.Title != ""
}

// SplitEnhanced parses "class.subject.detail" as RFC 3463 §2 defines it:
// class is 2, 4 or 5; subject and detail are one to three digits with no
// leading zeros other than a lone 0.
func SplitEnhanced(code string) (class, subject, detail int, ok bool) {
	parts := strings.Split(code, ".")
	if len(parts) != 3 || len(parts[0]) != 1 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 3 || (len(p) > 1 && p[0] == '0') {
			return 0, 0, 0, false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return 0, 0, 0, false
			}
			n[i] = n[i]*10 + int(r-'0')
		}
	}
	if n[0] != 2 && n[0] != 4 && n[0] != 5 {
		return 0, 0, 0, false
	}
	return n[0], n[1], n[2], true
}
