package load

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
)

// floodSize is the flood's size: short in make test, a minute at the
// README's 512 MiB in make soak (SMTPLAY_LOAD set).
type floodSize struct {
	limit    int64 // -memory-limit
	duration time.Duration
	tcpConns int // the flooder's concurrent -sandbox-smtp connections
	tunnels  int // its concurrent tunnel sessions (its -sessions-per-ip)
	message  int // bytes of each flood message
	// otherEach is how often the second address sends, each way in: two
	// ways within the 180 messages a minute an address may start (three
	// sessions of 60, proxy/sandbox/quota.go), so that a refusal it gets
	// is the flood's doing.
	otherEach time.Duration
}

func floodSizeFor() floodSize {
	if os.Getenv("SMTPLAY_LOAD") != "" {
		return floodSize{limit: 512 << 20, duration: time.Minute, tcpConns: 64, tunnels: 3, message: 2 << 20, otherEach: time.Second}
	}
	return floodSize{limit: 128 << 20, duration: 8 * time.Second, tcpConns: 8, tunnels: 3, message: 1 << 20, otherEach: 250 * time.Millisecond}
}

const refusalPause = 20 * time.Millisecond

// floodCounts are the replies the flooder got.
type floodCounts struct {
	accepted, share, rate, other atomic.Int64
}

// count counts a reply; after a refusal the flooder pauses for
// refusalPause, as a script retrying in a loop would, so the test measures
// memory and fairness rather than how fast a loaded machine answers MAIL.
func (c *floodCounts) count(reply string) {
	if !strings.HasPrefix(reply, "250 ") {
		time.Sleep(refusalPause)
	}
	switch {
	case strings.HasPrefix(reply, "250 "):
		c.accepted.Add(1)
	case strings.HasPrefix(reply, "452 4.3.1 ") && strings.Contains(reply, "your address (127.0.0.1) already fills its share"):
		c.share.Add(1)
	case strings.HasPrefix(reply, "450 4.7.1 Too many messages from your address (127.0.0.1)"):
		c.rate.Add(1)
	default:
		c.other.Add(1)
	}
}

