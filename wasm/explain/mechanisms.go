package explain

import "strings"

// mechanisms lists what each SASL mechanism (its Key, the name listed after
// AUTH in the EHLO reply) does and how safe it is.
var mechanisms = []Entry{
	{Key: "PLAIN", Title: "user name and password in one line",
		Text: "AUTH PLAIN sends base64 of \\0user\\0password in one line. Base64 is not encryption: use it only over TLS.",
		RFC:  "RFC 4616 §2"},
	{Key: "LOGIN", Title: "user name and password on two prompts",
		Text: "AUTH LOGIN: the server asks 334 VXNlcm5hbWU6 (\"Username:\") and 334 UGFzc3dvcmQ6 (\"Password:\"); you answer each in base64. Obsolete and plaintext: use it only over TLS.",
		RFC:  "draft-murchison-sasl-login-00"},
	{Key: "CRAM-MD5", Title: "challenge-response with MD5",
		Text: "The server sends a challenge; you answer with your user name and an HMAC-MD5 of it keyed with the password, so the password itself is not sent. Deprecated: the server must store the password in the clear.",
		RFC:  "RFC 2195 §2"},
	{Key: "DIGEST-MD5", Title: "digest challenge-response (historic)",
		Text: "An MD5 digest mechanism declared historic because of its weaknesses.",
		RFC:  "RFC 6331 §1"},
	{Key: "XOAUTH2", Title: "Google/Microsoft OAuth 2.0 (vendor)",
		Text: "Sends base64 of user=...^Aauth=Bearer <token>^A^A: an OAuth 2.0 access token instead of a password. Vendor form that predates OAUTHBEARER.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "XOAUTH", Title: "Google OAuth 1.0 (vendor, retired)",
		Text: "Google's earlier OAuth 1.0 login, long retired; Gmail still listed it in 2012.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "OAUTHBEARER", Title: "OAuth 2.0 bearer token",
		Text: "The standard way to log in with an OAuth 2.0 access token instead of a password: base64 of n,a=user,^Ahost=...^Aport=...^Aauth=Bearer <token>^A^A.",
		RFC:  "RFC 7628 §3"},
	{Key: "GSSAPI", Title: "Kerberos",
		Text: "Log in with a Kerberos ticket (single sign-on in company networks).",
		RFC:  "RFC 4752 §3"},
	{Key: "NTLM", Title: "Microsoft NTLM (vendor)",
		Text: "Windows domain login used by Exchange. Not a standard.",
		RFC:  "RFC 5321 §4.1.5"},
	{Key: "EXTERNAL", Title: "identity from outside SASL",
		Text: "Log in with an identity the connection already proves, usually a TLS client certificate.",
		RFC:  "RFC 4422 Appendix A"},
	{Key: "ANONYMOUS", Title: "no identity",
		Text: "Log in without an account; the optional trace text is often an email address.",
		RFC:  "RFC 4505 §2"},
	{Key: "SCRAM-SHA-1", Title: "salted challenge-response (SHA-1)",
		Text: "Proves you know the password without sending it, and proves the server knows it too.",
		RFC:  "RFC 5802 §3"},
	{Key: "SCRAM-SHA-256", Title: "salted challenge-response (SHA-256)",
		Text: "SCRAM with SHA-256: proves you know the password without sending it.",
		RFC:  "RFC 7677 §3"},
	{Key: "SCRAM-SHA-1-PLUS", Title: "SCRAM-SHA-1 with channel binding",
		Text: "SCRAM bound to the TLS connection, so a man in the middle cannot relay it.",
		RFC:  "RFC 5802 §6"},
	{Key: "SCRAM-SHA-256-PLUS", Title: "SCRAM-SHA-256 with channel binding",
		Text: "SCRAM with SHA-256, bound to the TLS connection.",
		RFC:  "RFC 7677 §3"},
}

// Mechanism explains a SASL mechanism name, in any case. Unknown names give
// ok false (names beginning with X are explained as vendor mechanisms).
func Mechanism(name string) (Entry, bool) {
	n := strings.ToUpper(name)
	if e, ok := find(mechanisms, n); ok {
		e.words = "mechanism." + n
		return e, true
	}
	if IsVendor(n) {
		return Entry{Key: n, Title: "vendor mechanism",
			Text: "A private SASL mechanism of one vendor.", RFC: "RFC 4422 §3.1", words: "mechanism.vendor"}, true
	}
	return Entry{Key: n}, false
}
