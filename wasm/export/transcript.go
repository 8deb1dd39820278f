package export

import (
	"encoding/base64"
	"strings"

	"github.com/smtplay/smtplay/wasm/session"
)

// TranscriptOptions control FromTranscript.
type TranscriptOptions struct {
	// Reveal returns the unmasked text of a secret entry, as
	// session.Session.Reveal does. Without it the AUTH user name cannot be
	// read (it travels inside the masked base64), and Username stays empty.
	Reveal func(seq int) (string, bool)
	// RevealPassword keeps the password in the Session: set it only when the
	// person asked to reveal it. Otherwise generated code reads PasswordEnv.
	RevealPassword bool
}

// FromTranscript reads what a session did from its transcript: the EHLO
// name, STARTTLS or implicit TLS, the AUTH mechanism and credentials that
// the server accepted (235), and the last mail transaction — the one whose
// final "." was accepted, else the last one begun — with the recipients the
// server accepted and the content lines as they went on the wire. Host,
// Port and Sandbox are not in a transcript: the caller sets them.
func FromTranscript(entries []session.Entry, opt TranscriptOptions) Session {
	var (
		out       Session
		tlsMode   string
		mech      string // the AUTH under way
		user, pw  string
		responses int // AUTH LOGIN answers so far
		from      string
		to, data  []string
		rcpt      = map[int]string{} // the address of each RCPT line, by Seq
		greeted   bool
		delivered *Session
	)
	// reveal returns a line as it was sent when it can, else as shown:
	// "AUTH PLAIN ********" still names its mechanism.
	reveal := func(e session.Entry) string {
		if e.Secret && opt.Reveal != nil {
			if raw, ok := opt.Reveal(e.Seq); ok {
				return raw
			}
		}
		return e.Text.English
	}
	plain := func(b64 string) {
		if raw, err := base64.StdEncoding.DecodeString(b64); err == nil {
			if parts := strings.Split(string(raw), "\x00"); len(parts) == 3 {
				user, pw = parts[1], parts[2]
			}
		}
	}
	for _, e := range entries {
		switch e.Dir {
		case session.DirClient:
			if e.Before == session.PhaseData {
				if e.Text.English != "." {
					data = append(data, e.Text.English)
				}
				continue
			}
			if e.Before == session.PhaseAuth {
				text := reveal(e)
				if mech == AuthPlain {
					plain(text)
				} else if raw, err := base64.StdEncoding.DecodeString(text); err == nil && mech == AuthLogin {
					if responses == 0 {
						user = string(raw)
					} else {
						pw = string(raw)
					}
					responses++
				}
				continue
			}
			verb, rest, _ := strings.Cut(e.Text.English, " ")
			switch strings.ToUpper(verb) {
			case "EHLO", "HELO":
				out.EHLO = strings.TrimSpace(rest)
			case "AUTH":
				fields := strings.Fields(reveal(e))
				mech, user, pw, responses = "", "", "", 0
				if len(fields) > 1 {
					mech = strings.ToUpper(fields[1])
				}
				switch {
				case len(fields) < 3:
				case mech == AuthPlain:
					plain(fields[2])
				case mech == AuthLogin: // the initial response is the user name
					if raw, err := base64.StdEncoding.DecodeString(fields[2]); err == nil {
						user = string(raw)
					}
					responses = 1
				}
			case "MAIL":
				from, to, data = angle(rest), nil, nil
			case "RCPT":
				rcpt[e.Seq] = angle(rest)
			}
		case session.DirServer:
			if !greeted {
				greeted = true
				if e.TLS {
					tlsMode = TLSImplicit
				}
			}
			if !e.Final {
				continue
			}
			// The session matched the reply with its line: Answers names
			// what it answers (as session.Reply.To), AnswersSeq which line.
			ok := e.Code >= 200 && e.Code < 300
			switch {
			case e.Answers == "STARTTLS" && ok:
				tlsMode = TLSStartTLS
			case (e.Answers == "AUTH" || e.Answers == "auth-response") && e.Code == 235:
				out.Auth, out.Username, out.Password = mech, user, pw
			case e.Answers == "RCPT" && ok:
				to = append(to, rcpt[e.AnswersSeq])
			case e.Answers == "end-of-data" && ok:
				delivered = &Session{From: from, To: to, Data: data}
			}
		}
	}
	out.TLS = tlsMode
	if out.TLS == "" {
		out.TLS = TLSNone
	}
	if !opt.RevealPassword {
		out.Password = ""
	}
	if delivered != nil {
		from, to, data = delivered.From, delivered.To, delivered.Data
	}
	out.From, out.To, out.Data = from, to, data
	return out
}

// angle returns the address of "FROM:<a@b> SIZE=10" or "TO:<a@b>": what is
// between the first < and the next >, else the word after the colon.
func angle(arg string) string {
	if i := strings.IndexByte(arg, '<'); i >= 0 {
		if j := strings.IndexByte(arg[i:], '>'); j > 0 {
			return arg[i+1 : i+j]
		}
	}
	_, after, _ := strings.Cut(arg, ":")
	f := strings.Fields(after)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
