package fidelity

import (
	"strings"
	"testing"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wire"
)

// Dir says who produced a line of a record.
type Dir byte

// The directions of a record's lines.
const (
	Client Dir = 'C' // typed by the person
	Server Dir = 'S' // a server line, with its line ending
	TLS    Dir = 'T' // the proxy reported TLS up
	Closed Dir = 'X' // the proxy reported the end, Text is who closed
	Opened Dir = 'O' // the proxy reported the session open
)

// Line is one line of a recorded conversation.
type Line struct {
	Dir    Dir
	Text   string // as typed (Client), as received with CRLF (Server)
	Wire   string // Client: the bytes sent, dot-stuffed, with CRLF
	TLS    *wire.TLS
	Opened *wire.Opened
}

// record opens target through smtplay's tunnel at hs and types script,
// line by line, as a person at the page would: after a command it waits
// for the reply; after 354 it types the message without waiting until the
// lone dot. A 220 to STARTTLS is followed by the proxy's tls message; 221
// by the server closing. It returns everything sent and received, in order.
func record(t *testing.T, wsURL, target string, script []string) []Line {
	t.Helper()
	c := tunneltest.Dial(t, wsURL)
	opened := c.Open(target)
	rec := []Line{{Dir: Opened, Opened: &opened}}
	reply := func() string {
		r := c.Reply()
		for _, l := range strings.SplitAfter(r, "\n") {
			if l != "" {
				rec = append(rec, Line{Dir: Server, Text: l})
			}
		}
		return r
	}
	reply() // the greeting
	data := false
	for _, typed := range script {
		sent := typed
		if data && strings.HasPrefix(typed, ".") && typed != "." {
			sent = "." + typed // RFC 5321 §4.5.2
		}
		sent += "\r\n"
		rec = append(rec, Line{Dir: Client, Text: typed, Wire: sent})
		c.Send(sent)
		if data && typed != "." {
			continue
		}
		data = false
		r := reply()
		verb := strings.ToUpper(strings.Fields(typed + " x")[0])
		switch {
		case verb == "DATA" && strings.HasPrefix(r, "354"):
			data = true
		case verb == "STARTTLS" && strings.HasPrefix(r, "220"):
			var info wire.TLS
			c.Expect(wire.TypeTLS, &info)
			rec = append(rec, Line{Dir: TLS, TLS: &info})
		case verb == "QUIT":
			cl := c.Closed(wire.ByServer)
			rec = append(rec, Line{Dir: Closed, Text: cl.By})
		}
	}
	if t.Failed() {
		return rec
	}
	for _, l := range rec {
		switch l.Dir {
		case Client:
			t.Logf("C: %s", l.Text)
		case Server:
			t.Logf("S: %s", strings.TrimRight(l.Text, "\r\n"))
		case TLS:
			t.Logf("== TLS %s %s verified=%v", l.TLS.Version, l.TLS.Cipher, l.TLS.Verified)
		}
	}
	return rec
}

// startSmtplay serves smtplay in lab mode with one real server allowed,
// addr (loopback), and returns the tunnel's URL and the target's name as
// GET /api/targets lists it.
func startSmtplay(t *testing.T, addr string, insecure bool) (wsURL, target string) {
	t.Helper()
	entry := addr
	if insecure {
		entry += ",insecure" // the test CA is not in the system roots
	}
	_, hs := apptest.Start(t, "-allow-private", "-allow", entry)
	var targets []struct{ Name, Host string }
	apptest.GetJSON(t, hs.URL+"/api/targets", &targets)
	for _, tg := range targets {
		if tg.Name == addr {
			return apptest.WSURL(hs), tg.Name
		}
	}
	t.Fatalf("target %s not in /api/targets: %+v", addr, targets)
	return "", ""
}
