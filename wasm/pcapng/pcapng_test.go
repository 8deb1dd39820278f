package pcapng

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/smtplay/smtplay/wire"
)

// blocks splits a capture file into its blocks, checking both lengths.
func blocks(t *testing.T, f []byte) (types []uint32, bodies [][]byte) {
	t.Helper()
	for len(f) > 0 {
		if len(f) < 12 {
			t.Fatalf("%d bytes left", len(f))
		}
		n := le.Uint32(f[4:])
		if n%4 != 0 || int(n) > len(f) || le.Uint32(f[n-4:]) != n {
			t.Fatalf("block of length %d (trailer %d), %d bytes left", n, le.Uint32(f[n-4:]), len(f))
		}
		types = append(types, le.Uint32(f))
		bodies = append(bodies, f[8:n-4])
		f = f[n:]
	}
	return types, bodies
}

func TestBuildBlocks(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 2*MSS+7)
	chunks := []wire.Chunk{
		{Dir: wire.DirDown, Time: 1_000_000, Data: []byte("220 hi\r\n")},
		{Dir: wire.DirUp, Time: 1_000_100, Data: big},
	}
	f := Build(chunks, Options{KeyLog: []byte("CLIENT_RANDOM 00 11\n"), Closed: true, Server: netip.MustParseAddrPort("[2001:db8::1]:465")})
	types, bodies := blocks(t, f)
	want := []uint32{blockSectionHeader, blockInterface, blockDecryptionSecret}
	for range 3 + 1 + 3 + 3 { // handshake, 220, big in 3 segments, FIN exchange
		want = append(want, blockEnhancedPacket)
	}
	if len(types) != len(want) {
		t.Fatalf("%d blocks %x, want %x", len(types), types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("block %d is %#x, want %#x", i, types[i], want[i])
		}
	}
	if le.Uint32(bodies[0]) != byteOrderMagic || le.Uint32(bodies[2]) != secretsTLSKeyLog || !bytes.HasPrefix(bodies[2][8:], []byte("CLIENT_RANDOM 00 11\n")) {
		t.Fatalf("section header % x, secrets % x", bodies[0], bodies[2])
	}
	// The three segments of big carry it whole, in order, at most MSS each,
	// from the client's address to the default one (the IPv6 address is
	// not used) on port 465.
	var got []byte
	seq := uint32(0)
	for i, b := range bodies[7:10] {
		frame := b[20 : 20+le.Uint32(b[12:])]
		ip, tcp := frame[14:34], frame[34:]
		if netip.AddrFrom4([4]byte(ip[12:16])) != DefaultClient.Addr() || netip.AddrFrom4([4]byte(ip[16:20])) != DefaultServer.Addr() || be.Uint16(tcp[2:]) != 465 {
			t.Fatalf("segment %d: % x", i, frame[:40])
		}
		if checksum(nil, ip) != 0 || checksum(pseudoHeader(DefaultClient.Addr(), DefaultServer.Addr(), len(tcp)), tcp) != 0 {
			t.Fatalf("segment %d: a checksum does not verify", i)
		}
		if s := be.Uint32(tcp[4:]); i > 0 && s != seq {
			t.Fatalf("segment %d at seq %d, want %d", i, s, seq)
		}
		payload := tcp[20:]
		if len(payload) > MSS {
			t.Fatalf("segment %d carries %d bytes", i, len(payload))
		}
		seq = be.Uint32(tcp[4:]) + uint32(len(payload))
		got = append(got, payload...)
	}
	if !bytes.Equal(got, big) {
		t.Fatalf("segments carry %d bytes, want %d", len(got), len(big))
	}
}

// RFC 1071's example: the one's complement sum of these words is 0xddf2.
func TestChecksum(t *testing.T) {
	if got := checksum([]byte{0x00, 0x01, 0xf2}, []byte{0x03, 0xf4, 0xf5, 0xf6, 0xf7}); got != ^uint16(0xddf2) {
		t.Fatalf("checksum = %#04x, want %#04x", got, ^uint16(0xddf2))
	}
}

func TestDefaultEndpoints(t *testing.T) {
	if DefaultClient.String() != "192.0.2.10:49152" || DefaultServer.String() != "198.51.100.25:587" {
		t.Errorf("defaults %v and %v, not the documentation addresses", DefaultClient, DefaultServer)
	}
}
