package policy

import (
	"math"
	"net/netip"
	"sync"
	"time"

	"github.com/smtplay/smtplay/wire"
	"golang.org/x/time/rate"
)

// Limits are the admission limits of docs/SECURITY.md, T4. A zero or negative field
// takes its default.
type Limits struct {
	SessionsPerIP   int     // concurrent sessions per client (default 3)
	NewPerMinute    int     // new sessions per client per minute (default 20), in bursts of 5 or five seconds' worth
	GlobalPerSecond float64 // new sessions per second across all clients (default 50), in bursts of twice that
}

// The defaults of Limits.
const (
	DefaultSessionsPerIP   = 3
	DefaultNewPerMinute    = 20
	DefaultGlobalPerSecond = 50
)

// minClientBurst is how many sessions one client may start back to back
// before the per-minute rate paces it; an operator who raises the rate (a
// class behind one school address) gets five seconds' worth at once.
const minClientBurst = 5

// clientBurst is the burst for a per-minute rate.
func clientBurst(perMinute int) int { return min(perMinute, max(minClientBurst, perMinute/12)) }

// sweepEvery is how often Acquire forgets idle clients.
const sweepEvery = time.Minute

// LimitError is a refusal by a Limiter: a sentence of wire.Details, written
// for a student, whose Error and Detail methods it has.
type LimitError struct {
	wire.Said
}

// Limiter admits new sessions under Limits. Clients are keyed by address; an
// IPv6 client by its /64, since one host usually holds a whole /64. It is safe
// for concurrent use, and it forgets clients that are idle with a full bucket,
// so it keeps no state for clients that have gone away.
type Limiter struct {
	limits Limits
	now    func() time.Time // the clock; time.Now outside tests

	mu        sync.Mutex
	global    *rate.Limiter
	clients   map[netip.Prefix]*client
	lastSweep time.Time
}

// client is what a Limiter remembers about one client key.
type client struct {
	active int           // sessions open now
	starts *rate.Limiter // new sessions per minute
}

// NewLimiter returns a Limiter enforcing l, with defaults for zero fields.
func NewLimiter(l Limits) *Limiter {
	if l.SessionsPerIP <= 0 {
		l.SessionsPerIP = DefaultSessionsPerIP
	}
	if l.NewPerMinute <= 0 {
		l.NewPerMinute = DefaultNewPerMinute
	}
	if l.GlobalPerSecond <= 0 {
		l.GlobalPerSecond = DefaultGlobalPerSecond
	}
	return &Limiter{
		limits:  l,
		now:     time.Now,
		global:  rate.NewLimiter(rate.Limit(l.GlobalPerSecond), max(1, int(math.Ceil(2*l.GlobalPerSecond)))),
		clients: map[netip.Prefix]*client{},
	}
}

// ClientKey is the key a client's address is counted under: the address for
// IPv4 (and IPv4-mapped IPv6), the /64 for IPv6. Invalid addresses share one
// key.
func ClientKey(ip netip.Addr) netip.Prefix {
	if !ip.IsValid() {
		return netip.Prefix{}
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return netip.PrefixFrom(ip, 32)
	}
	p, _ := ip.Prefix(64)
	return p
}

// Acquire admits a new session for ip, or returns a *LimitError saying why
// not. The caller must call release when the session ends; release may be
// called more than once.
func (l *Limiter) Acquire(ip netip.Addr) (release func(), err error) {
	key := ClientKey(ip)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweep(now)
	}
	c := l.clients[key]
	if c == nil {
		burst := clientBurst(l.limits.NewPerMinute)
		c = &client{starts: rate.NewLimiter(rate.Every(time.Minute/time.Duration(l.limits.NewPerMinute)), burst)}
	}
	switch {
	case c.active >= l.limits.SessionsPerIP:
		return nil, &LimitError{wire.Say("too-many-sessions", "n", c.active)}
	case c.starts.TokensAt(now) < 1:
		return nil, &LimitError{wire.Say("too-many-new")}
	case !l.global.AllowN(now, 1):
		return nil, &LimitError{wire.Say("busy")}
	}
	c.starts.AllowN(now, 1)
	c.active++
	l.clients[key] = c
	var once sync.Once
	return func() { once.Do(func() { l.release(key, c) }) }, nil
}

// release ends one session of the client at key.
func (l *Limiter) release(key netip.Prefix, c *client) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.active--
	if l.idle(c, l.now()) && l.clients[key] == c {
		delete(l.clients, key)
	}
}

// idle reports whether c holds nothing a fresh client would not: no open
// session and a full bucket.
func (l *Limiter) idle(c *client, now time.Time) bool {
	return c.active == 0 && c.starts.TokensAt(now) >= float64(c.starts.Burst())
}

// sweep forgets idle clients. l.mu must be held.
func (l *Limiter) sweep(now time.Time) {
	for k, c := range l.clients {
		if l.idle(c, now) {
			delete(l.clients, k)
		}
	}
	l.lastSweep = now
}
