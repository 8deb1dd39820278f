package console

import (
	"net/netip"

	"github.com/smtplay/smtplay/wasm/pcapng"
	"github.com/smtplay/smtplay/wire"
)

// capture is what the proxy sent of one session's server leg (wire
// messages): kept in the page only, for the wire view and the download.
type capture struct {
	chunks    []wire.Chunk
	keyLog    []byte
	truncated bool
	reader    *wireReader
}

// SetWire says whether the next Connect asks the proxy for the bytes of its
// server leg (the wire view). The session open now is not changed.
func (c *Console) SetWire(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wireOn = on
}

// wireLocked keeps one wire message and tells the view what it adds.
func (c *Console) wireLocked(m *wire.Wire) {
	if c.capture == nil {
		c.capture = &capture{reader: newWireReader()}
	}
	cp := c.capture
	up := &WireUpdate{Items: []WireItem{}, Truncated: m.Truncated}
	for _, ch := range m.Chunks {
		cp.chunks = append(cp.chunks, ch)
		up.Items = append(up.Items, cp.reader.read(ch)...)
	}
	cp.keyLog = append(cp.keyLog, m.KeyLog...)
	cp.truncated = cp.truncated || m.Truncated
	up.KeyLog = len(cp.keyLog) > 0
	c.pushLocked(Event{Type: EventWire, Wire: up})
}

// Capture returns the session's server leg as a pcapng file, with the TLS
// key log inside it when the proxy sent one (sandbox only), and false when
// the proxy sent no wire message in this session. The file holds what was
// typed, credentials included: the page says so before it saves it.
func (c *Console) Capture() ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.capture == nil {
		return nil, false
	}
	o := pcapng.Options{KeyLog: c.capture.keyLog, Closed: c.status == StatusClosed}
	if c.opened != nil {
		server, _ := netip.ParseAddrPort(c.opened.Remote) // "sandbox": the default address
		o.Server = netip.AddrPortFrom(server.Addr(), uint16(c.opened.Port))
	}
	return pcapng.Build(c.capture.chunks, o), true
}

// KeyLog returns the session's TLS key log (NSS key log format), which the
// proxy sends for a sandbox session only; "" when there is none.
func (c *Console) KeyLog() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.capture == nil {
		return ""
	}
	return string(c.capture.keyLog)
}
