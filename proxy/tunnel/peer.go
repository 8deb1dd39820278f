package tunnel

import (
	"context"
	"net/netip"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/wire"
)

// Peer is the client side of one session: anything that carries whole
// messages, text (JSON) or binary (SMTP bytes), and closes with a code and
// a reason. A *websocket.Conn is one (ServeHTTP); a MessagePort to a page,
// wrapped by the in-page sandbox, is another (ServePeer).
//
// Read is called from one goroutine; Write and Close may be called from
// others while it waits. A Read error whose websocket.CloseStatus is
// websocket.StatusMessageTooBig ends the session with frame_too_large;
// any other one means the client is gone.
type Peer interface {
	Read(ctx context.Context) (websocket.MessageType, []byte, error)
	Write(ctx context.Context, typ websocket.MessageType, p []byte) error
	Close(code websocket.StatusCode, reason string) error
}

var _ Peer = (*websocket.Conn)(nil)

// PeerReadLimit is the largest message a Peer should hand to Read; a larger
// one should fail Read with a websocket.CloseError of StatusMessageTooBig,
// as a websocket does.
const PeerReadLimit = readLimit

// ServePeer runs one session on peer, for a client at client, and returns
// when it has ended. It is ServeHTTP without HTTP: no Origin to check, no
// upgrade. The session reaches what the Server's targets list, so a Server
// made for the in-page sandbox lists the sandbox's profiles only. When ctx
// ends first, the proxy ends the session as on Shutdown.
func (s *Server) ServePeer(ctx context.Context, peer Peer, client netip.Addr) {
	sess := newSession(s, peer, client)
	if !s.add(sess) {
		sess.end(endBy(wire.ByProxy, wire.Say("shutting-down-new")))
		sess.wait()
		return
	}
	defer s.remove(sess)
	stop := context.AfterFunc(ctx, func() { sess.end(endBy(wire.ByProxy, wire.Say("shutting-down"))) })
	defer stop()
	sess.run()
}
