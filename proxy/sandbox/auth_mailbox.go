package sandbox

import "strings"

// mailboxSeparator joins the practice user name and a mailbox token in a
// login that picks the mailbox: "student+TOKEN" with the practice
// password. The page's exported code logs in so, with its own session's
// token, and its mail arrives in that person's inbox on the page. Tokens
// are 128 random bits (newToken): a login cannot guess one.
const mailboxSeparator = "+"

// splitLogin parts a user name into the name checked against the practice
// login and the mailbox token after mailboxSeparator ("" when none).
func splitLogin(username string) (name, token string) {
	name, token, _ = strings.Cut(username, mailboxSeparator)
	return name, token
}

// errNoSuchMailbox answers a "+TOKEN" login whose mailbox is unknown.
var errNoSuchMailbox = smtpError(535, 5, 7, 8,
	"Authentication credentials invalid: the mailbox after \"+\" in the user name does not exist (it expires after an hour unused): export the code again from the page")

// loginMailbox is where mail goes after a login as username, which
// checkLogin accepted: for "student+TOKEN" on a TCP connection, TOKEN's
// mailbox, attached (the caller detaches it); nil for the connection's
// own. The page's connections keep their session's mailbox, which the page
// shows, but still refuse a TOKEN that names no mailbox.
func (s *session) loginMailbox(username string) (*mailbox, error) {
	_, token := splitLogin(username)
	if token == "" {
		return nil, nil
	}
	if _, ok := s.sb.store.list(token); !ok {
		return nil, errNoSuchMailbox
	}
	if !s.c.byLogin {
		return nil, nil
	}
	b := s.sb.store.attach(token)
	if b.token != token { // it expired since list: attach made a new one
		s.sb.store.detach(b)
		return nil, errNoSuchMailbox
	}
	return b, nil
}
