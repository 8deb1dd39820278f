package sandbox

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/emersion/go-smtp"
	"github.com/smtplay/smtplay/wire"
)

// Rule is one thing a profile refuses, and the reply it refuses it with.
// The page's engine reads them (as [WireProfile] puts them in the tunnel's
// opened message) to predict, per target, what the
// sandbox will answer; the sandbox itself refuses from the same table, so
// the prediction and the reply cannot drift apart.
type Rule struct {
	ID       string   // stable name, e.g. "mail-angle-brackets"
	Commands []string // the commands it refuses, upper case
	Refuses  string   // what is refused, in words
	Example  string   // a command line it refuses (once the session got that far)
	Reply    string   // the whole reply line
	Code     int      // the reply code, e.g. 501
	Enhanced string   // the enhanced status code (RFC 3463), e.g. "5.1.7"
	Source   string   // the RFCs and the real server the reply follows
}

// ruleID names a rule in the rules table.
type ruleID string

const (
	ruleTLSFirst     ruleID = "starttls-first"
	ruleAuthFirst    ruleID = "auth-first"
	ruleHelloName    ruleID = "hello-domain-or-literal"
	ruleMailBrackets ruleID = "mail-angle-brackets"
	ruleRcptBrackets ruleID = "rcpt-angle-brackets"
)

// rule is a Rule and the error go-smtp writes for it.
type rule struct {
	about Rule // without ID and the reply fields, which come from err
	err   *smtp.SMTPError
}

// rules are every refusal some profile makes and another does not. A
// profile lists the ones it applies (profiles.go). Where each is checked:
// ruleHelloName in clientConn.command, before go-smtp sees the EHLO;
// the others in session.Auth, session.Mail and session.Rcpt, after
// go-smtp's own sequence and syntax checks, in the order Postfix checks
// them (TLS, then the address syntax, then the login).
var rules = map[ruleID]rule{
	ruleTLSFirst: {Rule{
		Commands: []string{"AUTH", "MAIL"},
		Refuses:  "AUTH or MAIL before STARTTLS (and AUTH is not in the EHLO reply until then)",
		Example:  "MAIL FROM:<a@example.org>",
		Source:   "RFC 3207 section 4; Postfix with smtpd_tls_security_level=encrypt",
	}, errMustStartTLS},
	ruleAuthFirst: {Rule{
		Commands: []string{"MAIL"},
		Refuses:  "MAIL before a successful AUTH",
		Example:  "MAIL FROM:<a@example.org>",
		Source:   "RFC 4954 section 6 (530 5.7.0 Authentication required)",
	}, errAuthRequired},
	ruleHelloName: {Rule{
		Commands: []string{"EHLO", "HELO"},
		Refuses:  "an EHLO or HELO name that is neither a domain nor an address literal in brackets, such as a bare IP address",
		Example:  "EHLO 91.198.212.5",
		Source: "RFC 5321 sections 4.1.1.1, 4.1.3 and 4.1.4; Postfix reject_invalid_helo_hostname " +
			"(501 5.5.2 <name>: Helo command rejected: Invalid name)",
	}, errHelloName},
	ruleMailBrackets: {Rule{
		Commands: []string{"MAIL"},
		Refuses:  "a sender address without angle brackets",
		Example:  "MAIL FROM: vasiapupkin@ya.ru",
		Source: "RFC 5321 sections 4.1.1.2 and 4.1.2 (Reverse-path = Path = \"<\" Mailbox \">\"); " +
			"RFC 3463 X.1.7; Postfix with smtpd_strict_rfc821_envelopes=yes",
	}, errBadSender},
	ruleRcptBrackets: {Rule{
		Commands: []string{"RCPT"},
		Refuses:  "a recipient address without angle brackets",
		Example:  "RCPT TO: billy@microsoft.com",
		Source: "RFC 5321 sections 4.1.1.3 and 4.1.2 (Forward-path = Path); RFC 3463 X.1.3; " +
			"Postfix with smtpd_strict_rfc821_envelopes=yes",
	}, errBadRecipient},
}

