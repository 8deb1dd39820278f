package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// recordBackend is go-smtp as it comes, keeping the text of the last message.
type recordBackend struct {
	mu   sync.Mutex
	last []byte
}

func (b *recordBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return recordSession{b}, nil
}

type recordSession struct{ b *recordBackend }

func (recordSession) Reset()                               {}
func (recordSession) Logout() error                        { return nil }
func (recordSession) Mail(string, *smtp.MailOptions) error { return nil }
func (recordSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s recordSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.last = data
	s.b.mu.Unlock()
	return err
}

// TestTextMatchesGoSMTP: the sandbox reads message text itself (text.go);
// what it stores, and where it finds a message too big, must be what
// go-smtp's own DATA reader gives for the same bytes, at the size limit too.
func TestTextMatchesGoSMTP(t *testing.T) {
	const limit = 100
	line := func(n int) string { return strings.Repeat("x", n-2) + "\r\n" } // n octets
	texts := map[string]string{
		"empty":              "",
		"one line":           "a\r\n",
		"empty lines":        "\r\n\r\n",
		"stuffed dots":       "..\r\n.a\r\n...\r\n",
		"one under":          line(50) + line(49),
		"at the limit":       line(50) + line(50),
		"one over":           line(50) + line(51),
		"stuffed at limit":   line(50) + "." + line(50),
		"stuffed over":       line(50) + "." + line(51),
		"dot after limit":    line(50) + line(50) + "..\r\n",
		"far over":           strings.Repeat(line(40), 10),
		"stuffed one under":  "." + line(99),
		"text ends at limit": line(98) + "..\r\n",
	}

	rec := &recordBackend{}
	srv := smtp.NewServer(rec)
	srv.Domain = "plain.example"
	srv.MaxMessageBytes = limit
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	plainLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(plainLn)
	defer srv.Close()

	s := newTestSandbox(t, Config{MaxMessageBytes: limit})
	sbLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.ServeTCP(t.Context(), sbLn, "sandbox")
	if err != nil {
		t.Fatal(err)
	}

	dialTCP := func(addr string) *client {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, conn)
		c.expect("220 ")
		c.do("EHLO client.example", "250 ")
		return c
	}
	plain, sb := dialTCP(plainLn.Addr().String()), dialTCP(sbLn.Addr().String())
	tooBig := 0
	for name, text := range texts {
		want := plain.sendMessage("a@example.org", []string{"b@example.org"}, text)[0]
		got := sb.sendMessage("a@example.org", []string{"b@example.org"}, text)[0]
		if want[:3] != got[:3] {
			t.Errorf("%s: go-smtp says %q, the sandbox %q", name, want, got)
			continue
		}
		if want[:3] != "250" {
			tooBig++
			continue
		}
		rec.mu.Lock()
		wantText := rec.last
		rec.mu.Unlock()
		l := list(t, s, token)
		_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+l.Messages[0].ID+"/raw")
		if size := l.Messages[0].Size; size != len(wantText) || !bytes.HasSuffix(raw, wantText) {
			t.Errorf("%s: stored %d octets ending %q; go-smtp read %q", name, size, raw[max(0, len(raw)-len(wantText)-4):], wantText)
		}
	}
	if tooBig < 4 || tooBig > len(texts)-4 {
		t.Errorf("%d of %d texts too big: the cases miss the limit", tooBig, len(texts))
	}
}

// TestTextCountsAsItArrives: text is counted in flight as its lines
// arrive, not once go-smtp's reader has filled a read of 4 KiB.
func TestTextCountsAsItArrives(t *testing.T) {
	for _, way := range []string{"pipe", "tcp"} {
		t.Run(way, func(t *testing.T) {
			s := newTestSandbox(t, Config{})
			c, _ := dialWay(t, s, way)
			c.do("EHLO client.example", "250 ")
			c.do("MAIL FROM:<a@example.org>", "250 ")
			c.do("RCPT TO:<b@example.org>", "250 ")
			c.do("DATA", "354 ")
			c.send("Subject: slowly\r\n\r\n" + strings.Repeat("x", 80) + "\r\n")
			waitFor(t, func() bool {
				s.store.mu.Lock()
				defer s.store.mu.Unlock()
				return s.store.quota.flyingTotal > 0
			})
			c.send("the rest\r\n.\r\n")
			c.expect("250 2.0.0 Ok: queued as ")
		})
	}
}

// TestStoredMessagesKeepTheirText: DATA is read into pooled chunks
// (dataread.go); every stored message keeps its own text however many
// messages came after it on how many connections.
func TestStoredMessagesKeepTheirText(t *testing.T) {
	s := newTestSandbox(t, Config{MaxMessages: 40})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	token, err := s.ServeTCP(ctx, ln, "sandbox")
	if err != nil {
		t.Fatal(err)
	}
	text := func(conn, i int) string {
		return fmt.Sprintf("Subject: %d-%d\r\n\r\n", conn, i) + strings.Repeat(fmt.Sprintf("%d.%d ", conn, i), 200) + "\r\n"
	}
	var wg sync.WaitGroup
	for n := range 4 {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, conn)
		wg.Go(func() {
			c.expect("220 ")
			c.do("EHLO client.example", "250 ")
			for i := range 10 {
				if got := c.sendMessage("a@example.org", []string{"b@example.org"}, text(n, i)); !strings.HasPrefix(got[0], "250 ") {
					t.Errorf("connection %d, message %d: %q", n, i, got)
				}
			}
		})
	}
	wg.Wait()
	l := list(t, s, token)
	if len(l.Messages) != 40 {
		t.Fatalf("%d messages stored, want 40", len(l.Messages))
	}
	for _, m := range l.Messages {
		var n, i int
		if _, err := fmt.Sscanf(m.Subject, "%d-%d", &n, &i); err != nil {
			t.Fatalf("subject %q: %v", m.Subject, err)
		}
		_, _, raw := api(t, s, "GET", "/api/sandbox/"+token+"/messages/"+m.ID+"/raw")
		if want := text(n, i); !bytes.HasSuffix(raw, []byte("\r\n"+want)) || m.Size != len(want) {
			t.Errorf("message %d-%d: stored %q", n, i, raw)
		}
	}
}
