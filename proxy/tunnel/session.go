package tunnel

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/wire"
)

// session is one websocket and, once opened, one connection to a server.
type session struct {
	srv    *Server
	ws     Peer
	client netip.Addr
	start  time.Time
	ctx    context.Context
	cancel context.CancelFunc

	target policy.Target
	remote string

	message *[]byte // the client message being handled, from messagePool (message.go)

	stateMu    sync.Mutex // guards follow and deliveries
	follow     *follower
	deliveries []wire.Delivered

	writeMu sync.Mutex // serialises writes to conn and its swap to TLS
	conn    net.Conn
	upGuard *writeGuard // bounds one write to conn (stall.go); set with conn
	shut    bool        // closeUpstream ran: a conn that arrives later is closed at once

	// phaseMu makes "opened" one step: a client frame is either refused
	// before the proxy has sent opened, or forwarded after it.
	phaseMu sync.Mutex
	opened  bool

	sendMu  sync.Mutex // serialises websocket writes; none after closed
	over    bool
	wsGuard *writeGuard // bounds one websocket write, for a Peer that can be closed at once

	bytesUp, bytesDown atomic.Int64
	frameSent          atomic.Int64 // unix nanoseconds of the last frame written, 0 once answered
	lastActive         atomic.Int64 // unix nanoseconds
	tlsVersion         atomic.Value // string
	clientClosing      atomic.Bool
	tap                atomic.Pointer[tap] // set when the client asked for the wire (tap.go)

	endOnce  sync.Once
	outcome  ending
	pumping  bool          // the server pump was started
	pumpDone chan struct{} // closed when the server pump returns

	timerMu    sync.Mutex // guards the timers, which fire on their own goroutines
	idleTimer  *time.Timer
	limitTimer *time.Timer
}

// ending says how a session ended: by whom, why, and the error sent first.
type ending struct {
	by     string
	reason wire.Said
	err    *wire.Error
}

func endBy(by string, reason wire.Said) ending { return ending{by: by, reason: reason} }

// endWith ends a session with an error; the proxy closes it.
func endWith(code wire.Code, reason wire.Said) ending {
	e := wire.Fail(code, reason)
	return ending{by: wire.ByProxy, reason: reason, err: &e}
}

func newSession(srv *Server, ws Peer, client netip.Addr) *session {
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{
		srv: srv, ws: ws, client: client, start: time.Now(),
		ctx: ctx, cancel: cancel,
		follow:   newFollower(),
		pumpDone: make(chan struct{}),
	}
	if c, ok := ws.(closerNow); ok {
		s.wsGuard = newWriteGuard(sendTimeout, func() { _ = c.CloseNow() })
	}
	s.touch()
	return s
}

// closerNow is a Peer that can be closed without a closing handshake, as a
// *websocket.Conn can: what a write that blocks past sendTimeout needs.
type closerNow interface{ CloseNow() error }

// run holds the session from the upgrade to its end.
func (s *session) run() {
	defer s.wait()
	defer s.releaseMessage()
	if lim := s.srv.cfg.Limiter; lim != nil {
		release, err := lim.Acquire(s.client)
		if err != nil {
			s.end(endWith(wire.RateLimited, err.(*policy.LimitError).Said))
			return
		}
		defer release()
	}
	s.startTimers()
	open, ok := s.awaitOpen()
	if !ok {
		return
	}
	// The target is reached while the browser's frames are still read, so
	// that a frame sent before opened is refused at once (PROTOCOL.md).
	opening := make(chan struct{})
	go func() {
		defer close(opening)
		if s.open(open) {
			s.pumping = true
			go s.serverPump()
		}
	}()
	defer func() { <-opening }() // before wait, which reads pumping
	s.clientPump()
}

// wait returns once the session has ended and its server pump has stopped.
func (s *session) wait() {
	<-s.ctx.Done()
	if s.pumping {
		<-s.pumpDone
	}
}

func (s *session) touch() { s.lastActive.Store(time.Now().UnixNano()) }

