package deploy

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/e2e/nginx"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wire"
)

// The shipped nginx example (deploy/nginx/smtplay.conf), on test ports, in
// front of smtplay: the page loads over HTTPS, a tunnel session works, the
// log names the browser's address rather than nginx's (X-Forwarded-For read
// right to left past the trusted proxy, a forged entry ignored), and a
// foreign Origin is still refused.
func TestBehindNginx(t *testing.T) {
	apptest.Short(t)
	site := nginx.Start(t, "127.0.0.1", nil)
	public, ca, logs := site.Public, site.CA, site.Logs

	// The page over HTTPS.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool}}}
	resp, err := client.Get(public + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page through nginx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// A browser at 127.0.0.2 with a forged X-Forwarded-For opens a tunnel.
	browser := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: ca.Pool},
		DialContext:     (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}).DialContext,
	}}
	dial := func(origin string) (*websocket.Conn, *http.Response, error) {
		h := http.Header{"Origin": {origin}, "X-Forwarded-For": {"6.6.6.6"}}
		return websocket.Dial(context.Background(), strings.Replace(public, "https", "wss", 1)+"/tunnel",
			&websocket.DialOptions{HTTPClient: browser, HTTPHeader: h, Subprotocols: []string{wire.Subprotocol}})
	}
	conn, _, err := dial(public)
	if err != nil {
		t.Fatalf("tunnel through nginx: %v", err)
	}
	c := &tunneltest.Client{T: t, Conn: conn}
	c.Open("sandbox")
	if r := c.Reply(); !strings.HasPrefix(r, "220 ") {
		t.Fatalf("greeting %q", r)
	}
	c.Send("QUIT\r\n")
	c.Reply()
	c.Closed(wire.ByServer)
	c.Gone()
	logs.WaitFor(t, "session closed")
	if out := logs.String(); !strings.Contains(out, `"client":"127.0.0.2"`) || strings.Contains(out, "6.6.6.6") {
		t.Fatalf("the log does not name the browser's address:\n%s", out)
	}

	// A foreign page may not open a tunnel, through nginx or not.
	if _, resp, err := dial("https://evil.example"); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin through nginx: %v %v", err, resp)
	}
}
