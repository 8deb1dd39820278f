package session_test

import (
	"fmt"
	"time"

	"github.com/smtplay/smtplay/wasm/session"
)

// A whole conversation with the sandbox: what the page does with what the
// person types and what the tunnel delivers.
func Example() {
	s := session.New(session.Options{Sandbox: true})

	s.Receive([]byte("220 sandbox.smtplay ESMTP ready\r\n"))
	fmt.Println(s.State().Phase)

	sub, _ := s.Submit("EHLO localhost")
	fmt.Printf("send %q\n", sub.Send)
	for _, l := range []string{"250-sandbox.smtplay", "250-SIZE 10485760", "250 AUTH PLAIN LOGIN"} {
		for _, ev := range s.Receive([]byte(l + "\r\n")) {
			if ev.Kind == session.EventCapabilities {
				for _, c := range ev.Capabilities {
					fmt.Println(c.Explanation.English)
				}
			}
		}
	}

	// A prediction before sending: RCPT before MAIL.
	for _, w := range s.Check("RCPT TO:<friend@example.org>").Warnings {
		fmt.Printf("%s: expect %s\n", w.Code, w.Expect)
	}

	// AUTH PLAIN carries the password: the line is secret.
	sub, _ = s.Submit("AUTH PLAIN AGFsaWNlAHNlY3JldA==")
	fmt.Println(sub.Shown, sub.Secret)
	for _, ev := range s.Receive([]byte("535 5.7.8 Authentication credentials invalid\r\n")) {
		if ev.Kind == session.EventReply {
			fmt.Println(ev.Reply.Code, ev.Reply.EnhancedTitle)
		}
	}
	// Output:
	// greeted
	// send "EHLO localhost\r\n"
	// SIZE: Message size declaration. The largest message accepted is 10,485,760 bytes (10.0 MiB); bigger ones get 552. (RFC 1870 §4)
	// AUTH: SMTP authentication. Mechanisms: PLAIN (user name and password in one line); LOGIN (user name and password on two prompts). (RFC 4954 §3)
	// rcpt-before-mail: expect 503
	// AUTH PLAIN ******** true
	// 535 Authentication credentials invalid
}

// Message content after DATA: dot-stuffing is applied and shown.
func ExampleSession_Submit_dotStuffing() {
	s := session.New(session.Options{Sandbox: true})
	s.Receive([]byte("220 ready\r\n"))
	for _, l := range []string{"EHLO localhost", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"} {
		s.Submit(l)
	}
	s.Receive([]byte("250 hi\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n"))
	for _, l := range []string{"Subject: dots", "", ".hidden line", "."} {
		a, _ := s.Submit(l)
		fmt.Printf("%-14q %-16q %s\n", l, a.Send, a.Title.English)
	}
	// Output:
	// "Subject: dots" "Subject: dots\r\n" Subject: Subject
	// ""             "\r\n"           End of the header
	// ".hidden line" "..hidden line\r\n" Body text
	// "."            ".\r\n"          End of message
}

// Credentials in the clear to a real server need a confirmation.
func ExampleSession_SubmitConfirmed() {
	s := session.New(session.Options{Sandbox: false})
	s.Receive([]byte("220 mail.example.org ESMTP\r\n"))
	s.Submit("EHLO localhost")
	s.Receive([]byte("250-mail.example.org\r\n250 AUTH LOGIN\r\n"))

	a := s.Check("AUTH LOGIN")
	fmt.Println(a.NeedsConfirm)
	if _, err := s.Submit("AUTH LOGIN"); err == session.ErrNeedsConfirm {
		fmt.Println("asked to confirm")
	}
	_, err := s.SubmitConfirmed("AUTH LOGIN")
	fmt.Println(err)
	for _, ev := range s.Receive([]byte("334 VXNlcm5hbWU6\r\n")) {
		if ev.Kind == session.EventPrompt {
			fmt.Println(ev.Prompt.Decoded)
		}
	}
	// Output:
	// true
	// asked to confirm
	// <nil>
	// Username:
}

// The transcript exported in swaks' marker style, with timings and the
// secret masked.
func ExampleSession_Export() {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := t0
	s := session.New(session.Options{Sandbox: true, Now: func() time.Time { clock = clock.Add(25 * time.Millisecond); return clock }})
	s.Receive([]byte("220 sandbox ready\r\n"))
	s.Submit("EHLO localhost")
	s.Receive([]byte("250-sandbox\r\n250 AUTH LOGIN\r\n"))
	s.Submit("AUTH LOGIN")
	s.Receive([]byte("334 VXNlcm5hbWU6\r\n"))
	s.Submit("YWxpY2U=")
	fmt.Print(s.Export(session.ExportOptions{}))
	// Output:
	// === smtplay session with the smtplay sandbox, started 2024-01-02T03:04:05Z
	// <-  220 sandbox ready
	// === reply after 0.025s
	//  -> EHLO localhost
	// <-  250-sandbox
	// <-  250 AUTH LOGIN
	// === reply after 0.050s
	//  -> AUTH LOGIN
	// <-  334 VXNlcm5hbWU6
	// === reply after 0.025s
	//  -> ********
}
