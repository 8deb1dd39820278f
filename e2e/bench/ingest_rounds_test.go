//go:build unix

package bench

import (
	"context"
	"net/smtp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/sandbox"
)

// ingestRoundMsgs is how many messages each peer takes in one turn of
// BenchmarkIngestRounds: a tenth of a second or so for the sandbox.
const ingestRoundMsgs = 1000

// BenchmarkIngestRounds measures what BenchmarkIngest measures, with the
// same clients, message and peers, but the peers take turns. BenchmarkIngest
// runs each peer's measurements one after the other, so on a shared machine
// load that comes and goes decides the ratios between them; here each op is
// one round in which every peer takes ingestRoundMsgs messages in turn, so
// such load falls on all of them alike. The first peer of a round rotates:
// none always follows Mailpit, whose process may still be writing when the
// next turn starts. Each run reports every peer's msgs/s over all its turns
// and the ratios of that run, sandbox/discard and sandbox/mailpit, whose
// medians the goals read (goals_test.go), discard/mailpit, which caps the
// second, and the CPU time this process
// spent per message, clients included, on the discarding server and on the
// sandbox (Mailpit's is in its own process). Run it with -benchtime=10x or more
// for 10 rounds a run.
func BenchmarkIngestRounds(b *testing.B) {
	peers := []struct{ name, addr string }{
		{"discard", startDiscard(b)},
		{"sandbox", startIngestSandbox(b)},
		{"mailpit", startMailpit(b)},
	}
	if peers[2].addr == "" { // startMailpit has said why
		peers = peers[:2]
	}
	msg := bigMessage(2 << 10)
	b.Run("interleaved", func(b *testing.B) {
		clients := make([][]*smtp.Client, len(peers))
		for i, p := range peers {
			clients[i] = dialIngestClients(b, p.addr)
		}
		elapsed := make([]time.Duration, len(peers))
		cpu := make([]time.Duration, len(peers))
		b.ResetTimer()
		for round := range b.N {
			for k := range peers {
				i := (round + k) % len(peers)
				start, startCPU := time.Now(), processCPU(b)
				if err := ingestMessages(clients[i], ingestRoundMsgs, msg); err != nil {
					b.Fatalf("%s: %v", peers[i].name, err)
				}
				elapsed[i] += time.Since(start)
				cpu[i] += processCPU(b) - startCPU
			}
		}
		b.StopTimer()
		msgs := float64(b.N * ingestRoundMsgs)
		rate := make([]float64, len(peers))
		for i, p := range peers {
			rate[i] = msgs / elapsed[i].Seconds()
			b.ReportMetric(rate[i], p.name+"-msgs/s")
		}
		b.ReportMetric(rate[1]/rate[0], "sandbox/discard")
		// CPU per message, clients and server, of the peers in this
		// process: what load changes least.
		b.ReportMetric(float64(cpu[0].Nanoseconds())/msgs, "discard-cpu-ns/msg")
		b.ReportMetric(float64(cpu[1].Nanoseconds())/msgs, "sandbox-cpu-ns/msg")
		if len(peers) == 3 {
			b.ReportMetric(rate[1]/rate[2], "sandbox/mailpit")
			b.ReportMetric(rate[0]/rate[2], "discard/mailpit") // what caps the one before (goals_test.go)
		}
		b.ReportMetric(0, "ns/op") // an op is a round of all peers: its time says nothing
		for _, cs := range clients {
			for _, c := range cs {
				_ = c.Quit()
			}
		}
	})
}

// startIngestSandbox serves the sandbox on a TCP listener, with
// ingestSessions sessions per address, until the benchmark ends, and
// returns its address.
func startIngestSandbox(b *testing.B) string {
	b.Helper()
	sb, err := sandbox.New(sandbox.Config{ClientSessions: ingestSessions})
	if err != nil {
		b.Fatal(err)
	}
	ln := apptest.Listen(b)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(func() { cancel(); _ = sb.Shutdown(context.Background()) })
	if _, err := sb.ServeTCP(ctx, ln, "sandbox"); err != nil {
		b.Fatal(err)
	}
	return ln.Addr().String()
}

// dialIngestClients opens ingestClients sessions to addr, as ingest does;
// they are closed when the benchmark ends.
func dialIngestClients(b *testing.B, addr string) []*smtp.Client {
	b.Helper()
	clients := make([]*smtp.Client, ingestClients)
	for i := range clients {
		c, err := smtp.Dial(addr)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		if err := c.Hello("bench.test"); err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	return clients
}

// ingestMessages sends n messages over clients at once with ingestOne, as
// ingest does, and returns the first error.
func ingestMessages(clients []*smtp.Client, n int, msg []byte) error {
	var sent atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, len(clients))
	for i, c := range clients {
		wg.Go(func() {
			for sent.Add(1) <= int64(n) {
				if err := ingestOne(c, msg); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
