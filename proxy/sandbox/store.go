package sandbox

import (
	"crypto/rand"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// storedMessage is one stored message. It does not change once stored.
type storedMessage struct {
	id       string
	from     string
	to       []string
	subject  string
	size     int // DATA bytes, without trace headers
	received time.Time
	raw      []byte // trace headers, then DATA exactly as received, dot-unstuffed
	lead     int    // bytes of raw's allocation before raw (traceRoom the trace left)

	// Set when stored: whose share it counts in, and what it costs
	// (store_cost.go).
	owner  netip.Prefix
	memory int64
}

// mailbox holds the messages of one token. Its fields are guarded by the
// store's lock.
type mailbox struct {
	token    string
	msgs     []*storedMessage // oldest first
	lastUsed time.Time
	users    int // open connections and ServeTCP listeners
}

// store keeps every mailbox, in memory, within the configured caps and
// each client address's share (quota.go).
type store struct {
	maxMessages int
	maxBytes    int64
	idle        time.Duration
	now         func() time.Time

	mu        sync.Mutex
	boxes     map[string]*mailbox
	quota     *quotas
	total     int64  // memory the messages of all mailboxes take (store_cost.go)
	accepted  uint64 // messages accepted since start (reports not counted)
	lastSweep time.Time
}

// sweepEvery bounds how often expired mailboxes are looked for. There is no
// janitor goroutine: the store sweeps when it is used.
const sweepEvery = time.Second

var errStoreFullInternal = errors.New("sandbox: storage cap reached")

func newStore(cfg Config, now func() time.Time) *store {
	return &store{
		maxMessages: cfg.MaxMessages,
		maxBytes:    cfg.MaxStoredBytes,
		idle:        cfg.MailboxIdle,
		now:         now,
		boxes:       make(map[string]*mailbox),
		quota:       newQuotas(cfg.MaxStoredBytes, cfg.ClientSessions),
	}
}

// attach returns the mailbox named token, or a new one if there is none,
// and counts one more user of it.
func (st *store) attach(token string) *mailbox {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	st.sweepLocked(now, false)
	b, ok := st.boxes[token]
	if !ok {
		b = &mailbox{token: newToken()}
		st.boxes[b.token] = b
	}
	b.users++
	b.lastUsed = now
	return b
}

// detach counts one user less; the idle clock starts now.
func (st *store) detach(b *mailbox) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b.users--
	b.lastUsed = st.now()
}

// admit decides whether client may start a message: it is answered at
// MAIL when its address is past its message rate, holds its whole share
// (counting what it is sending now, store_inflight.go), or the store is
// full.
func (st *store) admit(client netip.Addr) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	now, key, q := st.now(), clientKey(client), st.quota
	if !q.startMessage(key, now) {
		return rateError(key, q.perMinute)
	}
	if !q.exceeds(key, q.flying[key]+1) && st.total < st.maxBytes {
		return nil
	}
	st.sweepLocked(now, true)
	switch {
	case q.exceeds(key, q.flying[key]+1):
		return shareError(key, q.share, st.maxBytes)
	case st.total >= st.maxBytes:
		return errStoreFull
	}
	return nil
}

// add stores in b what one accepted message from client produces: the
// message itself and the delivery reports made about it (dsn.go), oldest
// first; ms may be empty when every recipient bounced and no report was
// asked for. It stores all of them or none, removing the mailbox's oldest
// messages past the per-mailbox cap, and returns how many it removed. It
// fails when they do not fit client's share or the storage cap.
func (st *store) add(b *mailbox, ms []*storedMessage, client netip.Addr) (dropped int, err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now, key, q := st.now(), clientKey(client), st.quota
	for _, m := range ms {
		m.owner, m.memory = key, m.cost()
	}
	old := len(b.msgs)
	cut := max(0, old+len(ms)-st.maxMessages)
	// The mailbox's own oldest messages, removed to make room, count as
	// free; of the new ones, those past the cap are not kept at all.
	freed, kept := b.msgs[:min(cut, old)], ms[max(0, cut-old):]
	var in, out, ownOut int64
	for _, m := range kept {
		in += m.memory
	}
	for _, m := range freed {
		out += m.memory
		if m.owner == key {
			ownOut += m.memory
		}
	}
	fits := func() error {
		switch {
		case q.exceeds(key, in-ownOut):
			return shareError(key, q.share, st.maxBytes)
		case st.total-out+in > st.maxBytes:
			return errStoreFull
		}
		return nil
	}
	if fits() != nil {
		st.sweepLocked(now, true) // cannot touch b: it is in use
	}
	if err := fits(); err != nil {
		return 0, err
	}
	for _, m := range freed {
		q.charge(m.owner, -m.memory)
	}
	q.charge(key, in)
	// The window moves along its array, which append renews now and then:
	// no copy of the whole mailbox for every message.
	clear(freed)
	b.msgs = append(b.msgs[len(freed):], kept...)
	st.total += in - out
	st.accepted++
	b.lastUsed = now
	return cut, nil
}

// list returns the messages of token, newest first, and whether the mailbox
// exists. Reading counts as using the mailbox.
func (st *store) list(token string) ([]*storedMessage, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b, ok := st.lookupLocked(token)
	if !ok {
		return nil, false
	}
	out := make([]*storedMessage, len(b.msgs))
	for i, m := range b.msgs {
		out[len(out)-1-i] = m
	}
	return out, true
}

// get returns one message; mailboxOK tells a missing mailbox from a missing
// message.
func (st *store) get(token, id string) (m *storedMessage, mailboxOK bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b, ok := st.lookupLocked(token)
	if !ok {
		return nil, false
	}
	for _, m := range b.msgs {
		if m.id == id {
			return m, true
		}
	}
	return nil, true
}

func (st *store) lookupLocked(token string) (*mailbox, bool) {
	now := st.now()
	st.sweepLocked(now, false)
	b, ok := st.boxes[token]
	if ok {
		b.lastUsed = now
	}
	return b, ok
}

// sweepLocked removes mailboxes nobody uses that have been idle too long.
func (st *store) sweepLocked(now time.Time, force bool) {
	if !force && now.Sub(st.lastSweep) < sweepEvery {
		return
	}
	st.lastSweep = now
	for token, b := range st.boxes {
		if b.users == 0 && now.Sub(b.lastUsed) > st.idle {
			for _, m := range b.msgs {
				st.total -= m.memory
				st.quota.charge(m.owner, -m.memory)
			}
			delete(st.boxes, token)
		}
	}
	st.quota.forgetIdle(now)
}

// Stats is what the sandbox holds now, for metrics.
type Stats struct {
	Mailboxes   int    // mailboxes kept
	StoredBytes int64  // memory the mail kept takes, across all mailboxes (store_cost.go)
	Accepted    uint64 // messages accepted since start
}

// Stats reports what the sandbox holds now.
func (s *Sandbox) Stats() Stats {
	st := s.store
	st.mu.Lock()
	defer st.mu.Unlock()
	return Stats{Mailboxes: len(st.boxes), StoredBytes: st.total, Accepted: st.accepted}
}

// newToken makes a mailbox token: 128 random bits, URL-safe.
func newToken() string { return strings.ToLower(rand.Text()) }

// newMessageID makes a message id in the style of a queue id.
func newMessageID() string {
	const digits = "0123456789ABCDEF"
	var b [6]byte
	rand.Read(b[:])
	id := make([]byte, 0, 2*len(b))
	for _, c := range b {
		id = append(id, digits[c>>4], digits[c&15])
	}
	return string(id)
}
