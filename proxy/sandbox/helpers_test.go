package sandbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// newTestSandbox starts a sandbox that the test shuts down at its end.
func newTestSandbox(t *testing.T, cfg Config) *Sandbox {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.slowDelay = 200 * time.Millisecond
	s.parkAfter = 10 * time.Millisecond // every test meets parked connections
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

// client speaks raw SMTP over a connection, line by line, so tests see the
// exact bytes the sandbox sends.
type client struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func newClient(t *testing.T, conn net.Conn) *client {
	t.Helper()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return &client{t: t, conn: conn, r: bufio.NewReader(conn)}
}

// dial connects to a profile and reads the greeting.
func dial(t *testing.T, s *Sandbox, profile, token string, onDeliver func(Delivery)) (*client, string) {
	t.Helper()
	conn, tok, err := s.Connect(profile, token, onDeliver)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, conn)
	c.expect("220 ")
	return c, tok
}

// send writes raw bytes.
func (c *client) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatalf("write %q: %v", s, err)
	}
}

// reply reads one reply, every line with its CRLF checked and removed.
func (c *client) reply() []string {
	c.t.Helper()
	var lines []string
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("reading a reply after %q: %v", lines, err)
		}
		if !strings.HasSuffix(line, "\r\n") {
			c.t.Fatalf("reply line %q does not end in CRLF", line)
		}
		line = strings.TrimSuffix(line, "\r\n")
		lines = append(lines, line)
		if len(line) < 4 || line[3] != '-' {
			return lines
		}
	}
}

// cmd sends a command line and returns the reply.
func (c *client) cmd(line string) []string {
	c.t.Helper()
	c.send(line + "\r\n")
	return c.reply()
}

// expect reads a reply whose last line starts with prefix.
func (c *client) expect(prefix string) []string {
	c.t.Helper()
	lines := c.reply()
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, prefix) {
		c.t.Fatalf("got %q, want a reply starting %q", lines, prefix)
	}
	return lines
}

// do sends a command and checks the reply's last line starts with prefix.
func (c *client) do(line, prefix string) []string {
	c.t.Helper()
	c.send(line + "\r\n")
	return c.expect(prefix)
}

// exact sends a command and checks the one-line reply is exactly want.
func (c *client) exact(line, want string) {
	c.t.Helper()
	got := c.cmd(line)
	if len(got) != 1 || got[0] != want {
		c.t.Fatalf("%s: got %q, want %q", line, got, want)
	}
}

// expectEOF checks the server closed the connection.
func (c *client) expectEOF() {
	c.t.Helper()
	if line, err := c.r.ReadString('\n'); err == nil {
		c.t.Fatalf("got %q, want the connection closed", line)
	}
}

// startTLS upgrades the connection, verifying the sandbox's certificate for
// serverName against its RootCAs.
func (c *client) startTLS(s *Sandbox, serverName string) *tls.ConnectionState {
	c.t.Helper()
	c.exact("STARTTLS", "220 2.0.0 Ready to start TLS")
	return c.handshake(s, serverName)
}

// handshake does the client's side of TLS after a 220 to STARTTLS.
func (c *client) handshake(s *Sandbox, serverName string) *tls.ConnectionState {
	c.t.Helper()
	tc := tls.Client(c.conn, &tls.Config{RootCAs: s.RootCAs(), ServerName: serverName, MinVersion: tls.VersionTLS12})
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn = tc
	c.r = bufio.NewReader(tc)
	st := tc.ConnectionState()
	return &st
}

func (c *client) authPlain(user, pass string) []string {
	c.t.Helper()
	return c.cmd("AUTH PLAIN " + b64("\x00"+user+"\x00"+pass))
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// sendMessage runs MAIL, RCPT and DATA and returns the reply to the final dot.
func (c *client) sendMessage(from string, to []string, data string) []string {
	c.t.Helper()
	c.do("MAIL FROM:<"+from+">", "250 ")
	for _, r := range to {
		c.do("RCPT TO:<"+r+">", "25")
	}
	c.do("DATA", "354 ")
	c.send(data + ".\r\n")
	return c.reply()
}

// api fetches a mailbox API path through the handler.
func api(t *testing.T, s *Sandbox, method, path string) (int, http.Header, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

// apiJSON fetches a path that must answer 200 JSON and decodes it into v.
func apiJSON(t *testing.T, s *Sandbox, path string, v any) {
	t.Helper()
	code, h, body := api(t, s, "GET", path)
	if code != 200 {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

type listJSON struct {
	Messages []struct {
		ID       string   `json:"id"`
		From     string   `json:"from"`
		To       []string `json:"to"`
		Subject  string   `json:"subject"`
		Size     int      `json:"size"`
		Received string   `json:"received"`
	} `json:"messages"`
}

// list returns a mailbox's messages.
func list(t *testing.T, s *Sandbox, token string) listJSON {
	t.Helper()
	var l listJSON
	apiJSON(t, s, "/api/sandbox/"+token+"/messages", &l)
	return l
}
