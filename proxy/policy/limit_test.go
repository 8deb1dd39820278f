package policy

import (
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestLimiter(l Limits) (*Limiter, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	lim := NewLimiter(l)
	lim.now = clock.now
	return lim, clock
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

func mustAcquire(t *testing.T, l *Limiter, a netip.Addr) func() {
	t.Helper()
	release, err := l.Acquire(a)
	if err != nil {
		t.Fatalf("Acquire(%s): %v", a, err)
	}
	return release
}

func refused(t *testing.T, l *Limiter, a netip.Addr, want string) {
	t.Helper()
	release, err := l.Acquire(a)
	var le *LimitError
	if !errors.As(err, &le) {
		if release != nil {
			release()
		}
		t.Fatalf("Acquire(%s) = %v, want a *LimitError", a, err)
	}
	if release != nil {
		t.Errorf("Acquire(%s) refused but returned a release func", a)
	}
	if !strings.Contains(le.English(), want) || le.Error() != le.English() || le.Detail().Key == "" {
		t.Fatalf("Acquire(%s) message %q, want it to say %q", a, le.English(), want)
	}
}

func TestLimiterDefaults(t *testing.T) {
	l := NewLimiter(Limits{})
	if l.limits != (Limits{SessionsPerIP: 3, NewPerMinute: 20, GlobalPerSecond: 50}) {
		t.Errorf("defaults = %+v", l.limits)
	}
	if l.global.Burst() != 100 {
		t.Errorf("global burst = %d, want 100", l.global.Burst())
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l, _ := newTestLimiter(Limits{})
	a := ip("198.51.100.7")
	r1 := mustAcquire(t, l, a)
	mustAcquire(t, l, a)
	mustAcquire(t, l, a)
	refused(t, l, a, "you already have as many sessions open here as allowed (3); close one first")
	mustAcquire(t, l, ip("198.51.100.8")) // someone else is not affected

	r1()
	r1() // idempotent: frees one session, not two
	mustAcquire(t, l, a)
	refused(t, l, a, "close one first")
	// The IPv4-mapped form is the same client.
	refused(t, l, ip("::ffff:198.51.100.7"), "close one first")
}

func TestLimiterPerMinute(t *testing.T) {
	l, clock := newTestLimiter(Limits{SessionsPerIP: 100, NewPerMinute: 20})
	a := ip("203.0.113.5")
	for i := 0; i < minClientBurst; i++ {
		mustAcquire(t, l, a)() // open and close at once: only the rate counts
	}
	refused(t, l, a, "too many new sessions from your address; wait a minute")
	clock.advance(2 * time.Second)
	refused(t, l, a, "wait a minute")
	clock.advance(time.Second) // 20 a minute: one every 3 seconds
	mustAcquire(t, l, a)()
	refused(t, l, a, "wait a minute")
	mustAcquire(t, l, ip("203.0.113.6"))() // per client
	clock.advance(time.Minute)
	for i := 0; i < minClientBurst; i++ {
		mustAcquire(t, l, a)()
	}
	refused(t, l, a, "wait a minute")
}

func TestLimiterSmallRateBurst(t *testing.T) {
	l, _ := newTestLimiter(Limits{SessionsPerIP: 100, NewPerMinute: 2})
	a := ip("203.0.113.5")
	mustAcquire(t, l, a)
	mustAcquire(t, l, a)
	refused(t, l, a, "wait a minute")
}

func TestLimiterIPv6Slash64(t *testing.T) {
	l, _ := newTestLimiter(Limits{})
	mustAcquire(t, l, ip("2001:db8:1:2::1"))
	mustAcquire(t, l, ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))
	mustAcquire(t, l, ip("2001:db8:1:2:1234::9%eth0"))
	refused(t, l, ip("2001:db8:1:2::99"), "close one first")
	mustAcquire(t, l, ip("2001:db8:1:3::1")) // the next /64 is someone else
	if got := len(l.clients); got != 2 {
		t.Errorf("%d client keys, want 2", got)
	}
}

func TestLimiterUnknownAddress(t *testing.T) {
	// Requests whose address is unknown share one key, so they cannot
	// escape the limits.
	l, _ := newTestLimiter(Limits{})
	for i := 0; i < 3; i++ {
		mustAcquire(t, l, netip.Addr{})
	}
	refused(t, l, netip.Addr{}, "close one first")
}

func TestLimiterGlobal(t *testing.T) {
	// Global burst 2; one new session per client per minute, burst 1.
	l, clock := newTestLimiter(Limits{GlobalPerSecond: 1, NewPerMinute: 1})
	mustAcquire(t, l, ip("192.0.2.1"))
	mustAcquire(t, l, ip("192.0.2.2"))
	refused(t, l, ip("192.0.2.3"), "the playground is very busy right now; try again in a few seconds")
	for i := 0; i < 3; i++ {
		refused(t, l, ip("192.0.2.4"), "busy")
	}
	// A second later the global bucket has a token again; the client's own
	// single token must still be there: global refusals cost it nothing.
	clock.advance(time.Second)
	mustAcquire(t, l, ip("192.0.2.4"))
	clock.advance(time.Second)
	refused(t, l, ip("192.0.2.4"), "wait a minute")
}

func TestLimiterForgetsIdleClients(t *testing.T) {
	l, clock := newTestLimiter(Limits{GlobalPerSecond: 1e6})
	const n = 1000
	var releases []func()
	for i := 0; i < n; i++ {
		releases = append(releases, mustAcquire(t, l, netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), byte(i)})))
	}
	if got := len(l.clients); got != n {
		t.Fatalf("%d clients, want %d", got, n)
	}
	// Released but with a token spent: still remembered, or a client could
	// dodge the rate by closing sessions.
	for _, r := range releases[:n/2] {
		r()
	}
	if got := len(l.clients); got != n {
		t.Fatalf("after release, %d clients, want %d", got, n)
	}
	// Once the bucket is full again, a release forgets the client at once.
	clock.advance(time.Minute)
	for _, r := range releases[n/2:] {
		r()
	}
	if got := len(l.clients); got != n/2 {
		t.Fatalf("after release with full buckets, %d clients, want %d", got, n/2)
	}
	// The next Acquire sweeps the rest.
	mustAcquire(t, l, ip("192.0.2.200"))
	if got := len(l.clients); got != 1 {
		t.Fatalf("after the sweep, %d clients, want 1", got)
	}
	// The sweep keeps clients with open sessions or spent tokens.
	clock.advance(sweepEvery)
	mustAcquire(t, l, ip("192.0.2.201"))
	if got := len(l.clients); got != 2 {
		t.Fatalf("after a second sweep, %d clients, want 2 (both busy)", got)
	}
}

