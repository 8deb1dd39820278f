package explain

import (
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// headerBook holds the sentences about headers that are not entries.
var headerBook = phrase.Table{
	{"envelope-vs-header", "The envelope is what MAIL FROM and RCPT TO tell the server: who gets the message and where bounces go (RFC 5321 §2.3.1). " +
		"The header lines From:, To: and Subject: are part of the message itself, typed after DATA, and are what the reader's mail program shows (RFC 5322 §3.6). " +
		"SMTP does not check that they match: MAIL FROM:<a@x.example> may carry From: b@y.example. That is how forged senders (spoofing) work; SPF, DKIM and DMARC were added later to catch it."},
}

// EnvelopeVsHeader explains the difference between the SMTP envelope and the
// message header, and why it allows spoofing.
func EnvelopeVsHeader() phrase.Text { return say("envelope-vs-header") }

// headers lists the meaning of each header field name (its Key, in canonical
// spelling).
var headers = []Entry{
	{Key: "From", Title: "Author",
		Text: "Who wrote the message, as the reader sees it. Required. It need not match MAIL FROM (the envelope sender).",
		RFC:  "RFC 5322 §3.6.2"},
	{Key: "Sender", Title: "Actual sender",
		Text: "Who sent the message on the author's behalf, when that is someone else (a secretary, a list).",
		RFC:  "RFC 5322 §3.6.2"},
	{Key: "Reply-To", Title: "Where replies go",
		Text: "Addresses a reply should go to instead of From.",
		RFC:  "RFC 5322 §3.6.2"},
	{Key: "To", Title: "Primary recipients",
		Text: "The recipients the reader sees. Delivery uses RCPT TO, not this line: a recipient need not appear here (that is how Bcc works).",
		RFC:  "RFC 5322 §3.6.3"},
	{Key: "Cc", Title: "Carbon copy",
		Text: "Further visible recipients. Each still needs its own RCPT TO to be delivered.",
		RFC:  "RFC 5322 §3.6.3"},
	{Key: "Bcc", Title: "Blind carbon copy",
		Text: "Hidden recipients. Usually left out of the message: just give them a RCPT TO.",
		RFC:  "RFC 5322 §3.6.3"},
	{Key: "Subject", Title: "Subject",
		Text: "The topic line. Non-ASCII text needs RFC 2047 encoding (=?UTF-8?B?...?=) unless the path supports SMTPUTF8.",
		RFC:  "RFC 5322 §3.6.5"},
	{Key: "Date", Title: "Origination date",
		Text: "When the message was written, e.g. Mon, 2 Feb 2009 13:47:22 +0300. Required; submission servers often add it.",
		RFC:  "RFC 5322 §3.6.1"},
	{Key: "Message-ID", Title: "Unique message identifier",
		Text: "A world-unique id like <20240101.1234@host.example>, used for threading and duplicate detection.",
		RFC:  "RFC 5322 §3.6.4"},
	{Key: "In-Reply-To", Title: "Parent message",
		Text: "The Message-ID of the message this one answers.",
		RFC:  "RFC 5322 §3.6.4"},
	{Key: "References", Title: "Thread",
		Text: "Message-IDs of the conversation so far, for threading.",
		RFC:  "RFC 5322 §3.6.4"},
	{Key: "MIME-Version", Title: "MIME version",
		Text: "Always 1.0: says the message uses MIME (Content-Type and friends).",
		RFC:  "RFC 2045 §4"},
	{Key: "Content-Type", Title: "Media type",
		Text: "What the body is and its character set, e.g. text/plain; charset=utf-8. Without it, text/plain in US-ASCII is assumed.",
		RFC:  "RFC 2045 §5"},
	{Key: "Content-Transfer-Encoding", Title: "Transfer encoding",
		Text: "How the body is encoded for transport: 7bit, 8bit (needs 8BITMIME), quoted-printable or base64.",
		RFC:  "RFC 2045 §6"},
	{Key: "Content-Disposition", Title: "Inline or attachment",
		Text: "Whether a part is shown inline or is an attachment, and its file name.",
		RFC:  "RFC 2183 §2"},
	{Key: "Received", Title: "Trace",
		Text: "Added by each server the message passes through, newest on top. Clients do not write it.",
		RFC:  "RFC 5321 §4.4"},
	{Key: "Return-Path", Title: "Envelope sender record",
		Text: "Added at final delivery from MAIL FROM. Clients do not write it.",
		RFC:  "RFC 5321 §4.4"},
}

// Header explains a header field name, in any case ("SUBJECT" finds
// Subject: field names are case-insensitive, RFC 5322 §1.2.2).
func Header(name string) (Entry, bool) {
	for _, e := range headers {
		if strings.EqualFold(e.Key, name) {
			e.words = "header." + e.Key
			return e, true
		}
	}
	return Entry{Key: name}, false
}
