package pcapng

import (
	"encoding/binary"
	"net/netip"
)

// TCP flags.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagPSH = 0x08
	flagACK = 0x10
)

// Fixed initial sequence numbers: a synthesized connection needs no
// randomness, and a reader compares relative numbers anyway.
const (
	clientISN = 0x10000000
	serverISN = 0x20000000
)

// Made-up, locally administered MAC addresses of the two ends.
var (
	clientMAC = [6]byte{0x02, 0, 0, 0, 0, 0x0a}
	serverMAC = [6]byte{0x02, 0, 0, 0, 0, 0x19}
)

var be = binary.BigEndian

// end is one side of the connection: its address and the next sequence
// number it sends.
type end struct {
	addr netip.AddrPort
	mac  [6]byte
	seq  uint32
}

// conn synthesizes the packets of one TCP connection.
type conn struct {
	ends [2]end // client, server
	ipID uint16
}

func newConn(client, server netip.AddrPort) *conn {
	return &conn{ends: [2]end{{client, clientMAC, clientISN}, {server, serverMAC, serverISN}}}
}

// handshake is SYN, SYN-ACK, ACK, each a microsecond apart from t.
func (c *conn) handshake(t int64) []packet {
	return []packet{
		c.segment(0, t, flagSYN, nil, true),
		c.segment(1, t+1, flagSYN|flagACK, nil, true),
		c.segment(0, t+2, flagACK, nil, false),
	}
}

// data sends p from the client (up) or the server in segments of at most MSS.
func (c *conn) data(up bool, p []byte, t int64) []packet {
	from := 1
	if up {
		from = 0
	}
	var out []packet
	for len(p) > 0 {
		n := min(len(p), MSS)
		flags := byte(flagACK)
		if n == len(p) {
			flags |= flagPSH
		}
		out = append(out, c.segment(from, t, flags, p[:n], false))
		p = p[n:]
	}
	return out
}

// close is FIN-ACK from the client, FIN-ACK from the server, and the last ACK.
func (c *conn) close(t int64) []packet {
	return []packet{
		c.segment(0, t, flagFIN|flagACK, nil, false),
		c.segment(1, t+1, flagFIN|flagACK, nil, false),
		c.segment(0, t+2, flagACK, nil, false),
	}
}

// segment makes one Ethernet frame from side from, acknowledging all the
// other side sent so far, and advances from's sequence number. SYNs carry
// the MSS option.
func (c *conn) segment(from int, t int64, flags byte, payload []byte, mss bool) packet {
	src, dst := &c.ends[from], &c.ends[1-from]
	var opts []byte
	if mss {
		opts = be.AppendUint16([]byte{2, 4}, MSS)
	}
	tcp := make([]byte, 0, 20+len(opts)+len(payload))
	tcp = be.AppendUint16(tcp, src.addr.Port())
	tcp = be.AppendUint16(tcp, dst.addr.Port())
	tcp = be.AppendUint32(tcp, src.seq)
	ack := uint32(0)
	if flags&flagACK != 0 {
		ack = dst.seq
	}
	tcp = be.AppendUint32(tcp, ack)
	tcp = append(tcp, byte((20+len(opts))/4)<<4, flags)
	tcp = be.AppendUint16(tcp, 64240) // window
	tcp = append(tcp, 0, 0, 0, 0)     // checksum, urgent pointer
	tcp = append(tcp, opts...)
	tcp = append(tcp, payload...)
	be.PutUint16(tcp[16:], checksum(pseudoHeader(src.addr.Addr(), dst.addr.Addr(), len(tcp)), tcp))

	src.seq += uint32(len(payload))
	if flags&(flagSYN|flagFIN) != 0 {
		src.seq++
	}
	c.ipID++
	frame := make([]byte, 0, 14+20+len(tcp))
	frame = append(frame, dst.mac[:]...)
	frame = append(frame, src.mac[:]...)
	frame = be.AppendUint16(frame, 0x0800) // IPv4
	frame = append(frame, ipv4Header(src.addr.Addr(), dst.addr.Addr(), c.ipID, len(tcp))...)
	frame = append(frame, tcp...)
	return packet{time: t, frame: frame}
}

// ipv4Header is a 20-byte header with Don't Fragment, TTL 64, protocol TCP.
func ipv4Header(src, dst netip.Addr, id uint16, payload int) []byte {
	h := make([]byte, 0, 20)
	h = append(h, 0x45, 0)
	h = be.AppendUint16(h, uint16(20+payload))
	h = be.AppendUint16(h, id)
	h = be.AppendUint16(h, 0x4000) // DF
	h = append(h, 64, 6, 0, 0)
	s, d := src.As4(), dst.As4()
	h = append(h, s[:]...)
	h = append(h, d[:]...)
	be.PutUint16(h[10:], checksum(nil, h))
	return h
}

// pseudoHeader is what the TCP checksum covers besides the segment.
func pseudoHeader(src, dst netip.Addr, length int) []byte {
	s, d := src.As4(), dst.As4()
	h := append(s[:], d[:]...)
	h = append(h, 0, 6)
	return be.AppendUint16(h, uint16(length))
}

// checksum is the Internet checksum (RFC 1071) of a then b.
func checksum(a, b []byte) uint16 {
	var sum uint32
	odd := false
	var hi byte
	for _, p := range [][]byte{a, b} {
		for _, x := range p {
			if odd {
				sum += uint32(hi)<<8 | uint32(x)
			} else {
				hi = x
			}
			odd = !odd
		}
	}
	if odd {
		sum += uint32(hi) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
