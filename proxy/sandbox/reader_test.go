package sandbox

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"testing"
)

// textCases are messages sent in one write, so that many lines wait
// together in the sandbox's line reader and go to go-smtp in batches: what
// is stored must be what was sent, unstuffed, byte for byte.
var textCases = []struct {
	name, sent, stored string
}{
	{"many short lines", strings.Repeat("0123456789\r\n", 5000), strings.Repeat("0123456789\r\n", 5000)},
	{"dot-stuffed lines", "Subject: dots\r\n\r\n..\r\n...x\r\n. \r\n.\t\r\nx.\r\n", "Subject: dots\r\n\r\n.\r\n..x\r\n \r\n\t\r\nx.\r\n"},
	{"8-bit and empty lines", "Subject: 8\r\n\r\n\xff\xfe\x80 \xc3\xa9t\xc3\xa9\r\n\r\n\r\n\x7f\r\n", "Subject: 8\r\n\r\n\xff\xfe\x80 \xc3\xa9t\xc3\xa9\r\n\r\n\r\n\x7f\r\n"},
	{
		"lines at the limits",
		strings.Repeat(strings.Repeat("a", 998)+"\r\n."+strings.Repeat("b", 998)+"\r\n", 40),
		strings.Repeat(strings.Repeat("a", 998)+"\r\n"+strings.Repeat("b", 998)+"\r\n", 40),
	},
}

func TestTextIsStoredExactly(t *testing.T) {
	for _, way := range []string{"pipe", "tcp"} {
		t.Run(way, func(t *testing.T) {
			s := newTestSandbox(t, Config{})
			c, token := dialWay(t, s, way)
			c.do("EHLO client.example", "250 ")
			for i, tt := range textCases {
				// The final dot and the next command arrive with the text;
				// the command is one the sandbox answers itself, in command
				// mode only. SIZE, when declared, is right, or too small.
				mail := "MAIL FROM:<a@example.org>"
				switch i % 3 {
				case 1:
					mail += fmt.Sprintf(" SIZE=%d", len(tt.sent))
				case 2:
					mail += fmt.Sprintf(" SIZE=%d", len(tt.sent)/4+1)
				}
				c.do(mail, "250 ")
				c.do("RCPT TO:<b@example.org>", "250 ")
				c.do("DATA", "354 ")
				c.send(tt.sent + ".\r\nHELP nonesuch\r\n")
				c.expect("250 2.0.0 Ok: queued as ")
				c.expect("504 5.5.4 No help on nonesuch")
				l := list(t, s, token)
				_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+l.Messages[0].ID+"/raw")
				if !bytes.HasSuffix(raw, []byte("\r\n"+tt.stored)) || len(raw) < len(tt.stored)+100 {
					t.Errorf("%s: stored %d bytes, which do not end in the %d sent", tt.name, len(raw), len(tt.stored))
				}
			}
		})
	}
}

// A bad line in the middle of text that waits whole is refused as when it
// comes alone: what came before it does not carry it past the checks.
func TestBadLineAmidText(t *testing.T) {
	good := strings.Repeat("0123456789\r\n", 300)
	for _, tt := range []struct {
		name, bad, want string
	}{
		{"bare LF", "a\nb\r\n", replyBareLF},
		{"bare CR", "a\rb\r\n", replyBareCR},
		{"LF.LF smuggling", "x\n.\nMAIL FROM:<ceo@bank.example>\r\n", replyBareLF},
		{"too long", strings.Repeat("c", 999) + "\r\n", "500 5.5.2 Line too long: a line of your message has more than 1000 octets including CRLF (RFC 5321 section 4.5.3.1.6); message not stored"},
	} {
		for _, at := range []int{0, 1, 120, 299} {
			t.Run(fmt.Sprintf("%s after %d lines", tt.name, at), func(t *testing.T) {
				s := newTestSandbox(t, Config{})
				c, token := dial(t, s, "sandbox", "", nil)
				c.do("EHLO client.example", "250 ")
				c.do("MAIL FROM:<a@example.org>", "250 ")
				c.do("RCPT TO:<b@example.org>", "250 ")
				c.do("DATA", "354 ")
				c.send(good[:at*12] + tt.bad + good[at*12:] + ".\r\n")
				if got := c.reply(); len(got) != 1 || got[0] != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
				if l := list(t, s, token); len(l.Messages) != 0 {
					t.Fatalf("stored %d messages", len(l.Messages))
				}
			})
		}
	}
}

// dialWay connects to the sandbox profile in process or over TCP.
func dialWay(t *testing.T, s *Sandbox, way string) (*client, string) {
	t.Helper()
	if way == "pipe" {
		return dial(t, s, "sandbox", "", nil)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.ServeTCP(t.Context(), ln, "sandbox")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, conn)
	c.expect("220 ")
	return c, token
}

// The CRLF check agrees with the rule read byte by byte, in one piece and
// cut anywhere.
func FuzzCRLF(f *testing.F) {
	for _, s := range []string{"a\r\n", "a\nb", "a\rb", "\r", "\r\n\r\n", "\n", "x\r\r\n"} {
		f.Add([]byte(s), 1)
	}
	f.Fuzz(func(t *testing.T, b []byte, cut int) {
		want := crlfByteByByte(b)
		var st crlf
		if got := st.check(b); got != want {
			t.Fatalf("check(%q) = %v, want %v", b, got, want)
		}
		if cut < 0 || cut > len(b) {
			return
		}
		st = crlf{}
		got := st.check(b[:cut])
		if got == nil {
			got = st.check(b[cut:])
		}
		if got != want {
			t.Fatalf("check(%q) cut at %d = %v, want %v", b, cut, got, want)
		}
	})
}

func crlfByteByByte(b []byte) error {
	cr := false
	for _, ch := range b {
		switch {
		case cr && ch != '\n':
			return errBareCR
		case !cr && ch == '\n':
			return errBareLF
		}
		cr = ch == '\r'
	}
	return nil
}
