package server

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
)

// SMTPListener is the sandbox_smtp field of a sandbox target in
// GET /api/targets: where a program run by the person reaches the sandbox
// on TCP (-sandbox-smtp), so that exported code runs as given.
type SMTPListener struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// SharedMailbox is the mailbox that a plain practice login (no
	// "+TOKEN") delivers into. It is listed only when the listener is on
	// loopback and no -sandbox-smtp-public is set: then only people on
	// this machine can send to it.
	SharedMailbox string `json:"shared_mailbox,omitempty"`
}

// checkPublicSMTP says what is wrong with a -sandbox-smtp-public address.
func checkPublicSMTP(addr string) error {
	if addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("-sandbox-smtp-public %q: give host:port, e.g. smtplay.example.org:2525", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("-sandbox-smtp-public %q: the port must be a number from 1 to 65535", addr)
	}
	return nil
}

// smtpListener is where people reach the sandbox's TCP listener, or nil
// when none serves: the -sandbox-smtp-public address if the operator named
// one; else the listener's own address, with the host the page was reached
// by when it listens on every address (0.0.0.0, ::).
func (s *Server) smtpListener(r *http.Request) *SMTPListener {
	s.mu.Lock()
	addr, shared := s.sandboxSMTP, s.sharedMailbox
	s.mu.Unlock()
	if addr == nil {
		return nil
	}
	if pub := s.opts.SandboxSMTPPublic; pub != "" {
		host, port, _ := net.SplitHostPort(pub) // checked by New
		n, _ := strconv.Atoi(port)
		return &SMTPListener{Host: host, Port: n}
	}
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return nil
	}
	out := &SMTPListener{Host: tcp.IP.String(), Port: tcp.Port}
	switch {
	case tcp.IP.IsLoopback():
		out.SharedMailbox = shared
	case tcp.IP.IsUnspecified():
		if host, _, err := net.SplitHostPort(r.Host); err == nil {
			out.Host = host
		} else {
			out.Host = r.Host
		}
	}
	return out
}
