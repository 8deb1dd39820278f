package tunnel

import (
	"time"

	"github.com/smtplay/smtplay/wire"
)

// Observer is told what sessions do, for metrics. Its methods are called
// from session goroutines and must not block; it never sees session bytes.
type Observer interface {
	// SessionOpened: a session reached target.
	SessionOpened(target string)
	// SessionClosed: a session ended; outcome is the error code that ended
	// it, or who closed it ("client", "server", "proxy").
	SessionClosed(target, outcome string, bytesUp, bytesDown int64, lasted time.Duration)
	// Refused: a frame or an open was refused with this error code.
	Refused(code wire.Code)
	// TLS: a handshake with target finished, successfully when err is nil.
	TLS(target string, took time.Duration, err error)
	// ServerResponse: the time from a client frame to the server's next line.
	ServerResponse(took time.Duration)
}

// nopObserver is the Observer of a Server configured without one.
type nopObserver struct{}

func (nopObserver) SessionOpened(string)                                      {}
func (nopObserver) SessionClosed(string, string, int64, int64, time.Duration) {}
func (nopObserver) Refused(wire.Code)                                         {}
func (nopObserver) TLS(string, time.Duration, error)                          {}
func (nopObserver) ServerResponse(time.Duration)                              {}
