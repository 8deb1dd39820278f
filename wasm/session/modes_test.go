package session

import "testing"

// An error reply to a command that changes how the next lines are read
// (BDAT, DATA, AUTH, STARTTLS) leaves the engine reading commands, as the
// server does: the next line is a command, not chunk data, message text, an
// AUTH answer or a wait.
func TestErrorRepliesRestoreCommandMode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		caps   []string
		before []string
		line   string
		reply  string
	}{
		{"BDAT unknown", nil, []string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>"}, "BDAT 10 LAST", "500 5.5.2 Unrecognized command"},
		{"BDAT out of sequence", []string{"CHUNKING"}, nil, "BDAT 10 LAST", "503 5.5.1 Bad sequence"},
		{"DATA refused", nil, []string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>"}, "DATA", "554 5.5.1 No valid recipients"},
		{"AUTH refused", []string{"AUTH PLAIN LOGIN"}, nil, "AUTH LOGIN", "504 5.5.4 Unrecognized authentication type"},
		{"STARTTLS refused", []string{"STARTTLS"}, nil, "STARTTLS", "454 4.7.0 TLS not available"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ready(t, true, tc.caps...)
			for _, l := range tc.before {
				send(t, s, l)
				recv(s, "250 ok")
			}
			send(t, s, tc.line)
			recv(s, tc.reply)
			if m := s.Check("QUIT").Mode; m != ModeCommand {
				t.Fatalf("after %q answered %q the next line is read in mode %q", tc.line, tc.reply, m)
			}
		})
	}
}
