//go:build unix

package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"

	"github.com/gorilla/websocket"
	"github.com/smtplay/smtplay/wire"
)

// The benchmarks' websocket clients stand in for a browser, and a browser
// writes a frame in one piece: Chromium sent 40 binary frames of 64 KiB
// (2.6 MB) to the tunnel in 85 TCP segments, most of them 65,483 B,
// loopback's largest. coder/websocket's client masks a frame through a
// 4 KiB bufio.Writer whose size it offers no option for, so it writes a
// 64 KiB frame in 16 system calls (561 segments for the same bytes, 515 of
// exactly 4,096 B), which a tunnel path of BenchmarkDATA then paid for and
// direct TCP did not. gorilla/websocket's Dialer takes the size of its
// write buffer: one frame, one write.
var browserDialer = websocket.Dialer{WriteBufferSize: wire.MaxMessage, ReadBufferSize: 16 << 10}

// dialWS opens a websocket to url offering subprotocol, as a browser would.
func dialWS(ctx context.Context, url, subprotocol string) (*websocket.Conn, error) {
	d := browserDialer
	d.Subprotocols = []string{subprotocol}
	ws, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(1 << 20)
	return ws, nil
}

// streamClient speaks SMTP over a byte stream: TCP, or websockify's frames
// read as one stream (websockify keeps no line boundaries).
type streamClient struct {
	write func(p []byte) error
	br    *bufio.Reader
	close func() error
}

func newStreamClient(r io.Reader, write func(p []byte) error, close func() error) (*streamClient, error) {
	c := &streamClient{write: write, br: bufio.NewReader(r), close: close}
	if err := expect(c, "220"); err != nil {
		close()
		return nil, err
	}
	return c, nil
}

func (c *streamClient) send(p []byte) error { return c.write(p) }
func (c *streamClient) Close() error        { return c.close() }

func (c *streamClient) reply() ([]byte, error) {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		if len(line) < 4 || line[3] != '-' {
			return line, nil
		}
	}
}

func dialTCP(ctx context.Context, addr string) (smtpClient, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return newStreamClient(conn, func(p []byte) error { _, err := conn.Write(p); return err }, conn.Close)
}

// dialWebsockify offers the "binary" subprotocol, which websockify selects.
func dialWebsockify(ctx context.Context, url string) (smtpClient, error) {
	ws, err := dialWS(ctx, url, "binary")
	if err != nil {
		return nil, err
	}
	write := func(p []byte) error { return ws.WriteMessage(websocket.BinaryMessage, p) }
	return newStreamClient(&messageStream{ws: ws}, write, ws.Close)
}

// messageStream reads a websocket's messages as one stream of bytes.
type messageStream struct {
	ws  *websocket.Conn
	cur io.Reader // the message being read, nil between messages
}

func (s *messageStream) Read(p []byte) (int, error) {
	for {
		if s.cur == nil {
			_, r, err := s.ws.NextReader()
			if err != nil {
				return 0, err
			}
			s.cur = r
		}
		n, err := s.cur.Read(p)
		if err == io.EOF {
			s.cur = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

// tunnelClient speaks the tunnel contract: one server line per binary
// frame, and JSON events, of which it skips "delivered".
type tunnelClient struct {
	ws *websocket.Conn
}

func dialTunnel(ctx context.Context, url string, open wire.Open) (*tunnelClient, wire.Opened, error) {
	var opened wire.Opened
	ws, err := dialWS(ctx, url, wire.Subprotocol)
	if err != nil {
		return nil, opened, err
	}
	c := &tunnelClient{ws: ws}
	open.Type = wire.TypeOpen
	data, _ := json.Marshal(open)
	err = ws.WriteMessage(websocket.TextMessage, data)
	if err == nil {
		err = c.readOpened(&opened)
	}
	if err == nil {
		err = expect(c, "220")
	}
	if err != nil {
		ws.Close()
		return nil, opened, err
	}
	return c, opened, nil
}

// readOpened reads the proxy's first message, which must be opened.
func (c *tunnelClient) readOpened(opened *wire.Opened) error {
	typ, data, err := c.ws.ReadMessage()
	if err != nil {
		return err
	}
	if typ != websocket.TextMessage || json.Unmarshal(data, opened) != nil || opened.Type != wire.TypeOpened {
		return fmt.Errorf("got %q, want an opened message", data)
	}
	return nil
}

func (c *tunnelClient) send(p []byte) error { return c.ws.WriteMessage(websocket.BinaryMessage, p) }
func (c *tunnelClient) Close() error        { return c.ws.Close() }

func (c *tunnelClient) reply() ([]byte, error) {
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return nil, err
		}
		if typ == websocket.TextMessage {
			var head struct{ Type string }
			if json.Unmarshal(data, &head) == nil && head.Type == wire.TypeDelivered {
				continue
			}
			return nil, fmt.Errorf("the proxy said %s", data)
		}
		if len(data) < 4 || data[3] != '-' {
			return data, nil
		}
	}
}
