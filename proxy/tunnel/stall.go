package tunnel

import (
	"sync"
	"sync/atomic"
	"time"
)

// A write that blocks for good, to a server or a browser that stopped
// reading, must not hold a session forever. A deadline per write would
// bound it, but every deadline is a new runtime timer, and adding one to
// an idle processor's timers wakes an idle thread: a context switch or two
// per round trip, a third of a NOOP's time through the tunnel. A
// writeGuard instead notes when each write begins, and one timer, armed
// while writes go on, looks at the write in progress now and then; one
// that has lasted its limit is unblocked by closing what it writes to.

// writeGuard bounds how long one write may block. Writes are serialised
// by the caller: at most one is in progress.
type writeGuard struct {
	limit time.Duration
	stall func() // unblocks the write in progress: closes what it writes to

	begun atomic.Int64 // unix nanoseconds when the write in progress began; 0: none
	armed atomic.Bool  // the timer will run check

	mu      sync.Mutex // guards timer and stopped
	timer   *time.Timer
	stopped bool
}

func newWriteGuard(limit time.Duration, stall func()) *writeGuard {
	return &writeGuard{limit: limit, stall: stall}
}

// begin notes that a write begins now, and returns now in unix nanoseconds.
func (g *writeGuard) begin() int64 {
	now := time.Now().UnixNano()
	g.begun.Store(now)
	if !g.armed.Load() {
		g.arm(g.limit)
	}
	return now
}

// end notes that the write in progress has returned.
func (g *writeGuard) end() { g.begun.Store(0) }

// arm makes the timer run check in d, unless it is armed already.
func (g *writeGuard) arm(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped || g.armed.Load() {
		return
	}
	g.armed.Store(true)
	if g.timer == nil {
		g.timer = time.AfterFunc(d, g.check)
	} else {
		g.timer.Reset(d)
	}
}

// check runs on the timer: it stalls a write that has lasted the limit,
// looks again when the one in progress will have, and lets the timer rest
// when no write is in progress. begin stores begun before it reads armed,
// and check clears armed before it reads begun, so a write that begins
// meanwhile is seen by one of them, which arms the timer again.
func (g *writeGuard) check() {
	g.armed.Store(false)
	begun := g.begun.Load()
	if begun == 0 {
		return // the next write arms the timer
	}
	if left := g.limit - time.Since(time.Unix(0, begun)); left > 0 {
		g.arm(left)
		return
	}
	g.stall()
}

// stop lets go of the timer for good: the session is over.
func (g *writeGuard) stop() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stopped = true
	if g.timer != nil {
		g.timer.Stop()
	}
}