// startTimers arms the idle watchdog and the session's maximum length.
func (s *session) startTimers() {
	limits := s.srv.cfg.Limits
	s.timerMu.Lock()
	defer s.timerMu.Unlock()
	if s.ctx.Err() != nil {
		return
	}
	s.idleTimer = time.AfterFunc(limits.Idle, s.checkIdle)
	s.limitTimer = time.AfterFunc(limits.MaxDuration, func() {
		s.end(endWith(wire.SessionLimit, wire.Say("session-too-long", "max", limits.MaxDuration)))
	})
}

func (s *session) stopTimers() {
	s.timerMu.Lock()
	defer s.timerMu.Unlock()
	for _, t := range []*time.Timer{s.idleTimer, s.limitTimer} {
		if t != nil {
			t.Stop()
		}
	}
}

func (s *session) checkIdle() {
	idle := s.srv.cfg.Limits.Idle
	since := time.Since(time.Unix(0, s.lastActive.Load()))
	if since < idle {
		s.timerMu.Lock()
		s.idleTimer.Reset(idle - since)
		s.timerMu.Unlock()
		return
	}
	opened := s.isOpened()
	s.stateMu.Lock()
	waiting := opened && len(s.follow.pending) > 0
	s.stateMu.Unlock()
	key := "idle"
	if waiting {
		key = "no-answer"
	}
	s.end(endWith(wire.Timeout, wire.Say(key, "idle", idle)))
}

// endsTheSession are the bad_request refusals of an open message itself,
// which end the session like any other refused open (PROTOCOL.md, "Error
// codes": "an open refused this way ends it"). Other malformed messages
// are refused and the session goes on.
var endsTheSession = map[string]bool{"open-malformed": true}

// awaitOpen reads messages until an open arrives.
func (s *session) awaitOpen() (*wire.Open, bool) {
	for {
		typ, data, ok := s.read()
		if !ok {
			return nil, false
		}
		if typ == websocket.MessageBinary {
			s.refuse(wire.BadRequest, wire.Say("open-first"))
			continue
		}
		msg, err := wire.DecodeClient(data)
		if said, _ := err.(wire.Said); err != nil && endsTheSession[said.Key] {
			s.end(endWith(wire.BadRequest, said))
			return nil, false
		}
		if err != nil {
			s.refuse(wire.BadRequest, err.(wire.Said))
			continue
		}
		switch m := msg.(type) {
		case *wire.Close:
			s.end(endBy(wire.ByClient, wire.Say("closed-before-open")))
			return nil, false
		case *wire.Open:
			return m, true
		}
	}
}

// read returns the next websocket message, valid until the next call,
// ending the session when the browser is gone and refusing messages above
// the contract's size.
func (s *session) read() (websocket.MessageType, []byte, bool) {
	for {
		typ, data, size, err := s.readMessage()
		if err != nil {
			if websocket.CloseStatus(err) == websocket.StatusMessageTooBig {
				s.end(endWith(wire.FrameTooLarge, wire.Say("message-over-mib")))
			} else {
				s.end(endBy(wire.ByClient, wire.Say("browser-gone")))
			}
			return 0, nil, false
		}
		s.touch()
		if size > wire.MaxMessage {
			s.refuse(wire.FrameTooLarge, wire.Say("frame-too-large", "max", wire.MaxMessage, "got", size))
			continue
		}
		return typ, data, true
	}
}

// clientPump forwards the browser's frames until the session ends.
func (s *session) clientPump() {
	for {
		typ, data, ok := s.read()
		if !ok {
			return
		}
		if typ == websocket.MessageBinary {
			if !s.refuseEarly() {
				s.forward(data)
			}
			continue
		}
		msg, err := wire.DecodeClient(data)
		switch {
		case err != nil:
			s.refuse(wire.BadRequest, err.(wire.Said))
		case isClose(msg) && !s.isOpened():
			s.end(endBy(wire.ByClient, wire.Say("closed-before-open")))
			return
		case isClose(msg):
			s.politeClose()
			return
		default:
			s.refuse(wire.BadRequest, wire.Say("already-open"))
		}
	}
}

func isClose(msg any) bool { _, ok := msg.(*wire.Close); return ok }

// isOpened reports whether the proxy has sent opened.
func (s *session) isOpened() bool {
	s.phaseMu.Lock()
	defer s.phaseMu.Unlock()
	return s.opened
}