func TestLimiterRefusedLeavesNoState(t *testing.T) {
	l, _ := newTestLimiter(Limits{GlobalPerSecond: 1}) // burst 2
	mustAcquire(t, l, ip("192.0.2.1"))
	mustAcquire(t, l, ip("192.0.2.2"))
	for i := 0; i < 100; i++ {
		refused(t, l, netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), "busy")
	}
	if got := len(l.clients); got != 2 {
		t.Fatalf("%d clients after refusals, want 2", got)
	}
}

func TestLimiterParallel(t *testing.T) {
	l := NewLimiter(Limits{SessionsPerIP: 3, NewPerMinute: 1000, GlobalPerSecond: 1e6})
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		open    = map[int]int{}
		maxOpen = map[int]int{}
	)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			client := g % 4
			a := netip.MustParseAddr(fmt.Sprintf("2001:db8:%d::%d", client, g))
			for i := 0; i < 200; i++ {
				release, err := l.Acquire(a)
				if err != nil {
					continue
				}
				mu.Lock()
				open[client]++
				maxOpen[client] = max(maxOpen[client], open[client])
				mu.Unlock()
				runtime.Gosched()
				mu.Lock()
				open[client]--
				mu.Unlock()
				release()
				release()
			}
		}(g)
	}
	wg.Wait()
	for c, m := range maxOpen {
		if m > 3 {
			t.Errorf("client %d had %d sessions at once, limit 3", c, m)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, c := range l.clients {
		if c.active != 0 {
			t.Errorf("client %s: %d sessions still counted after all were released", k, c.active)
		}
	}
}

func TestClientBurst(t *testing.T) {
	for perMinute, want := range map[int]int{1: 1, 3: 3, 20: 5, 60: 5, 120: 10, 1200: 100} {
		if got := clientBurst(perMinute); got != want {
			t.Errorf("clientBurst(%d) = %d, want %d", perMinute, got, want)
		}
	}
}
