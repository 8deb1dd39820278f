package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
	"github.com/smtplay/smtplay/wire"
)

// The tunnel contract's checks over tunnel.ServePeer, on a peer that is no
// websocket: what the in-page sandbox does over a MessagePort, here in
// memory and under the race detector. Each session's ServePeer has ended
// when its check does.
func TestSeedFlowThroughServePeer(t *testing.T) {
	s, hs := startServer(t, contractLimits...)
	dial := func(t testing.TB) *tunneltest.Client {
		proxyEnd, clientEnd := memPair()
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.tunnel.ServePeer(context.Background(), proxyEnd, netip.MustParseAddr("127.0.0.1"))
		}()
		t.Cleanup(func() { <-done }) // after New's, which closes the client's end
		return tunneltest.New(t, clientEnd)
	}
	tunneltest.Contract(t, dial, func(path string) (int, []byte) {
		resp, err := http.Get(hs.URL + "/" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	})
}

// contractLimits let one test open the contract's sessions at once.
var contractLimits = []string{"-sessions-per-minute", "600"}

// A session served on a peer ends, closed by the proxy, when its context does.
func TestServePeerEndsWithItsContext(t *testing.T) {
	s, _ := startServer(t)
	proxyEnd, clientEnd := memPair()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.tunnel.ServePeer(ctx, proxyEnd, netip.MustParseAddr("127.0.0.1"))
	}()
	c := tunneltest.New(t, clientEnd)
	c.Open("sandbox")
	c.Reply()
	cancel()
	c.Closed(wire.ByProxy)
	c.Gone()
	<-done
}

// memMsg is one message between the two ends of a memPair.
type memMsg struct {
	typ  websocket.MessageType
	data []byte
}

// memEnd is one end of an in-memory message pipe: a tunnel.Peer for the
// proxy, a tunneltest.Conn for the client. Messages sent before either end
// closed are read before the close.
type memEnd struct {
	in, out chan memMsg
	done    chan struct{}
	once    *sync.Once
}

var errMemClosed = errors.New("the other end closed")

func memPair() (memEnd, memEnd) {
	a, b := make(chan memMsg, 256), make(chan memMsg, 256)
	done, once := make(chan struct{}), &sync.Once{}
	return memEnd{in: a, out: b, done: done, once: once}, memEnd{in: b, out: a, done: done, once: once}
}

func (e memEnd) Read(ctx context.Context) (websocket.MessageType, []byte, error) {
	select {
	case m := <-e.in:
		return m.typ, m.data, nil
	default:
	}
	select {
	case m := <-e.in:
		return m.typ, m.data, nil
	case <-e.done:
		select {
		case m := <-e.in:
			return m.typ, m.data, nil
		default:
			return 0, nil, errMemClosed
		}
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	}
}

func (e memEnd) Write(ctx context.Context, typ websocket.MessageType, p []byte) error {
	select {
	case <-e.done:
		return errMemClosed
	default:
	}
	select {
	case e.out <- memMsg{typ, append([]byte(nil), p...)}:
		return nil
	case <-e.done:
		return errMemClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e memEnd) Close(websocket.StatusCode, string) error {
	e.once.Do(func() { close(e.done) })
	return nil
}

func (e memEnd) CloseNow() error { return e.Close(websocket.StatusNormalClosure, "") }
