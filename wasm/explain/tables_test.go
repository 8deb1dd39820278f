package explain

import (
	"strconv"
	"testing"
)

// oldKeys are the keys of each table as it was when the tables were maps,
// built by init at every start; each must still be found by its lookup.
var oldKeys = map[string][]string{
	"commands": {
		"HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY", "EXPN", "HELP", "NOOP", "QUIT", "AUTH",
		"STARTTLS", "BDAT", "ETRN", "ATRN", "BURL", "TURN", "SEND", "SOML", "SAML", "LHLO", "XCLIENT",
		"XFORWARD",
	},
	"capabilities": {
		"SIZE", "8BITMIME", "PIPELINING", "CHUNKING", "BINARYMIME", "DSN", "SMTPUTF8",
		"ENHANCEDSTATUSCODES", "STARTTLS", "AUTH", "HELP", "REQUIRETLS", "LIMITS", "DELIVERBY", "ETRN",
		"ATRN", "BURL", "VRFY", "EXPN", "MT-PRIORITY", "FUTURERELEASE", "RRVS", "NO-SOLICITING", "MTRK",
		"SUBMITTER", "CHECKPOINT", "CONNEG", "TURN", "UTF8SMTP", "X-RCPTLIMIT", "XCLIENT", "XFORWARD",
		"X-EXPS", "X-LINK2STATE", "XEXCH50", "SEND", "SOML", "SAML", "CONPERM", "PRDR", "PIPECONNECT",
		"VERB", "ONEX", "XVERP", "X-ANONYMOUSTLS", "XRDST", "XSHADOWREQUEST",
	},
	"mechanisms": {
		"PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "XOAUTH2", "XOAUTH", "OAUTHBEARER", "GSSAPI", "NTLM",
		"EXTERNAL", "ANONYMOUS", "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS",
		"SCRAM-SHA-256-PLUS",
	},
	"headers": {
		"From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To",
		"References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
		"Received", "Return-Path",
	},
	"replies": {
		"211", "214", "220", "221", "235", "250", "251", "252", "253", "334", "354", "421", "432", "450",
		"451", "452", "454", "455", "458", "459", "500", "501", "502", "503", "504", "521", "530", "534",
		"535", "538", "550", "551", "552", "553", "554", "555", "556",
	},
	"enhanced": {
		"0.0", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "2.0",
		"2.1", "2.2", "2.3", "2.4", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "4.0", "4.1", "4.2",
		"4.3", "4.4", "4.5", "4.6", "4.7", "5.0", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "6.0", "6.1",
		"6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "7.0", "7.1", "7.2", "7.3",
		"7.4", "7.5", "7.6", "7.7", "7.8", "7.9", "7.10", "7.11", "7.12", "7.13", "7.14", "7.15", "7.16",
		"7.17", "7.18", "7.19", "7.20", "7.21", "7.22", "7.23", "7.24", "7.25", "7.26", "7.27", "7.28",
		"7.29", "7.30",
	},
}

// lookups finds a table's key as the package's exported functions do, and
// the table itself.
var lookups = map[string]struct {
	table []Entry
	find  func(key string) (Entry, bool)
}{
	"commands":     {commands, Command},
	"capabilities": {capabilities, Capability},
	"mechanisms":   {mechanisms, Mechanism},
	"headers":      {headers, Header},
	"replies": {replies, func(key string) (Entry, bool) {
		code, _ := strconv.Atoi(key)
		return Reply(code)
	}},
	"enhanced": {enhanced, func(key string) (Entry, bool) { return Enhanced("5." + key) }},
}

func TestTablesKeepEveryKey(t *testing.T) {
	for name, keys := range oldKeys {
		l := lookups[name]
		for _, key := range keys {
			e, ok := l.find(key)
			row, _ := find(l.table, key)
			if !ok || e.Title == "" || e.Text == "" || row.Key != key {
				t.Errorf("%s: %q is no longer found: %+v, %v", name, key, e, ok)
			}
		}
	}
}

func TestTablesHaveUniqueKeys(t *testing.T) {
	for name, l := range lookups {
		seen := map[string]bool{}
		for _, row := range l.table {
			if row.Key == "" || seen[row.Key] {
				t.Errorf("%s: key %q is empty or listed twice", name, row.Key)
			}
			seen[row.Key] = true
			if e, ok := l.find(row.Key); !ok || e.Title != row.Title {
				t.Errorf("%s: %q finds %+v, %v", name, row.Key, e, ok)
			}
		}
	}
}
