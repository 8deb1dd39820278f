package console

import (
	"errors"
	"strconv"

	"github.com/smtplay/smtplay/wasm/export"
	"github.com/smtplay/smtplay/wasm/phrase"
	"github.com/smtplay/smtplay/wasm/session"
	"github.com/smtplay/smtplay/wire"
)

// codeBook says what to change in exported code before running it, and
// why a session cannot be exported.
var codeBook = phrase.Table{
	{"export.no-listener", "This playground does not take mail from programs: the code runs once smtplay is started with ./bin/smtplay -sandbox-smtp 127.0.0.1:2525, the address it uses."},
	{"export.in-page", "The practice server on this page runs in your browser, where programs cannot reach it: this code sends to a smtplay sandbox listener at {address} instead. Start one first with ./bin/smtplay -sandbox-smtp {address} (make bin/smtplay builds it from smtplay's source); its mail goes to that smtplay's shared mailbox, whose page address it prints when it starts, not to the inbox here."},
	{"export.inbox", "Mail this code sends arrives in your inbox on this page: the user name {username} is the public practice login with your mailbox's key after the +."},
	{"export.login-added", "The session did not log in; the code does, with the practice login, so that its mail reaches your inbox here."},
	{"export.login-shared", "The session did not log in; the code does, with the practice login, which the listener may ask for."},
	{"export.login-user", "The line after AUTH LOGIN is {encoded}, the base64 of {placeholder}: put the base64 of your user name in its place (printf '%s' 'you@example.org' | openssl base64 -A)."},
	{"export.nothing", "there is no session to export yet: connect, and send a message"},
	{"export.unknown-format", "there is no such format: pick swaks, PHP, Python, Go or OpenSSL"},
	{"export.no-message", "there is no message to repeat yet: code needs a MAIL FROM and a RCPT TO that the server accepted"},
	{"export.no-tls", "openssl s_client steps need TLS, and this session used none: use STARTTLS, or pick another format"},
	{"export.other-mechanism", "code logs in with AUTH PLAIN or LOGIN only, and this session used another mechanism"},
}

// CodeOptions are what the page knows besides the session: whether to
// reveal credentials, and for the sandbox where programs reach it and its
// practice login (the target's sandbox_smtp and demo in GET /api/targets).
type CodeOptions struct {
	// Reveal puts a real server's credentials in the code.
	Reveal bool `json:"reveal"`
	// Listener is the sandbox's TCP listener; nil when none serves.
	Listener *Listener `json:"listener"`
	// Demo is the sandbox's practice login, public by design.
	Demo *Login `json:"demo"`
	// InPage says the sandbox runs in the page (a Web Worker), which no
	// program can reach: code for it goes to a smtplay sandbox listener at
	// the README's address, with the plain practice login, whose mail
	// lands in that listener's shared mailbox (a mailbox token of the
	// page's sandbox names nothing there).
	InPage bool `json:"in_page"`
	// Comment, with InPage, is said at the top of the code as a comment:
	// the page's words, in its language, for what the note says.
	Comment string `json:"comment"`
}

// Listener is where a program reaches the sandbox on TCP.
type Listener struct {
	Host string `json:"host"`
	Port int    `json:"port"`
}

// Login is a user name and password.
type Login struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Code is a session written as code that repeats it elsewhere.
type Code struct {
	// Code is the program, command line or steps.
	Code string `json:"code"`
	// Filename is the name to download it as.
	Filename string `json:"filename"`
	// Note says what to change before running it, for people.
	Note phrase.Text `json:"note,omitzero"`
	// Credentials says what the code holds of the login: CredentialsNone
	// (the session did not log in), CredentialsLeftOut,
	// CredentialsIncluded or CredentialsPractice.
	Credentials string `json:"credentials"`
}

// What Code holds of the login.
const (
	CredentialsNone     = "none"
	CredentialsLeftOut  = "left-out"
	CredentialsIncluded = "included"
	// CredentialsPractice: the sandbox's public practice login, its user
	// name carrying the session's mailbox token (mailboxSeparator).
	CredentialsPractice = "practice"
	// CredentialsPracticeShared: the plain practice login, no mailbox token
	// (code from the in-page sandbox, for a listener's shared mailbox).
	CredentialsPracticeShared = "practice-shared"
)

// mailboxSeparator joins the practice user name and the session's mailbox
// token: the sandbox's TCP listener delivers a "student+TOKEN" login's
// mail into mailbox TOKEN (docs/PROTOCOL.md).
const mailboxSeparator = "+"

// UsernamePlaceholder stands for the AUTH user name in code made without
// secrets; the password is then read from export.PasswordEnv.
const UsernamePlaceholder = "your-user-name"

// The sandbox is reached in-process by the page, and by real clients only
// where the playground serves it on TCP (smtplay -sandbox-smtp). Without a
// listener, code for it uses the address the README gives as the example
// (codeBook's "export.no-listener" names it).
const (
	sandboxHost = "127.0.0.1"
	sandboxPort = 2525
)

// filenames name each format's download.
var filenames = map[export.Format]string{
	export.FormatSwaks:   "smtplay-session.sh",
	export.FormatPHP:     "smtplay-session.php",
	export.FormatPython:  "smtplay-session.py",
	export.FormatGo:      "smtplay-session.go",
	export.FormatOpenSSL: "smtplay-session-openssl.txt",
}

