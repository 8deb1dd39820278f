package policy_test

import (
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
)

// DNS record types and classes the test server knows.
const (
	dnsTypeA    = 1
	dnsTypeAAAA = 28
	dnsClassIN  = 1
)

// dnsServer is a tiny authoritative DNS server on a loopback UDP port. It
// answers A and AAAA questions from answer, which may change its answers from
// one query to the next (DNS rebinding).
type dnsServer struct {
	pc     net.PacketConn
	answer func(name string, qtype uint16) []netip.Addr // nil: NXDOMAIN
}

// startDNS starts a dnsServer and stops it when the test ends.
func startDNS(t *testing.T, answer func(name string, qtype uint16) []netip.Addr) *dnsServer {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dnsServer{pc: pc, answer: answer}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp := s.respond(buf[:n]); resp != nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
	t.Cleanup(func() { pc.Close(); <-done })
	return s
}

// respond builds the reply to one query (RFC 1035 §4.1), or nil to drop it.
func (s *dnsServer) respond(q []byte) []byte {
	if len(q) < 12 || binary.BigEndian.Uint16(q[4:]) != 1 {
		return nil
	}
	// Read the question name.
	var labels []string
	i := 12
	for {
		if i >= len(q) {
			return nil
		}
		l := int(q[i])
		i++
		if l == 0 {
			break
		}
		if l > 63 || i+l > len(q) {
			return nil
		}
		labels = append(labels, string(q[i:i+l]))
		i += l
	}
	if i+4 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i:])
	question := q[12 : i+4]
	name := strings.ToLower(strings.Join(labels, "."))

	addrs := s.answer(name, qtype)
	flags := uint16(0x8000 | 0x0400 | 0x0080)        // response, authoritative, recursion available
	flags |= binary.BigEndian.Uint16(q[2:]) & 0x0100 // echo "recursion desired"
	if addrs == nil {
		flags |= 3 // NXDOMAIN
	}
	var records []netip.Addr
	for _, a := range addrs {
		if (qtype == dnsTypeA) == a.Is4() && (qtype == dnsTypeA || qtype == dnsTypeAAAA) {
			records = append(records, a)
		}
	}
	resp := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(q))
	resp = binary.BigEndian.AppendUint16(resp, flags)
	resp = binary.BigEndian.AppendUint16(resp, 1)
	resp = binary.BigEndian.AppendUint16(resp, uint16(len(records)))
	resp = binary.BigEndian.AppendUint16(resp, 0)
	resp = binary.BigEndian.AppendUint16(resp, 0)
	resp = append(resp, question...)
	for _, a := range records {
		resp = append(resp, 0xc0, 12) // the name: a pointer to the question's
		resp = binary.BigEndian.AppendUint16(resp, qtype)
		resp = binary.BigEndian.AppendUint16(resp, dnsClassIN)
		resp = binary.BigEndian.AppendUint32(resp, 0) // TTL 0: never cached
		rdata := a.AsSlice()
		resp = binary.BigEndian.AppendUint16(resp, uint16(len(rdata)))
		resp = append(resp, rdata...)
	}
	return resp
}

// resolver returns a pure-Go resolver that asks only this server.
func (s *dnsServer) resolver() *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", s.pc.LocalAddr().String())
		},
	}
}

func addrs(ss ...string) []netip.Addr {
	out := []netip.Addr{}
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

func TestDialerRefusesRebinding(t *testing.T) {
	a := listen(t, "127.0.0.1:0")

	var mu sync.Mutex
	flipQueries := 0
	records := map[string][]netip.Addr{
		"smtp.rebind.test":     addrs("127.0.0.1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"),
		"v4.rebind.test":       addrs("127.0.0.1"),
		"mapped.rebind.test":   addrs("::ffff:127.0.0.1"),
		"nat64.rebind.test":    addrs("64:ff9b::7f00:1"),
		"metadata.rebind.test": addrs("169.254.169.254", "64:ff9b::a9fe:a9fe"),
		"sixto4.rebind.test":   addrs("2002:a9fe:a9fe::"),
		"public.rebind.test":   addrs("8.8.8.8"),
	}
	dns := startDNS(t, func(name string, qtype uint16) []netip.Addr {
		if name == "flip.rebind.test" {
			// Public when someone checks, loopback when the dial looks again.
			mu.Lock()
			defer mu.Unlock()
			if qtype == dnsTypeA {
				flipQueries++
			}
			if flipQueries <= 1 {
				return addrs("8.8.8.8")
			}
			return addrs("127.0.0.1")
		}
		return records[name]
	})
	res := dns.resolver()
	ctx := context.Background()

	// The server really answers: a public name resolves to its public address.
	got, err := res.LookupNetIP(ctx, "ip4", "public.rebind.test")
	if err != nil || len(got) != 1 || got[0] != netip.MustParseAddr("8.8.8.8") {
		t.Fatalf("LookupNetIP(public.rebind.test) = %v, %v; the test DNS server does not work", got, err)
	}

	dialer := policy.Guard{}.Dialer(2*time.Second, res)
	tests := []struct {
		network, name, what string
	}{
		{"tcp", "smtp.rebind.test", ""},
		{"tcp4", "smtp.rebind.test", "127.0.0.1 is a loopback address"},
		{"tcp6", "smtp.rebind.test", "64:ff9b::7f00:1 is a NAT64 address for 127.0.0.1"},
		{"tcp", "v4.rebind.test", "127.0.0.1 is a loopback address"},
		{"tcp", "mapped.rebind.test", "127.0.0.1 is a loopback address"},
		{"tcp", "nat64.rebind.test", "NAT64 address for 127.0.0.1"},
		{"tcp", "metadata.rebind.test", "169.254.169.254"},
		{"tcp", "sixto4.rebind.test", "6to4 address for 169.254.169.254"},
	}
	for _, tt := range tests {
		c, err := dialer.DialContext(ctx, tt.network, net.JoinHostPort(tt.name, a.port()))
		if err == nil {
			c.Close()
			t.Fatalf("%s %s: dial succeeded", tt.network, tt.name)
		}
		requireDenied(t, err, tt.what)
	}

	// Rebinding: a check-then-dial guard would see 8.8.8.8 and pass; the
	// dial resolves again, gets 127.0.0.1, and the guard refuses it there.
	got, err = res.LookupNetIP(ctx, "ip4", "flip.rebind.test")
	if err != nil || len(got) != 1 || (policy.Guard{}).Check(got[0]) != nil {
		t.Fatalf("first lookup of flip.rebind.test = %v, %v; want a public address", got, err)
	}
	c, err := dialer.DialContext(ctx, "tcp4", net.JoinHostPort("flip.rebind.test", a.port()))
	if err == nil {
		c.Close()
		t.Fatal("rebinding dial succeeded")
	}
	requireDenied(t, err, "127.0.0.1 is a loopback address")

	a.requireNoAccepts(t)
}
