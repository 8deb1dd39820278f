package tunnel

import (
	"context"
	"io"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/wire"
)

// A client message is read into a pooled buffer, not a new slice each: a
// 25 MiB message arrives as some four hundred 64 KiB frames, and reading
// each with Peer.Read would allocate (and zero) a slice that grows from
// 512 bytes to 128 KiB for every one of them.

// messagePool holds the buffers client messages are read into: the
// contract's largest message and one byte more, which tells a larger one.
var messagePool = newBufPool(wire.MaxMessage + 1)

// streamingPeer is a Peer that hands a message over as a stream, as a
// *websocket.Conn does.
type streamingPeer interface {
	Reader(ctx context.Context) (websocket.MessageType, io.Reader, error)
}

var _ streamingPeer = (*websocket.Conn)(nil)

// readMessage returns the client's next message and its size. data holds
// the message, or its first wire.MaxMessage+1 bytes when it is larger than
// the contract allows; it is valid until the next call or releaseMessage.
// The buffer is taken once a message has begun, so a session that waits
// holds none.
func (s *session) readMessage() (typ websocket.MessageType, data []byte, size int, err error) {
	s.releaseMessage()
	sp, ok := s.ws.(streamingPeer)
	if !ok {
		typ, data, err = s.ws.Read(s.ctx)
		return typ, data, len(data), err
	}
	// No context that ends with the session: end closes the websocket,
	// which ends a read that waits, and a context that can end costs the
	// library a registration (context.AfterFunc) per frame.
	typ, r, err := sp.Reader(context.Background())
	if err != nil {
		return 0, nil, 0, err
	}
	s.message = messagePool.get()
	size, err = io.ReadFull(r, *s.message)
	switch err {
	case io.EOF, io.ErrUnexpectedEOF: // the whole message fit
		err = nil
	case nil: // larger than the contract allows: count the rest for the refusal
		var rest int64
		rest, err = io.Copy(io.Discard, r)
		size += int(rest)
	}
	if err != nil {
		s.releaseMessage()
		return 0, nil, 0, err
	}
	return typ, (*s.message)[:min(size, len(*s.message))], size, nil
}

// releaseMessage gives the message buffer back to the pool.
func (s *session) releaseMessage() {
	if s.message != nil {
		messagePool.put(s.message)
		s.message = nil
	}
}
