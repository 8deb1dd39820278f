package sandbox_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/smtplay/smtplay/proxy/sandbox"
)

// A client sends a message to the sandbox over an in-process connection, and
// the page reads it back through the mailbox API.
func Example() {
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Shutdown(context.Background())

	conn, token, err := sb.Connect("sandbox", "", func(d sandbox.Delivery) {
		fmt.Printf("delivered %q, %d bytes, to %v\n", d.Subject, d.Size, d.To)
	})
	if err != nil {
		log.Fatal(err)
	}
	c, err := smtp.NewClientStartTLS(conn, &tls.Config{RootCAs: sb.RootCAs(), ServerName: "sandbox"})
	if err != nil {
		log.Fatal(err)
	}
	user, pass := sb.Demo()
	if err := c.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
		log.Fatal(err)
	}
	msg := "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHello!\r\n"
	if err := c.SendMail("student@example.org", []string{"friend@example.net"}, strings.NewReader(msg)); err != nil {
		log.Fatal(err)
	}
	c.Quit()

	mux := http.NewServeMux()
	mux.Handle("/api/sandbox/", sb.Handler())
	web := httptest.NewServer(mux)
	defer web.Close()
	resp, err := http.Get(web.URL + "/api/sandbox/" + token + "/messages")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Messages []struct {
			From    string `json:"from"`
			Subject string `json:"subject"`
		} `json:"messages"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	fmt.Println(list.Messages[0].From, list.Messages[0].Subject)
	// Output:
	// delivered "Grüße", 48 bytes, to [friend@example.net]
	// student@example.org Grüße
}

// Practice faults are chosen by the recipient's local part.
func Example_faults() {
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Shutdown(context.Background())
	conn, _, err := sb.Connect("sandbox", "", nil)
	if err != nil {
		log.Fatal(err)
	}
	c := smtp.NewClient(conn)
	defer c.Close()
	c.Mail("student@example.org", nil)
	for _, rcpt := range []string{"busy@example.net", "unknown@example.net", "moved@example.net"} {
		fmt.Println(c.Rcpt(rcpt, nil))
	}
	// Output:
	// SMTP error 450: Mailbox busy: try again later (practice fault busy@)
	// SMTP error 550: No such user here: check the address (practice fault unknown@)
	// SMTP error 551: User not local; please try <moved@new-home.example> (practice fault moved@)
}

// ServeTCP lets real clients, such as swaks, deliver into a mailbox the page
// can open.
func ExampleSandbox_ServeTCP() {
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Shutdown(context.Background())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	token, err := sb.ServeTCP(ctx, l, "sandbox")
	if err != nil {
		log.Fatal(err)
	}
	c, err := smtp.Dial(l.Addr().String())
	if err != nil {
		log.Fatal(err)
	}
	err = c.SendMail("script@example.org", []string{"student@example.org"},
		strings.NewReader("Subject: from a script\r\n\r\nhi\r\n"))
	c.Quit()
	fmt.Println(err, len(token) > 0)
	// Output: <nil> true
}