// One address floods the sandbox through the tunnel and through
// -sandbox-smtp at the default limits, while a second address (127.0.0.2:
// Linux routes all of 127/8 to loopback) sends a small message through each
// every 250 ms. The process's resident memory, read from /proc, stays under
// -memory-limit; the flooder is told 452 4.3.1 that its address's share is
// full; every message of the second address is accepted at once.
func TestLoadFloodOneAddress(t *testing.T) {
	apptest.Short(t)
	size := floodSizeFor()
	p := startSmtplay(t, "-memory-limit", fmt.Sprint(size.limit))
	// The second address connects first: what is measured is its mail.
	smtpOther, err := dialSMTP("127.0.0.2", p.smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer smtpOther.conn.Close()
	tunnelOther, err := dialTunnel(context.Background(), "127.0.0.2", p.httpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer tunnelOther.close()

	ctx, cancel := context.WithTimeout(context.Background(), size.duration)
	defer cancel()
	var peakRSS atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() { // sample VmRSS; VmHWM is read at the end too
		for ctx.Err() == nil {
			rss, _, _ := p.memory()
			if rss > peakRSS.Load() {
				peakRSS.Store(rss)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	body := floodBody(size.message)
	var tcpFlood, tunnelFlood floodCounts
	for range size.tcpConns {
		wg.Go(func() {
			for ctx.Err() == nil {
				c, err := dialSMTP("127.0.0.1", p.smtpAddr)
				if err != nil {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				for ctx.Err() == nil {
					got, err := c.send(body)
					if err != nil {
						break
					}
					tcpFlood.count(got)
				}
				c.conn.Close()
			}
		})
	}
	for range size.tunnels {
		wg.Go(func() {
			for ctx.Err() == nil {
				c, err := dialTunnel(ctx, "127.0.0.1", p.httpAddr)
				if err != nil { // past -sessions-per-minute: wait, as a script would
					sleep(ctx, time.Second)
					continue
				}
				for ctx.Err() == nil {
					got, err := c.send(body)
					if err != nil {
						break // the byte budget ends a session: open another
					}
					tunnelFlood.count(got)
				}
				c.close()
			}
		})
	}

	// The second address, through both ways in.
	type sent struct {
		reply   string
		latency time.Duration
	}
	var otherMu sync.Mutex
	var other []sent
	otherErrs := make(chan error, 2)
	small := floodBody(2 << 10)
	each := func(name string, send func(string) (string, error)) {
		tick := time.NewTicker(size.otherEach)
		defer tick.Stop()
		for ; ctx.Err() == nil; <-tick.C {
			start := time.Now()
			got, err := send(small)
			if err != nil {
				if ctx.Err() == nil {
					otherErrs <- fmt.Errorf("%s: %v", name, err)
				}
				return
			}
			otherMu.Lock()
			other = append(other, sent{name + ": " + got, time.Since(start)})
			otherMu.Unlock()
		}
	}
	sleep(ctx, time.Second) // the flood first
	wg.Go(func() { each("-sandbox-smtp", smtpOther.send) })
	wg.Go(func() { each("tunnel", tunnelOther.send) })

	<-ctx.Done()
	wg.Wait()
	close(otherErrs)
	for err := range otherErrs {
		t.Error("second address:", err)
	}
	_, hwm, err := p.memory()
	if err != nil {
		t.Fatal(err)
	}

	var latencies []time.Duration
	refused := 0
	for _, s := range other {
		if !strings.Contains(s.reply, ": 250 ") {
			t.Errorf("second address refused: %s", s.reply)
			refused++
		}
		latencies = append(latencies, s.latency)
	}
	slices.Sort(latencies)
	if len(latencies) < 4 {
		t.Fatalf("the second address sent only %d messages", len(latencies))
	}
	median, worst := latencies[len(latencies)/2], latencies[len(latencies)-1]
	t.Logf("limit %d MiB (store %s, share per address %s); peak RSS sampled %d MiB, VmHWM %d MiB",
		size.limit>>20, p.storeCap, p.share, peakRSS.Load()>>20, hwm>>20)
	for _, f := range []struct {
		name   string
		n      int
		counts *floodCounts
	}{{"-sandbox-smtp", size.tcpConns, &tcpFlood}, {"tunnel", size.tunnels, &tunnelFlood}} {
		c := f.counts
		t.Logf("flood over %s from 127.0.0.1 through %s ×%d, %d KiB messages: %d accepted, %d × 452 4.3.1 share, %d × 450 4.7.1 rate, %d other",
			size.duration, f.name, f.n, size.message>>10, c.accepted.Load(), c.share.Load(), c.rate.Load(), c.other.Load())
		if c.other.Load() > 0 || c.share.Load()+c.rate.Load() == 0 {
			t.Errorf("through %s the flooder was not refused for its share or rate alone", f.name)
		}
	}
	t.Logf("127.0.0.2: %d messages sent, %d refused, latency median %s, worst %s", len(latencies), refused, median, worst)

	if hwm >= size.limit {
		t.Errorf("peak RSS %d MiB is over -memory-limit %d MiB", hwm>>20, size.limit>>20)
	}
	if tcpFlood.share.Load()+tunnelFlood.share.Load() == 0 {
		t.Error("the flooder was never told its share is full")
	}
	// At once: accepted when sent, not refused until the flood's mail
	// expires. The times are logged, and only checked loosely: on a shared
	// machine they measure the scheduler.
	if median > 2*time.Second {
		t.Errorf("the second address waited %s for half its messages", median)
	}
}

// floodBody is a message of about n bytes in 80-byte lines.
func floodBody(n int) string {
	line := strings.Repeat("0123456789", 7) + "abcdefgh\r\n"
	return "Subject: flood\r\n\r\n" + strings.Repeat(line, n/len(line))
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
