package tunnel

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/wire"
)

// readOnlyPeer hides the websocket's Reader: the session reads it with
// Peer.Read, as it reads a peer that is no websocket.
type readOnlyPeer struct{ Peer }

// startReadOnlyTunnel serves srv's sessions on readOnlyPeers.
func startReadOnlyTunnel(t *testing.T, srv *Server) string {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{wire.Subprotocol}})
		if err != nil {
			return
		}
		ws.SetReadLimit(PeerReadLimit)
		srv.ServePeer(context.Background(), readOnlyPeer{ws}, netip.MustParseAddr("127.0.0.1"))
	}))
	t.Cleanup(hs.Close)
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/tunnel"
}

// The contract's limit on a client message, read as a stream into a pooled
// buffer (a websocket) and as a whole (any other peer): 64 KiB goes
// through, and a larger message up to 1 MiB is refused with
// frame_too_large, which says its whole size; the session goes on, and the
// server never sees a byte of a refused message.
func TestMessageSizes(t *testing.T) {
	for _, way := range []string{"stream", "whole"} {
		t.Run(way, func(t *testing.T) {
			srv := startScripted(t, smtpish)
			target := localTarget("real", srv.port())
			tun, url := startTunnel(t, lab(Config{}), target)
			if way == "whole" {
				url = startReadOnlyTunnel(t, tun)
			}
			c := dial(t, url)
			c.Open("real")
			c.Line("220 test ESMTP\r\n")
			c.Send("DATA\r\n")
			c.Line("354 go ahead\r\n")
			want := ""
			for _, size := range []int{wire.MaxMessage, wire.MaxMessage + 1, 300_000, wire.MaxMessage, readLimit, 2} {
				frame := lines(size)
				c.Send(frame)
				if size <= wire.MaxMessage {
					want += frame
					continue
				}
				e := c.Error(wire.FrameTooLarge)
				if got := e.Args["got"]; got != strconv.Itoa(size) {
					t.Errorf("frame of %d bytes: got=%s, want %d", size, got, size)
				}
			}
			c.Send(".\r\nQUIT\r\n")
			c.Line("250 2.0.0 queued\r\n")
			c.Line("221 2.0.0 bye\r\n")
			c.Closed(wire.ByServer)
			want = "DATA\r\n" + want + ".\r\nQUIT\r\n"
			deadline := time.Now().Add(5 * time.Second)
			for srv.got() != want && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if got := srv.got(); got != want {
				t.Fatalf("server received %d bytes, want %d", len(got), len(want))
			}
		})
	}
}

// lines is size (≥ 2) bytes of message content: whole lines of up to 78
// bytes.
func lines(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		n := min(78, size-b.Len())
		if size-b.Len()-n == 1 { // leave room for a last CRLF
			n--
		}
		b.WriteString(strings.Repeat(string(rune('a'+i%26)), n-2) + "\r\n")
	}
	return b.String()
}