// refuseEarly refuses with bad_request a binary frame read before the
// proxy has sent opened, and reports whether it did. The refusal goes out
// before opened, under the same lock, so the client can tell which of its
// frames were too early.
func (s *session) refuseEarly() bool {
	s.phaseMu.Lock()
	defer s.phaseMu.Unlock()
	if !s.opened {
		s.refuse(wire.BadRequest, wire.Say("open-first"))
	}
	return !s.opened
}

// forward checks one client frame and writes it to the server whole, or not at all.
func (s *session) forward(frame []byte) {
	if err := checkFrame(frame); err != nil {
		s.refuse(wire.BadLineEnding, *err.(*wire.Said))
		return
	}
	budget := s.srv.cfg.Limits.ByteBudget
	if s.bytesUp.Load()+int64(len(frame)) > budget {
		s.end(endWith(wire.SessionLimit, wire.Say("byte-budget", "max", budget)))
		return
	}
	s.stateMu.Lock()
	err := s.follow.accept(frame)
	s.stateMu.Unlock()
	if err != nil {
		s.refuseFrame(err)
		return
	}
	if err := s.writeUpstream(frame); err != nil {
		s.end(endBy(wire.ByServer, wire.Say("lost-while-sending")))
	}
}

// refuseFrame answers a frame the follower refused: a session limit ends
// the session, anything else refuses the frame alone.
func (s *session) refuseFrame(err error) {
	var r *refusal
	switch {
	case errors.As(err, &r) && r.code == wire.SessionLimit:
		s.end(endWith(wire.SessionLimit, r.said))
	case errors.As(err, &r):
		s.refuse(r.code, r.said)
	}
}

// writeUpstream writes p to the server; a write the server does not take
// within the idle limit fails (upGuard closes the connection).
func (s *session) writeUpstream(p []byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.frameSent.CompareAndSwap(0, s.upGuard.begin())
	n, err := s.conn.Write(p)
	s.upGuard.end()
	s.bytesUp.Add(int64(n))
	return err
}

// politeClose sends QUIT when it is due, lets the server answer, and ends.
func (s *session) politeClose() {
	s.clientClosing.Store(true)
	s.stateMu.Lock()
	quit := s.follow.commandMode() && !s.follow.quitSent && !s.follow.held && !s.follow.upgrade
	if quit {
		_ = s.follow.accept([]byte("QUIT\r\n"))
	}
	s.stateMu.Unlock()
	if quit && s.writeUpstream([]byte("QUIT\r\n")) == nil {
		select {
		case <-s.pumpDone:
		case <-time.After(2 * time.Second):
		}
	}
	s.end(endBy(wire.ByClient, wire.Say("client-closed")))
}

// serverPump forwards server lines, one per binary frame, until the stream ends.
func (s *session) serverPump() {
	defer close(s.pumpDone)
	lr := newLineReader(s.conn)
	for {
		piece, err := lr.next()
		if err != nil {
			s.serverGone(err)
			return
		}
		s.touch()
		s.bytesDown.Add(int64(len(piece)))
		if sent := s.frameSent.Swap(0); sent != 0 {
			s.srv.cfg.Observer.ServerResponse(time.Since(time.Unix(0, sent)))
		}
		// The state moves before the line is forwarded: a client that has
		// the reply must find the proxy ready for what comes next.
		s.stateMu.Lock()
		act := s.follow.serverBytes(piece)
		s.stateMu.Unlock()
		s.sendBinary(piece)
		switch act {
		case actUpgrade:
			if lr = s.startTLS(lr.discard()); lr == nil {
				return
			}
		case actDeliver:
			s.flushDeliveries()
		case actAuthLimit:
			s.end(endWith(wire.SessionLimit, wire.Say("auth-failures", "n", s.follow.quota.AuthFailures)))
			return
		}
	}
}

func (s *session) serverGone(err error) {
	if s.ctx.Err() != nil {
		return // the session ended first
	}
	s.stateMu.Lock()
	quit := s.follow.quitSent
	s.stateMu.Unlock()
	switch {
	case s.clientClosing.Load():
		s.end(endBy(wire.ByClient, wire.Say("client-closed")))
	case quit && errors.Is(err, io.EOF):
		s.end(endBy(wire.ByServer, wire.Say("quit")))
	case errors.Is(err, io.EOF):
		s.end(endBy(wire.ByServer, wire.Say("server-closed")))
	default:
		s.end(endBy(wire.ByServer, wire.Say("server-lost")))
	}
}

