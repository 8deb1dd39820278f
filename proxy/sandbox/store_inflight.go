package sandbox

import (
	"io"
	"net/netip"
)

// Mail being received is memory too: DATA is read whole before it is
// stored, and then copied into the store. Reading is metered: the bytes a
// client address has in flight count in its share beside what it holds,
// and all addresses together may have at most half the storage cap in
// flight (reading n bytes costs about twice that until it is stored). So a
// flood of connections from one address cannot pass its share in flight,
// and no number of addresses can pass the process's budget.

// errReceiving is the reply when the sandbox is receiving all it may at once.
var errReceiving = smtpError(452, 4, 3, 1,
	"Insufficient system storage: the sandbox is receiving all the mail it can hold at once; message not stored; try again in a moment")

// receiving reads DATA for client, counting what it has read as in flight
// until release. A read past the address's share or the sandbox's in-flight
// cap fails with the reply to give; go-smtp then discards the rest of the
// message and gives it.
type receiving struct {
	st       *store
	key      netip.Prefix
	r        io.Reader
	read     int64 // bytes read
	reserved int64 // counted in flight: read, rounded up to a step
}

// reserveStep is how much more is counted in flight at a time, so that the
// store's lock is taken once per step rather than once per line.
const reserveStep = 64 << 10

// receive starts metering r for client. The caller must call release.
func (st *store) receive(r io.Reader, client netip.Addr) *receiving {
	return &receiving{st: st, key: clientKey(client), r: r}
}

func (d *receiving) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if n > 0 {
		if more := d.read + int64(n) - d.reserved; more > 0 {
			step, e := d.st.takeInFlight(d.key, more)
			if e != nil {
				return 0, e
			}
			d.reserved += step
		}
		d.read += int64(n)
	}
	return n, err
}

// release stops counting what was read: it is stored now, or dropped.
func (d *receiving) release() {
	d.st.mu.Lock()
	defer d.st.mu.Unlock()
	d.st.quota.inFlight(d.key, -d.reserved)
	d.read, d.reserved = 0, 0
}

// takeInFlight counts at least n more bytes in flight for key, a step
// (and at most a 64th of the storage cap) when n is less, and returns how
// many; or says why not.
func (st *store) takeInFlight(key netip.Prefix, n int64) (int64, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	q := st.quota
	step := max(n, min(reserveStep, st.maxBytes/64))
	switch {
	case q.exceeds(key, q.flying[key]+n):
		return 0, shareError(key, q.share, st.maxBytes)
	case q.flyingTotal+n > st.maxBytes/2:
		return 0, errReceiving
	}
	q.inFlight(key, step)
	return step, nil
}