// Errors of ExportCode, for people.
var (
	ErrNothingToExport = say("export.nothing").Err()
	ErrUnknownFormat   = say("export.unknown-format").Err()
	ErrNoMessage       = say("export.no-message").Err()
	ErrNoTLS           = say("export.no-tls").Err()
	ErrMechanism       = say("export.other-mechanism").Err()
)

// ExportCode writes the current (or last) session as code in format f.
// Without opt.Reveal the code holds no credential of a real server: the
// user name is UsernamePlaceholder and the password is read from
// export.PasswordEnv. Code for the sandbox logs in with its practice login.
func (c *Console) ExportCode(f export.Format, opt CodeOptions) (Code, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess == nil || c.opened == nil {
		return Code{}, ErrNothingToExport
	}
	var secrets func(int) (string, bool)
	if opt.Reveal {
		secrets = c.sess.Reveal
	}
	return CodeOf(f, c.sess.Transcript(), *c.opened, secrets, opt)
}

// CodeOf writes the session of a transcript as code in format f, for the
// server the proxy opened. reveal returns a secret line as it was sent
// (session.Session.Reveal); nil leaves every credential out. Of opt, only
// Listener and Demo are read: for the sandbox.
func CodeOf(f export.Format, entries []session.Entry, opened wire.Opened, reveal func(int) (string, bool), opt CodeOptions) (Code, error) {
	name, ok := filenames[f]
	if !ok {
		return Code{}, ErrUnknownFormat
	}
	s := export.FromTranscript(entries, export.TranscriptOptions{Reveal: reveal, RevealPassword: reveal != nil})
	out := Code{Filename: name, Credentials: CredentialsNone}
	var notes []phrase.Text
	s.Host, s.Port = opened.Host, opened.Port
	if opened.Remote == "sandbox" {
		notes = toSandbox(&s, &out, opened, opt)
	}
	if s.Auth != export.AuthNone && out.Credentials != CredentialsPractice && out.Credentials != CredentialsPracticeShared {
		out.Credentials = CredentialsIncluded
		if reveal == nil {
			s.Username, s.Password = UsernamePlaceholder, ""
			out.Credentials = CredentialsLeftOut
		}
	}
	if out.Credentials == CredentialsLeftOut && f == export.FormatOpenSSL && s.Auth == export.AuthLogin {
		notes = append(notes, say("export.login-user", "encoded", EncodeBase64(UsernamePlaceholder), "placeholder", UsernamePlaceholder))
	}
	out.Note = phrase.Join(notes...)
	code, err := export.Generate(f, s)
	switch {
	case errors.Is(err, export.ErrNoRecipient):
		return Code{}, ErrNoMessage
	case errors.Is(err, export.ErrNeedsTLS):
		return Code{}, ErrNoTLS
	case errors.Is(err, export.ErrMechanism):
		return Code{}, ErrMechanism
	case err != nil:
		return Code{}, err
	}
	out.Code = code
	return out, nil
}

// toSandbox points s at the sandbox's TCP listener (or, with none, at the
// README's example address) and logs in with the practice login, its user
// name carrying the session's mailbox token: the mail the code sends
// arrives in the inbox the page shows. The practice login is public, so it
// goes in whatever the person chose to reveal. It returns the notes to show.
func toSandbox(s *export.Session, out *Code, opened wire.Opened, opt CodeOptions) []phrase.Text {
	var notes []phrase.Text
	s.Host, s.Port, s.Sandbox = sandboxHost, sandboxPort, true
	if opt.InPage {
		return inPage(s, out, opt)
	}
	if l := opt.Listener; l != nil && l.Host != "" && l.Port > 0 {
		s.Host, s.Port = l.Host, l.Port
	} else {
		notes = append(notes, say("export.no-listener"))
	}
	if opt.Demo == nil || opt.Demo.Username == "" {
		return notes // no practice login known: credentials as for a real server
	}
	if s.Auth == export.AuthNone {
		s.Auth = export.AuthPlain
		notes = append(notes, say("export.login-added"))
	}
	s.Username, s.Password = opt.Demo.Username, opt.Demo.Password
	if opened.Mailbox != "" {
		s.Username += mailboxSeparator + opened.Mailbox
	}
	out.Credentials = CredentialsPractice
	return append(notes, say("export.inbox", "username", s.Username))
}

// inPage points s, a session on the in-page sandbox, at a smtplay sandbox
// listener on the README's address with the plain practice login, and says
// so in a note and at the top of the code (opt.Comment). It returns the notes.
func inPage(s *export.Session, out *Code, opt CodeOptions) []phrase.Text {
	s.Comment = opt.Comment
	notes := []phrase.Text{say("export.in-page", "address", s.Host+":"+strconv.Itoa(s.Port))}
	if opt.Demo == nil || opt.Demo.Username == "" {
		return notes // no practice login known: credentials as for a real server
	}
	if s.Auth == export.AuthNone {
		s.Auth = export.AuthPlain
		notes = append(notes, say("export.login-shared"))
	}
	s.Username, s.Password = opt.Demo.Username, opt.Demo.Password
	out.Credentials = CredentialsPracticeShared
	return notes
}
