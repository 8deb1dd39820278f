package sandbox

import (
	"crypto/tls"
	"net"
	"time"
)

// startTLS answers STARTTLS (RFC 3207) itself instead of leaving it to
// go-smtp.
//
// Why: go-smtp would wrap the connection it was given in a tls.Conn, and
// from then on clientConn would see only ciphertext: it could no longer
// refuse a bare LF, enforce line lengths, or turn go-smtp's 502 sequence
// errors into RFC 5321's 503, and the seed session does most of its work
// after STARTTLS.
//
// How: the sandbox runs go-smtp with no TLS config (so clientConn adds
// STARTTLS to the EHLO reply), answers 220, throws away any plaintext the
// client pipelined behind STARTTLS (docs/SECURITY.md, T6), does the handshake on the
// raw connection, and hands go-smtp a new segment reading and writing through
// the tls.Conn. go-smtp ends the old segment (its Read returns io.EOF) and
// starts the new one with a fresh state: no EHLO, no AUTH, no transaction,
// exactly the reset RFC 3207 section 4.2 asks for. The new segment's 220
// greeting is not sent to the client.
func (c *clientConn) startTLS(arg string) (handoff bool, err error) {
	switch {
	case arg != "":
		return false, c.reply(replyTLSSyntax)
	case c.isTLS():
		return false, c.reply(replyTLSActive)
	}
	if err := c.reply(replyReadyTLS); err != nil {
		return false, err
	}
	if c.br != nil {
		if n := c.br.Buffered(); n > 0 {
			c.br.Discard(n)
			c.sb.log.Info("sandbox: discarded plaintext sent after STARTTLS", "bytes", n)
		}
		c.releaseReader()
	}

	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return false, net.ErrClosed
	}
	c.handshaking = true
	c.mu.Unlock()

	tc := tls.Server(c.raw, c.sb.tlsConfig)
	c.raw.SetReadDeadline(time.Now().Add(handshakeTimeout))
	c.setWriteDeadline(time.Now().Add(handshakeTimeout))
	err = tc.HandshakeContext(c.sb.ctx)
	c.raw.SetReadDeadline(time.Time{})
	c.setWriteDeadline(time.Time{})

	c.mu.Lock()
	c.handshaking = false
	if err != nil || c.closed {
		c.mu.Unlock()
		c.sb.log.Debug("sandbox: TLS handshake failed", "err", err)
		c.abort()
		return false, net.ErrClosed
	}
	st := tc.ConnectionState()
	c.tlsState = &st
	c.cur = tc
	old := c.seg
	old.ended = true
	c.seg = &segment{c: c, swallowGreeting: true}
	next := c.seg
	c.mu.Unlock()

	c.src = tc
	c.pending = nil
	c.mode = modeCommand
	c.lastVerb = ""
	if err := c.sb.ln.push(next); err != nil {
		c.abort() // shutting down
		return false, net.ErrClosed
	}
	return true, nil
}