// profileRules states, for each profile name, what that profile refuses and
// with which reply, beyond what every profile refuses. Both profiles share
// everything else: the sequence errors (503 5.5.1), the CRLF and line
// length rules, the limits, the practice faults and the AUTH replies, as
// listed in the package documentation.
//
//	sandbox         (nothing: it is lenient where real lenient servers are;
//	                 MAIL FROM: a@b without brackets and EHLO 192.0.2.1 are accepted)
//	sandbox-strict  starttls-first           AUTH, MAIL   530 5.7.0 Must issue a STARTTLS command first
//	                auth-first               MAIL         530 5.7.0 Authentication required
//	                hello-domain-or-literal  EHLO, HELO   501 5.5.2 Syntax: EHLO hostname ...
//	                mail-angle-brackets      MAIL         501 5.1.7 Bad sender address syntax ...
//	                rcpt-angle-brackets      RCPT         501 5.1.3 Bad recipient address syntax ...
//
// The result is a fresh copy: changing it changes nothing.
func profileRules() map[string][]Rule {
	out := make(map[string][]Rule, len(profiles))
	for _, p := range profiles {
		list := []Rule{}
		for _, id := range p.rules {
			list = append(list, rules[id].describe(id))
		}
		out[p.name] = list
	}
	return out
}

// WireProfile is what profile name refuses, as the tunnel's opened message
// carries it (docs/PROTOCOL.md), or nil when there is no such profile.
func WireProfile(name string) *wire.Profile {
	rules, ok := profileRules()[name]
	if !ok {
		return nil
	}
	out := &wire.Profile{Name: name, Refuses: []wire.Refusal{}}
	for _, r := range rules {
		out.Refuses = append(out.Refuses, wire.Refusal{Rule: r.ID, Code: r.Code, Enhanced: r.Enhanced})
	}
	return out
}

// describe is the rule as profileRules gives it.
func (r rule) describe(id ruleID) Rule {
	d := r.about
	d.ID = string(id)
	d.Commands = slices.Clone(d.Commands)
	d.Code = r.err.Code
	d.Enhanced = fmt.Sprintf("%d.%d.%d", r.err.EnhancedCode[0], r.err.EnhancedCode[1], r.err.EnhancedCode[2])
	d.Reply = errorLine(r.err)
	return d
}

// refusal is the reply for rule id if profile p applies it and broken is
// true, else nil.
func (p *profile) refusal(id ruleID, broken bool) *smtp.SMTPError {
	if broken && p.refuses(id) {
		return rules[id].err
	}
	return nil
}

// bracketedPath reports whether a MAIL or RCPT argument writes its path in
// angle brackets: "FROM:<a@b>" and "FROM: <a@b>" do, "FROM: a@b" does not.
// go-smtp accepts both; the space after the colon is accepted by every
// profile, as Postfix does by default.
func bracketedPath(arg string) bool {
	_, path, ok := strings.Cut(arg, ":")
	return !ok || strings.HasPrefix(strings.TrimSpace(path), "<")
}

// validHelloName reports whether the first word of an EHLO or HELO argument
// is a domain (RFC 5321 section 4.1.2; U-labels allowed, RFC 6531 section
// 3.3) or an address literal in brackets (section 4.1.3). A bare IPv4
// address is not a domain: its last label is numeric, which no top-level
// domain is. An empty argument is left to go-smtp, which answers it in every
// profile.
func validHelloName(arg string) bool {
	name, _, _ := strings.Cut(arg, " ")
	if lit, ok := strings.CutPrefix(name, "["); ok {
		return strings.HasSuffix(lit, "]") && validAddressLiteral(strings.TrimSuffix(lit, "]"))
	}
	name = strings.TrimSuffix(name, ".")
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if !validLabel(l) {
			return false
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// validLabel checks a sub-domain: letters, digits, inner hyphens, and
// non-ASCII (U-labels, RFC 6531), at most 63 octets.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f) {
			return false
		}
	}
	return true
}

// validAddressLiteral checks what is between the brackets of an address
// literal: an IPv4 address, or "IPv6:" and an IPv6 address, the two tags
// RFC 5321 section 4.1.3 defines.
func validAddressLiteral(lit string) bool {
	if tag, v6, ok := strings.Cut(lit, ":"); ok {
		ip, err := netip.ParseAddr(v6)
		return strings.EqualFold(tag, "IPv6") && err == nil && ip.Is6() && ip.Zone() == ""
	}
	ip, err := netip.ParseAddr(lit)
	return err == nil && ip.Is4()
}
