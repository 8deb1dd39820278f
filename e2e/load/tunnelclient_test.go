package load

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/wire"
)

// tunnelConn is a sandbox session through the tunnel, from a chosen local
// address, as a page would open it.
type tunnelConn struct {
	ctx context.Context
	ws  *websocket.Conn
}

// maxFrame keeps client frames within the contract's 64 KiB.
const maxFrame = 60 << 10

// dialTunnel opens the sandbox through the tunnel at httpAddr from local
// and says EHLO.
func dialTunnel(ctx context.Context, local, httpAddr string) (*tunnelConn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	hc := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	ws, _, err := websocket.Dial(ctx, "ws://"+httpAddr+"/tunnel", &websocket.DialOptions{
		HTTPClient: hc, Subprotocols: []string{wire.Subprotocol},
	})
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(1 << 20)
	c := &tunnelConn{ctx: ctx, ws: ws}
	open, _ := json.Marshal(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	if err := ws.Write(ctx, websocket.MessageText, open); err != nil {
		ws.CloseNow()
		return nil, err
	}
	var opened wire.Opened
	if err := apptest.ReadJSON(ctx, ws, wire.TypeOpened, &opened); err != nil {
		ws.CloseNow()
		return nil, err
	}
	if got, err := c.reply(); err != nil || !strings.HasPrefix(got, "220 ") {
		ws.CloseNow()
		return nil, fmt.Errorf("greeting %q, %v", got, err)
	}
	if err := c.write("EHLO load.test\r\n"); err != nil {
		ws.CloseNow()
		return nil, err
	}
	if got, err := c.reply(); err != nil || !strings.HasPrefix(got, "250 ") {
		ws.CloseNow()
		return nil, fmt.Errorf("EHLO %q, %v", got, err)
	}
	return c, nil
}

func (c *tunnelConn) close() { c.ws.CloseNow() }

func (c *tunnelConn) write(s string) error {
	return c.ws.Write(c.ctx, websocket.MessageBinary, []byte(s))
}

// reply reads server lines, skipping the proxy's JSON messages, until the
// last line of a reply; a closed session is an error.
func (c *tunnelConn) reply() (string, error) {
	for {
		typ, data, err := c.ws.Read(c.ctx)
		if err != nil {
			return "", err
		}
		if typ == websocket.MessageText {
			if strings.Contains(string(data), `"type":"closed"`) || strings.Contains(string(data), `"type":"error"`) {
				return "", fmt.Errorf("session ended: %s", data)
			}
			continue
		}
		if len(data) < 4 || data[3] != '-' {
			return strings.TrimRight(string(data), "\r\n"), nil
		}
	}
}

// send runs one mail transaction, the body in whole-line frames, and
// returns the reply that ended it.
func (c *tunnelConn) send(body string) (string, error) {
	if err := c.write("MAIL FROM:<load@example.org>\r\nRCPT TO:<inbox@example.org>\r\nDATA\r\n"); err != nil {
		return "", err
	}
	var first string
	for i := range 3 {
		got, err := c.reply()
		if err != nil {
			return "", err
		}
		if i == 0 || (first[0] == '2' && got[0] > '3') {
			first = got
		}
	}
	if !strings.HasPrefix(first, "250 ") {
		return first, nil
	}
	for rest := body + ".\r\n"; rest != ""; {
		n := len(rest)
		if n > maxFrame {
			n = strings.LastIndex(rest[:maxFrame], "\r\n") + 2
		}
		if err := c.write(rest[:n]); err != nil {
			return "", err
		}
		rest = rest[n:]
	}
	return c.reply()
}
