package sandbox

import (
	"crypto/x509"
	"net"
	"net/netip"

	"github.com/smtplay/smtplay/wire"
)

// Tunneled is the sandbox as the tunnel reaches it (tunnel.Sandbox), in
// the contract's terms: the proxy's and the in-page worker's alike.
type Tunneled struct{ *Sandbox }

// Connect opens a session from client's address on profile, in mailbox
// token, reporting each delivery as the contract's delivered message.
func (t Tunneled) Connect(client netip.Addr, profile, token string, onDeliver func(wire.Delivered)) (net.Conn, string, error) {
	return t.ConnectFrom(client, profile, token, func(d Delivery) {
		onDeliver(wire.Delivered{Type: wire.TypeDelivered, ID: d.ID, From: d.From, To: d.To, Subject: d.Subject, Size: d.Size})
	})
}

// RootCAs is the pool that trusts the sandbox's certificate.
func (t Tunneled) RootCAs() *x509.CertPool { return t.Sandbox.RootCAs() }

// Profile is profile name's rules, as opened carries them.
func (t Tunneled) Profile(name string) *wire.Profile { return WireProfile(name) }