// onDeliver queues a sandbox delivery; it is sent after the 250 that accepts it.
func (s *session) onDeliver(d wire.Delivered) {
	d.Type = wire.TypeDelivered
	s.stateMu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.stateMu.Unlock()
}

func (s *session) flushDeliveries() {
	s.stateMu.Lock()
	ds := s.deliveries
	s.deliveries = nil
	s.stateMu.Unlock()
	for _, d := range ds {
		s.sendJSON(d)
	}
}

// refuse tells the browser one frame was refused; the session goes on.
func (s *session) refuse(code wire.Code, why wire.Said) {
	s.srv.cfg.Observer.Refused(code)
	s.sendJSON(wire.Fail(code, why))
}

// sendTimeout bounds one websocket write to a browser that stopped reading.
// A variable so that a test can wait less.
var sendTimeout = 10 * time.Second

func (s *session) sendJSON(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // wire types always marshal
	}
	s.send(websocket.MessageText, data)
}

func (s *session) sendBinary(p []byte) { s.send(websocket.MessageBinary, p) }

func (s *session) send(typ websocket.MessageType, p []byte) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if s.over {
		return
	}
	if s.wsGuard == nil {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		_ = s.ws.Write(ctx, typ, p)
		return
	}
	// No deadline of its own: the guard closes the websocket under a write
	// that lasts sendTimeout, as the deadline's end would.
	s.wsGuard.begin()
	_ = s.ws.Write(context.Background(), typ, p)
	s.wsGuard.end()
}

// end finishes the session once: it sends the error (if any) and closed,
// says QUIT to the server when that is still due, and closes both legs.
func (s *session) end(e ending) {
	s.endOnce.Do(func() {
		s.outcome = e
		s.stopTimers()
		s.tap.Load().finish()
		if e.err != nil {
			s.srv.cfg.Observer.Refused(e.err.Code)
			s.sendJSON(*e.err)
		}
		s.sendJSON(wire.Ended(e.by, e.reason))
		s.sendMu.Lock()
		s.over = true
		s.wsGuard.stop()
		s.sendMu.Unlock()
		s.quitIfDue(e)
		s.closeUpstream()
		s.logEnd()
		_ = s.ws.Close(websocket.StatusNormalClosure, "")
		s.cancel()
	})
}

// quitIfDue says QUIT to a server still in command mode when the proxy ends
// the session, without waiting for the answer.
func (s *session) quitIfDue(e ending) {
	if e.by != wire.ByProxy {
		return
	}
	opened := s.isOpened() // not while connecting, nor inside an implicit TLS handshake
	s.stateMu.Lock()
	due := opened && s.follow.commandMode() && !s.follow.quitSent && !s.follow.held && !s.follow.upgrade
	s.stateMu.Unlock()
	if !due {
		return
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = s.conn.Write([]byte("QUIT\r\n"))
}

func (s *session) closeUpstream() {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.shut = true
	s.upGuard.stop()
	if s.conn != nil {
		_ = s.conn.Close()
	}
}

// logEnd writes the session's one closing line: never session bytes.
func (s *session) logEnd() {
	s.writeMu.Lock()
	target, remote := s.target.Name, s.remote
	s.writeMu.Unlock()
	attrs := []any{
		"client", s.client.String(),
		"target", target,
		"remote", remote,
		"bytes_up", s.bytesUp.Load(),
		"bytes_down", s.bytesDown.Load(),
		"duration", time.Since(s.start).Round(time.Millisecond).String(),
		"by", s.outcome.by,
	}
	if v, ok := s.tlsVersion.Load().(string); ok {
		attrs = append(attrs, "tls", v)
	}
	if s.outcome.err != nil {
		attrs = append(attrs, "error", s.outcome.err.Code)
	}
	s.srv.log.Log(context.Background(), slog.LevelInfo, "session closed", attrs...)
	if remote != "" {
		outcome := s.outcome.by
		if s.outcome.err != nil {
			outcome = string(s.outcome.err.Code)
		}
		s.srv.cfg.Observer.SessionClosed(target, outcome, s.bytesUp.Load(), s.bytesDown.Load(), time.Since(s.start))
	}
}
