package explain

import (
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// capabilities lists what each EHLO keyword (its Key; RFC 5321 §4.1.1.1: one
// per line of the 250 reply after the first) offers.
var capabilities = []Entry{
	{Key: "SIZE", Title: "Message size declaration",
		Text: "The largest message the server accepts, in bytes (0 or no number: no fixed limit). You may declare your size in advance with MAIL FROM:<...> SIZE=n.",
		RFC:  "RFC 1870 §4"},
	{Key: "8BITMIME", Title: "8-bit MIME transport",
		Text: "The server carries message text with bytes above 127 (UTF-8 text without encoding). Declare it with MAIL FROM:<...> BODY=8BITMIME.",
		RFC:  "RFC 6152 §2"},
	{Key: "PIPELINING", Title: "Command pipelining",
		Text: "You may send several commands without waiting for each reply; the replies come back in order. EHLO, DATA, QUIT, NOOP, VRFY, EXPN must end a group.",
		RFC:  "RFC 2920 §3"},
	{Key: "CHUNKING", Title: "Chunked message data (BDAT)",
		Text: "The server accepts BDAT: the message in counted chunks, with no dot-stuffing. The playground's tunnel does not carry BDAT: use DATA.",
		RFC:  "RFC 3030 §2"},
	{Key: "BINARYMIME", Title: "Binary MIME",
		Text: "With CHUNKING, the message may contain arbitrary binary data: MAIL FROM:<...> BODY=BINARYMIME, sent only with BDAT.",
		RFC:  "RFC 3030 §3"},
	{Key: "DSN", Title: "Delivery status notifications",
		Text: "You may ask for delivery reports: RCPT TO:<...> NOTIFY=SUCCESS,FAILURE, and MAIL FROM:<...> RET=HDRS ENVID=...",
		RFC:  "RFC 3461 §4"},
	{Key: "SMTPUTF8", Title: "Internationalized email",
		Text: "Addresses and headers may contain UTF-8 (e.g. ąę@przykład.pl). Ask for it with MAIL FROM:<...> SMTPUTF8.",
		RFC:  "RFC 6531 §3.1"},
	{Key: "ENHANCEDSTATUSCODES", Title: "Enhanced status codes",
		Text: "Replies carry a second, finer code after the three digits, like 5.7.8 (class.subject.detail).",
		RFC:  "RFC 2034 §3"},
	{Key: "STARTTLS", Title: "TLS encryption",
		Text: "Send STARTTLS to encrypt the connection before logging in or sending anything private. Then EHLO again.",
		RFC:  "RFC 3207 §4"},
	{Key: "AUTH", Title: "SMTP authentication",
		Text: "You can log in with one of the listed SASL mechanisms: AUTH <mechanism>.",
		RFC:  "RFC 4954 §3"},
	{Key: "HELP", Title: "Help",
		Text: "The server answers HELP with a 214 reply for people.",
		RFC:  "RFC 5321 §4.1.1.8"},
	{Key: "REQUIRETLS", Title: "Require TLS on every hop",
		Text: "You may ask that the message only travel over verified TLS: MAIL FROM:<...> REQUIRETLS (only over TLS).",
		RFC:  "RFC 8689 §4"},
	{Key: "LIMITS", Title: "Server limits",
		Text: "The server announces its limits, e.g. RCPTMAX=100 (recipients per transaction) or MAILMAX=10 (transactions per session), so clients need not guess.",
		RFC:  "RFC 9422"},
	{Key: "DELIVERBY", Title: "Deliver by",
		Text: "You may give a delivery deadline: MAIL FROM:<...> BY=seconds;R or ;N.",
		RFC:  "RFC 2852 §4"},
	{Key: "ETRN", Title: "Remote queue starting",
		Text: "The server accepts ETRN <domain> to flush its queue for a domain.",
		RFC:  "RFC 1985 §3"},
	{Key: "ATRN", Title: "Authenticated TURN",
		Text: "On-Demand Mail Relay: an authenticated client may collect queued mail with ATRN.",
		RFC:  "RFC 2645 §4"},
	{Key: "BURL", Title: "Message by reference",
		Text: "The server can fetch message data from an IMAP URL (BURL command).",
		RFC:  "RFC 4468 §3"},
	{Key: "VRFY", Title: "Verify",
		Text: "The server says it supports VRFY. Most answer 252 anyway.",
		RFC:  "RFC 5321 §4.1.1.6"},
	{Key: "EXPN", Title: "Expand",
		Text: "The server says it supports EXPN for mailing lists.",
		RFC:  "RFC 5321 §4.1.1.7"},
	{Key: "MT-PRIORITY", Title: "Message transfer priority",
		Text: "You may give the message a priority: MAIL FROM:<...> MT-PRIORITY=n.",
		RFC:  "RFC 6710 §3"},
	{Key: "FUTURERELEASE", Title: "Future release",
		Text: "You may ask the server to hold the message until a later time.",
		RFC:  "RFC 4865 §3"},
	{Key: "RRVS", Title: "Require recipient valid since",
		Text: "You may ask that a recipient only get the message if the mailbox has had the same owner since a date.",
		RFC:  "RFC 7293 §3"},
	{Key: "NO-SOLICITING", Title: "No soliciting",
		Text: "The server states it does not want solicitations of the listed kinds.",
		RFC:  "RFC 3865 §3"},
	{Key: "MTRK", Title: "Message tracking",
		Text: "You may ask that the message be trackable along its path.",
		RFC:  "RFC 3885 §3"},
	{Key: "SUBMITTER", Title: "Responsible submitter",
		Text: "You may name the responsible submitter: MAIL FROM:<...> SUBMITTER=...",
		RFC:  "RFC 4405 §4"},
	{Key: "CHECKPOINT", Title: "Checkpoint/restart",
		Text: "An interrupted transfer may resume where it stopped (rare).",
		RFC:  "RFC 1845 §3"},
	{Key: "CONNEG", Title: "Content negotiation",
		Text: "The server can tell clients which content formats the recipients accept (rare).",
		RFC:  "RFC 4141 §3"},
	{Key: "TURN", Title: "TURN (obsolete)",
		Text: "The server says it supports TURN, which RFC 5321 removed as unsafe.",
		RFC:  "RFC 5321 Appendix F.1"},
	{Key: "UTF8SMTP", Title: "UTF8SMTP (experimental)",
		Text: "The experimental forerunner of SMTPUTF8.",
		RFC:  "RFC 5336 §3.1"},
	{Key: "X-RCPTLIMIT", Title: "Recipient limit (Yandex vendor extension)",
		Text: "A private extension (the X- prefix): the number says how many recipients one message may have, e.g. 25.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XCLIENT", Title: "Postfix XCLIENT (vendor extension)",
		Text: "Postfix lets trusted proxies pass on the real client's details. Not for ordinary clients.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XFORWARD", Title: "Postfix XFORWARD (vendor extension)",
		Text: "Postfix lets trusted content filters pass on the original client's details.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "X-EXPS", Title: "Microsoft X-EXPS (vendor extension)",
		Text: "Exchange's private login methods between its own servers.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "X-LINK2STATE", Title: "Microsoft X-LINK2STATE (vendor extension)",
		Text: "Exchange servers exchange routing state with it.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XEXCH50", Title: "Microsoft XEXCH50 (vendor extension)",
		Text: "Exchange servers pass private message properties with it.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "SEND", Title: "SEND (obsolete)",
		Text: "The server says it supports SEND, which delivered to a user's terminal; RFC 2821 deprecated it and RFC 5321 removed it.",
		RFC:  "RFC 5321 Appendix F.6"},
	{Key: "SOML", Title: "SOML (obsolete)",
		Text: "Send Or MaiL: to the terminal if the user is logged in, else to the mailbox. Removed from SMTP with SEND.",
		RFC:  "RFC 5321 Appendix F.6"},
	{Key: "SAML", Title: "SAML (obsolete)",
		Text: "Send And MaiL: to the terminal and the mailbox. Removed from SMTP with SEND.",
		RFC:  "RFC 5321 Appendix F.6"},
	{Key: "CONPERM", Title: "Content conversion permission",
		Text: "You may say whether the message may be converted on the way to a recipient: RCPT TO:<...> CONPERM=... (rare).",
		RFC:  "RFC 4141 §4"},
	{Key: "PRDR", Title: "Per-recipient data responses (draft)",
		Text: "After the final dot the server may answer each recipient separately (accept for one, refuse for another): MAIL FROM:<...> PRDR. Exim offers it; it is an Internet-Draft, not an RFC.",
		RFC:  "draft-hall-prdr-00"},
	{Key: "PIPECONNECT", Title: "Pipelining from the connection (Exim)",
		Text: "A client that has seen this server before may send EHLO and the first commands without waiting for the greeting. Exim offers it; it is an Internet-Draft, not an RFC.",
		RFC:  "draft-harris-early-pipe"},
	{Key: "VERB", Title: "Verbose mode (Sendmail)",
		Text: "Sendmail's VERB makes the server report its delivery steps in the session. Not registered, though RFC 5321 §2.2.2 asks that keywords without X be; clients ignore it.",
		RFC:  "RFC 5321 §2.2.2"},
	{Key: "ONEX", Title: "One transaction (Sendmail)",
		Text: "Sendmail's ONEX tells the server only one message follows in this session. Not registered, though RFC 5321 §2.2.2 asks that keywords without X be; clients ignore it.",
		RFC:  "RFC 5321 §2.2.2"},
	{Key: "XVERP", Title: "Postfix XVERP (vendor extension)",
		Text: "Variable envelope return paths: MAIL FROM:<...> XVERP makes each recipient's bounces come back to an address naming that recipient. Mailing lists use it.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "X-ANONYMOUSTLS", Title: "Microsoft X-ANONYMOUSTLS (vendor extension)",
		Text: "Exchange servers start TLS between themselves without certificates with it.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XRDST", Title: "Microsoft XRDST (vendor extension)",
		Text: "Exchange's redirect to another server of its own. Not for ordinary clients.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XSHADOWREQUEST", Title: "Microsoft XSHADOWREQUEST (vendor extension)",
		Text: "Exchange servers keep a shadow copy of a message on a second server until it is delivered (shadow redundancy).",
		RFC:  "RFC 5321 §4.1.5"},
}

// Capability explains an EHLO keyword, in any case. Keywords beginning with X
// that are not in the table are explained as vendor extensions with ok true;
// other unknown keywords give ok false.
func Capability(keyword string) (Entry, bool) {
	k := strings.ToUpper(keyword)
	if e, ok := find(capabilities, k); ok {
		e.words = "capability." + k
		return e, true
	}
	if IsVendor(k) {
		return Entry{Key: k, Title: "Vendor extension",
			Text:  "Keywords that begin with X are private extensions of one server or vendor, not standards. Clients that do not know them ignore them.",
			RFC:   "RFC 5321 §4.1.5",
			words: "capability.vendor"}, true
	}
	return Entry{Key: k}, false
}

// IsVendor reports whether an EHLO keyword or command is a private (vendor)
// one: it begins with X (RFC 5321 §4.1.5).
func IsVendor(keyword string) bool {
	return len(keyword) > 1 && (keyword[0] == 'X' || keyword[0] == 'x')
}

// capabilityBook holds the sentences DescribeCapability writes around a
// capability's entry. The English says "SIZE: Message size declaration.
// ..."; a title followed by its full stop cannot be joined from parts, so
// other languages say the title first and the keyword after it, with
// "ehlo.keyword": "Deklaracja rozmiaru wiadomości (SIZE). ...".
var capabilityBook = phrase.Table{
	{"ehlo.unknown", "{keyword}: an extension smtplay does not know. Clients ignore keywords they do not understand (RFC 5321 §4.1.1.1)."},
	{"ehlo.keyword", "({keyword})."},
	{"ehlo.rfc", "({rfc})"},
	{"ehlo.size.none", "The server announces no limit here."},
	{"ehlo.size.not-number", "The parameter {param} is not a number."},
	{"ehlo.size.zero", "0 means no fixed limit."},
	{"ehlo.size.limit", "The largest message accepted is {bytes} bytes ({mib} MiB); bigger ones get 552."},
	{"ehlo.auth.none", "No mechanism is listed."},
	{"ehlo.auth.mechanisms", "Mechanisms: {mechanisms}."},
	{"ehlo.limits", "Limits: {limits}."},
	{"ehlo.params", "Parameters: {params}."},
}

// DescribeCapability explains one EHLO line, split into its keyword and
// parameters, with the parameters spelled out: SIZE in bytes and MiB, AUTH
// with its mechanisms, LIMITS with its limits.
func DescribeCapability(keyword string, params []string) phrase.Text {
	k := strings.ToUpper(keyword)
	e, ok := Capability(k)
	if !ok {
		return say("ehlo.unknown", "keyword", k)
	}
	head := k + ": " + e.Title
	rfc := say("ehlo.rfc", "rfc", e.RFC)
	// described is the English, said in other languages by the title, the
	// keyword and then parts.
	described := func(english string, parts ...phrase.Text) phrase.Text {
		return phrase.Worded(english, append([]phrase.Text{e.SayTitle(), say("ehlo.keyword", "keyword", k)}, parts...)...)
	}
	switch k {
	case "SIZE":
		var limit phrase.Text
		if len(params) == 0 {
			limit = say("ehlo.size.none")
		} else if n, err := strconv.ParseUint(params[0], 10, 64); err != nil {
			limit = say("ehlo.size.not-number", "param", strconv.Quote(params[0]))
		} else if n == 0 {
			limit = say("ehlo.size.zero")
		} else {
			limit = say("ehlo.size.limit", "bytes", groupDigits(n), "mib", mib(n))
		}
		return described(head+". "+limit.English+" "+rfc.English, limit, rfc)
	case "AUTH":
		if len(params) == 0 {
			return described(head+", but no mechanism is listed. "+rfc.English, say("ehlo.auth.none"), rfc)
		}
		// Other languages name the mechanisms only: their titles, each in
		// parentheses, cannot be joined from parts.
		var names, keys []string
		for _, m := range params {
			me, _ := Mechanism(m)
			t := me.Key
			if me.Title != "" {
				t += " (" + me.Title + ")"
			}
			names = append(names, t)
			keys = append(keys, me.Key)
		}
		return described(head+". Mechanisms: "+strings.Join(names, "; ")+". "+rfc.English,
			say("ehlo.auth.mechanisms", "mechanisms", strings.Join(keys, ", ")), rfc)
	case "LIMITS":
		if len(params) > 0 {
			limits := strings.Join(params, ", ")
			return described(head+": "+limits+". "+e.Text+" "+rfc.English, say("ehlo.limits", "limits", limits), e.SayText(), rfc)
		}
	}
	english := head + ". " + e.Text
	parts := []phrase.Text{e.SayText()}
	if len(params) > 0 {
		p := say("ehlo.params", "params", strings.Join(params, " "))
		english += " " + p.English
		parts = append(parts, p)
	}
	return described(english+" "+rfc.English, append(parts, rfc)...)
}

// groupDigits writes n with a comma every three digits: 35,882,577.
func groupDigits(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mib formats n bytes in MiB with one decimal: 35882577 → "34.2".
func mib(n uint64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
}
