package tunnel

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/smtplay/smtplay/wire"
)

// startTLS upgrades the server leg after a 2xx to STARTTLS. discarded bytes
// were received after that reply and are dropped unread: plaintext pipelined
// ahead of the handshake must never count as a reply inside TLS (CVE-2011-0411).
// It returns the reader for the TLS stream, or nil when the session ended.
func (s *session) startTLS(discarded int) *lineReader {
	s.writeMu.Lock()
	tc, info, why, ok := s.handshake(s.conn)
	if ok {
		s.conn = tc
	}
	s.writeMu.Unlock()
	if !ok {
		s.end(endWith(wire.TLSFailed, why))
		return nil
	}
	info.Discarded = discarded
	// A frame that reaches the proxy once the client has the tls event must
	// be accepted: record TLS and send the event under one lock.
	s.stateMu.Lock()
	s.follow.tlsStarted()
	s.sendJSON(*info)
	s.stateMu.Unlock()
	return newLineReader(tc)
}

// handshake runs a TLS client handshake on conn with SNI = the target's host
// and TLS 1.2 or later, verifying the chain itself so that an entry marked
// insecure still learns why verification failed. A failure says why in a
// sentence of wire.Details.
func (s *session) handshake(conn net.Conn) (*tls.Conn, *wire.TLS, wire.Said, bool) {
	host := s.target.Host
	roots := s.srv.cfg.RootCAs
	if s.target.Sandbox != "" {
		roots = s.srv.cfg.Sandbox.RootCAs()
	}
	var verifyErr error
	cfg := &tls.Config{
		ServerName:         host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified below, so that the reason is kept
		KeyLogWriter:       s.keyLog(),
		VerifyConnection: func(cs tls.ConnectionState) error {
			verifyErr = verifyChain(cs.PeerCertificates, roots, host)
			if verifyErr != nil && !s.target.Insecure {
				return verifyErr
			}
			return nil
		},
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.srv.cfg.Limits.TLSTimeout)
	defer cancel()
	tc := tls.Client(conn, cfg)
	start := time.Now()
	err := tc.HandshakeContext(ctx)
	s.srv.cfg.Observer.TLS(s.target.Name, time.Since(start), err)
	if err != nil {
		return nil, nil, tlsError(host, err, s.srv.cfg.Limits.TLSTimeout), false
	}
	s.tlsVersion.Store(tls.VersionName(tc.ConnectionState().Version))
	return tc, tlsInfo(tc.ConnectionState(), host, verifyErr), wire.Said{}, true
}

func verifyChain(certs []*x509.Certificate, roots *x509.CertPool, host string) error {
	if len(certs) == 0 {
		return errors.New("the server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: host})
	return err
}

// tlsError explains a failed handshake to a person.
func tlsError(host string, err error, limit time.Duration) wire.Said {
	var unknown x509.UnknownAuthorityError
	var name x509.HostnameError
	var invalid x509.CertificateInvalidError
	var rec tls.RecordHeaderError
	switch {
	case errors.As(err, &unknown):
		return wire.Say("cert-unknown-authority", "host", host)
	case errors.As(err, &name):
		return wire.Say("cert-wrong-name", "host", host, "error", name)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return wire.Say("cert-expired", "host", host)
	case errors.As(err, &invalid):
		return wire.Say("cert-invalid", "host", host, "error", invalid)
	case errors.As(err, &rec):
		return wire.Say("not-tls", "host", host)
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return wire.Say("tls-timeout", "host", host, "limit", limit)
	case strings.Contains(err.Error(), "protocol version"):
		return wire.Say("tls-version", "host", host)
	}
	return wire.Say("tls-failed", "host", host, "error", err)
}

// tlsInfo describes an established TLS connection in the contract's terms.
func tlsInfo(cs tls.ConnectionState, host string, verifyErr error) *wire.TLS {
	info := &wire.TLS{
		Type:       wire.TypeTLS,
		Version:    tls.VersionName(cs.Version),
		Cipher:     tls.CipherSuiteName(cs.CipherSuite),
		ServerName: host,
		Verified:   verifyErr == nil,
		Chain:      make([]wire.Cert, 0, len(cs.PeerCertificates)),
	}
	if verifyErr != nil {
		info.VerifyError = verifyErr.Error()
	}
	for _, c := range cs.PeerCertificates {
		info.Chain = append(info.Chain, wire.Cert{
			Subject:   c.Subject.String(),
			Issuer:    c.Issuer.String(),
			NotBefore: c.NotBefore.UTC().Format(time.RFC3339),
			NotAfter:  c.NotAfter.UTC().Format(time.RFC3339),
			DNSNames:  append([]string{}, c.DNSNames...),
		})
	}
	return info
}
