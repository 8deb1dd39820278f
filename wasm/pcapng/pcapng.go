// Package pcapng turns the bytes of one TCP connection, as the proxy's wire
// messages carry them, into a capture file that Wireshark and tshark read:
// a pcapng section (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html)
// with one Ethernet interface, a Decryption Secrets Block holding the TLS
// key log when there is one, and the connection as Ethernet/IPv4/TCP packets
// synthesized around the bytes: a three-way handshake, segments of at most
// MSS bytes with consistent sequence and acknowledgement numbers and correct
// checksums, and, for a connection that ended, a FIN exchange.
//
// It is pure Go: the page builds the file from what it received, and the
// proxy never does.
package pcapng

import (
	"bytes"
	"encoding/binary"
	"net/netip"

	"github.com/smtplay/smtplay/wire"
)

// MSS is the most bytes one synthesized TCP segment carries, as on Ethernet.
const MSS = 1460

// Endpoints default to documentation addresses (RFC 5737): the capture is a
// picture of the connection, not a record of anyone's address. They are
// built from their bytes, not parsed, so that the page does not run the
// address parser when it starts.
var (
	DefaultClient = netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, 10}), 49152)
	DefaultServer = netip.AddrPortFrom(netip.AddrFrom4([4]byte{198, 51, 100, 25}), 587)
)

// Options describe the connection the chunks crossed.
type Options struct {
	// Client and Server are the two ends (IPv4); zero values take
	// DefaultClient and DefaultServer, a zero port the default's port.
	Client, Server netip.AddrPort
	// KeyLog is the TLS key log (NSS key log format); when not empty it is
	// written in a Decryption Secrets Block so Wireshark decrypts the TLS.
	KeyLog []byte
	// Closed adds the FIN exchange after the last chunk.
	Closed bool
}

// Build returns the capture file of chunks, which are in the order they
// crossed the connection (wire.DirUp from the client to the server).
func Build(chunks []wire.Chunk, o Options) []byte {
	o = withDefaults(o)
	var f bytes.Buffer
	f.Write(sectionHeader())
	f.Write(interfaceDescription())
	if len(o.KeyLog) > 0 {
		f.Write(decryptionSecrets(o.KeyLog))
	}
	c := newConn(o.Client, o.Server)
	start := int64(0)
	if len(chunks) > 0 {
		start = chunks[0].Time
	}
	for _, p := range c.handshake(start - 3) {
		f.Write(enhancedPacket(p))
	}
	last := start
	for _, ch := range chunks {
		last = max(last, ch.Time)
		for _, p := range c.data(ch.Dir == wire.DirUp, ch.Data, last) {
			f.Write(enhancedPacket(p))
		}
	}
	if o.Closed {
		for _, p := range c.close(last + 1) {
			f.Write(enhancedPacket(p))
		}
	}
	return f.Bytes()
}

func withDefaults(o Options) Options {
	for _, e := range []struct {
		v   *netip.AddrPort
		def netip.AddrPort
	}{{&o.Client, DefaultClient}, {&o.Server, DefaultServer}} {
		addr, port := e.v.Addr(), e.v.Port()
		if !addr.Is4() {
			addr = e.def.Addr()
		}
		if port == 0 {
			port = e.def.Port()
		}
		*e.v = netip.AddrPortFrom(addr, port)
	}
	return o
}

// Block types and constants of the pcapng format.
const (
	blockSectionHeader    = 0x0A0D0D0A
	blockInterface        = 0x00000001
	blockEnhancedPacket   = 0x00000006
	blockDecryptionSecret = 0x0000000A
	byteOrderMagic        = 0x1A2B3C4D
	linkTypeEthernet      = 1
	secretsTLSKeyLog      = 0x544c534b
	optEnd                = 0
	optTSResol            = 9
)

var le = binary.LittleEndian

// block frames body as one pcapng block: type, total length, body padded
// to 32 bits, total length again.
func block(typ uint32, body []byte) []byte {
	pad := (4 - len(body)%4) % 4
	total := uint32(12 + len(body) + pad)
	b := make([]byte, 0, total)
	b = le.AppendUint32(b, typ)
	b = le.AppendUint32(b, total)
	b = append(b, body...)
	b = append(b, make([]byte, pad)...)
	return le.AppendUint32(b, total)
}

func sectionHeader() []byte {
	var b []byte
	b = le.AppendUint32(b, byteOrderMagic)
	b = le.AppendUint16(b, 1) // major version
	b = le.AppendUint16(b, 0) // minor version
	b = le.AppendUint64(b, ^uint64(0))
	return block(blockSectionHeader, b)
}

// interfaceDescription: Ethernet, no snap length, timestamps in
// microseconds (if_tsresol 6, also the default, written for clarity).
func interfaceDescription() []byte {
	var b []byte
	b = le.AppendUint16(b, linkTypeEthernet)
	b = le.AppendUint16(b, 0) // reserved
	b = le.AppendUint32(b, 0) // snap length: none
	b = le.AppendUint16(b, optTSResol)
	b = le.AppendUint16(b, 1)
	b = append(b, 6, 0, 0, 0)
	b = le.AppendUint16(b, optEnd)
	b = le.AppendUint16(b, 0)
	return block(blockInterface, b)
}

func decryptionSecrets(keyLog []byte) []byte {
	var b []byte
	b = le.AppendUint32(b, secretsTLSKeyLog)
	b = le.AppendUint32(b, uint32(len(keyLog)))
	b = append(b, keyLog...)
	return block(blockDecryptionSecret, b)
}

// packet is one synthesized frame and when it crossed, in microseconds.
type packet struct {
	time  int64
	frame []byte
}

func enhancedPacket(p packet) []byte {
	var b []byte
	b = le.AppendUint32(b, 0) // interface 0
	b = le.AppendUint32(b, uint32(uint64(p.time)>>32))
	b = le.AppendUint32(b, uint32(p.time))
	b = le.AppendUint32(b, uint32(len(p.frame)))
	b = le.AppendUint32(b, uint32(len(p.frame)))
	b = append(b, p.frame...)
	b = append(b, make([]byte, (4-len(p.frame)%4)%4)...)
	return block(blockEnhancedPacket, b)
}
