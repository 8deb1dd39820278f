//go:build unix

package bench

// Benchmarks against peers, for `make bench` . Every
// benchmark has sub-benchmarks, and the first one is the baseline the others
// are compared with: TestBenchSummary (summary_test.go) prints the
// medians of the runs as ratios to it. Everything runs on loopback.
//
//   - NOOP: one NOOP round trip on an open session.
//   - NOOPReal: the same to a real server (discard_test.go), allowed in lab mode.
//   - DATA: one 25 MiB message, from connect to QUIT (MB/s).
//   - Ingest: messages per second into the sandbox's TCP listener, against
//     a go-smtp server that discards and Mailpit.
//   - IdleSessions (idle_test.go): memory per idle session.
//
// The peers of NOOP and DATA all reach the same sandbox:
//
//	tcp           direct TCP to the sandbox's listener (the baseline)
//	websockify    Debian's websockify in front of that listener
//	smtplay-pipe  websocket → tunnel → the in-process sandbox, as the page does
//	smtplay-tcp   websocket → tunnel → the TCP listener, through an operator
//	              entry (-allow-private): the same hops as websockify
//
// NOOPReal's peers reach a go-smtp server that discards, on loopback:
//
//	tcp           direct TCP to it (the baseline)
//	websockify    websockify in front of it
//	smtplay       websocket → tunnel → it, allowed with -allow-private -allow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/proxy/server"
	"github.com/smtplay/smtplay/wire"
)

// benchArgs lift the per-client limits, which one benchmarking address
// would otherwise hit at once, and the byte budget, for DATA.
var benchArgs = []string{
	"-sessions-per-ip", "100000", "-sessions-per-minute", "1000000",
	"-sessions-per-second", "100000", "-byte-budget", "1073741824",
}

// benchEnv is smtplay serving on loopback, its sandbox also on a TCP
// listener, and websockify in front of that listener.
type benchEnv struct {
	tunnelURL  string // ws://…/tunnel
	smtpAddr   string // the sandbox's TCP listener
	websockify string // ws:// URL of websockify, "" when it is not installed
	mailbox    string // the mailbox smtplay-pipe sessions share, once known
	real       string // the discarding server (discard_test.go)
	realWS     string // websockify in front of it, "" when it is not installed
}

// newBenchEnv starts smtplay with benchArgs; cfg configures its sandbox,
// for limits smtplay has no flag for.
func newBenchEnv(b *testing.B, cfg sandbox.Config) *benchEnv {
	b.Helper()
	smtpLn, tunnelLn := apptest.Listen(b), apptest.Listen(b)
	real := startDiscard(b)
	args := append([]string{"-allow-private", "-allow", smtpLn.Addr().String(), "-allow", real}, benchArgs...)
	f, err := server.ParseFlags(args)
	if err != nil {
		b.Fatal(err)
	}
	f.Sandbox = cfg
	a, err := server.New(f.Options)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := a.ServeSandboxSMTP(ctx, smtpLn); err != nil {
		b.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, tunnelLn) }() // shuts the sandbox down too
	b.Cleanup(func() { cancel(); <-served })
	e := &benchEnv{tunnelURL: "ws://" + tunnelLn.Addr().String() + "/tunnel", smtpAddr: smtpLn.Addr().String(), real: real}
	e.websockify = startWebsockify(b, e.smtpAddr)
	e.realWS = startWebsockify(b, real)
	return e
}

// startWebsockify runs `websockify 127.0.0.1:PORT target` until the
// benchmark ends and returns its URL, or "" when it is not installed.
func startWebsockify(b *testing.B, target string) string {
	path, err := exec.LookPath("websockify")
	if err != nil {
		b.Logf("websockify is not installed (apt-get install websockify): its comparisons are skipped")
		return ""
	}
	ln := apptest.Listen(b)
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(path, addr, target)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // it forks per connection: stop them all
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	url := "ws://" + addr + "/"
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := dialWebsockify(context.Background(), url); err == nil {
			c.Close()
			return url
		} else if time.Now().After(deadline) {
			b.Fatalf("websockify did not start: %v", err)
		}
	}
}

// smtpClient is one SMTP session to the sandbox, by any peer.
type smtpClient interface {
	// send writes p in one write: one binary frame on a websocket.
	send(p []byte) error
	// reply reads one reply and returns its last line, valid until the next call.
	reply() ([]byte, error)
	Close() error
}

// expect reads one reply and checks its code.
func expect(c smtpClient, code string) error {
	line, err := c.reply()
	if err == nil && !bytes.HasPrefix(line, []byte(code)) {
		err = fmt.Errorf("got %q, want %s", line, code)
	}
	return err
}

// peer is one way to reach the sandbox; dial returns after the greeting.
type peer struct {
	name string
	dial func(ctx context.Context) (smtpClient, error)
}

// peers lists the ways to the sandbox, the baseline (direct TCP) first.
func (e *benchEnv) peers() []peer {
	pipe := func(ctx context.Context) (smtpClient, error) {
		c, opened, err := dialTunnel(ctx, e.tunnelURL, wire.Open{Target: "sandbox", Mailbox: e.mailbox})
		if err == nil {
			e.mailbox = opened.Mailbox // one mailbox for all, within the store's caps
		}
		return c, err
	}
	viaTCP := func(ctx context.Context) (smtpClient, error) {
		host, port, _ := net.SplitHostPort(e.smtpAddr)
		p, _ := strconv.Atoi(port)
		c, _, err := dialTunnel(ctx, e.tunnelURL, wire.Open{Host: host, Port: p})
		return c, err
	}
	return []peer{
		{"tcp", func(ctx context.Context) (smtpClient, error) { return dialTCP(ctx, e.smtpAddr) }},
		{"websockify", func(ctx context.Context) (smtpClient, error) {
			if e.websockify == "" {
				return nil, errNoWebsockify
			}
			return dialWebsockify(ctx, e.websockify)
		}},
		{"smtplay-pipe", pipe},
		{"smtplay-tcp", viaTCP},
	}
}

// realPeers lists the ways to the discarding server, direct TCP first.
func (e *benchEnv) realPeers() []peer {
	return []peer{
		{"tcp", func(ctx context.Context) (smtpClient, error) { return dialTCP(ctx, e.real) }},
		{"websockify", func(ctx context.Context) (smtpClient, error) {
			if e.realWS == "" {
				return nil, errNoWebsockify
			}
			return dialWebsockify(ctx, e.realWS)
		}},
		{"smtplay", func(ctx context.Context) (smtpClient, error) {
			host, port, _ := net.SplitHostPort(e.real)
			p, _ := strconv.Atoi(port)
			c, _, err := dialTunnel(ctx, e.tunnelURL, wire.Open{Host: host, Port: p})
			return c, err
		}},
	}
}

var errNoWebsockify = errors.New("websockify is not installed")

// dialPeer dials p, skipping the benchmark when p is websockify and missing.
func dialPeer(b *testing.B, p peer) smtpClient {
	b.Helper()
	c, err := p.dial(context.Background())
	if errors.Is(err, errNoWebsockify) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatalf("%s: %v", p.name, err)
	}
	return c
}

// BenchmarkNOOP measures one NOOP round trip on an open session to the
// sandbox (ns/op), and the CPU time this process spent on it (cpu-ns/op:
// client, proxy and server; not websockify's own process). On a busy
// machine the time mostly says how much of the CPUs the process got: the
// CPU time says what a round trip costs.
func BenchmarkNOOP(b *testing.B) {
	e := newBenchEnv(b, sandbox.Config{})
	for _, p := range e.peers() {
		b.Run(p.name, func(b *testing.B) { noopLoop(b, p) })
	}
}

// BenchmarkNOOPReal measures one NOOP round trip on an open session to a
// real server on loopback, the discarding go-smtp server (ns/op).
func BenchmarkNOOPReal(b *testing.B) {
	e := newBenchEnv(b, sandbox.Config{})
	for _, p := range e.realPeers() {
		b.Run(p.name, func(b *testing.B) { noopLoop(b, p) })
	}
}

func noopLoop(b *testing.B, p peer) {
	c := dialPeer(b, p)
	defer c.Close()
	if err := c.send([]byte("EHLO bench.test\r\n")); err != nil {
		b.Fatal(err)
	}
	if err := expect(c, "250"); err != nil {
		b.Fatal(err)
	}
	noop := []byte("NOOP\r\n")
	cpu := processCPU(b)
	for b.Loop() {
		if err := c.send(noop); err != nil {
			b.Fatal(err)
		}
		if err := expect(c, "250"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
}

// dataSize is the size of DATA's message.
const dataSize = 25 << 20

// BenchmarkDATA measures one 25 MiB message, from connect to the reply to
// QUIT, in frames of at most 64 KiB of whole lines, the contract's limit,
// sent the same way to every peer (MB/s of message bytes), by a client
// that writes each frame in one piece, as a browser does (wsclient_test.go).
// It reports the CPU time this process spent per message too (cpu-ns/op:
// client, proxy and sandbox together), which a busy machine disturbs far
// less than the rate; websockify's own process is not counted in it.
//
// One sub-benchmark per peer measures that peer alone, one after another,
// so on a shared machine a few seconds of someone else's load can decide a
// ratio of two of them. The last sub-benchmark, interleaved, is the fair
// comparison: each of its rounds sends one message through every peer in
// turn (in reverse order every other round, so a drift in load favours
// none), takes each peer's ratio to direct TCP within the round, neighbours
// in time, and reports the median over its rounds (dataRoundsPerOp to an
// op): PEER-rate/tcp, the peer's rate ÷ direct TCP's (as MB/s compares,
// higher is better), and PEER-cpu/tcp, the process's CPU time for the
// peer's message ÷ for TCP's (lower is better; websockify's own process is
// not counted).
func BenchmarkDATA(b *testing.B) {
	// The sandbox's SIZE is 10 MiB by default, and there is no flag for it.
	// One message per mailbox keeps the store within its 256 MiB.
	e := newBenchEnv(b, sandbox.Config{MaxMessageBytes: 32 << 20, MaxMessages: 1})
	msg := bigMessage(dataSize)
	frames := lineFrames(append(msg, ".\r\n"...), wire.MaxMessage)
	// Every peer sends one message before any is measured: the process's
	// warm-up (the heap grows, pools fill) is then paid by none of them,
	// and every mailbox already holds the one message it keeps, so the
	// live heap, which paces the garbage collector, is the same for all.
	for _, p := range e.peers() {
		c, err := p.dial(context.Background())
		if errors.Is(err, errNoWebsockify) {
			continue
		}
		if err == nil {
			err = sendMessage(c, frames)
			c.Close()
		}
		if err != nil {
			b.Fatalf("warm-up, %s: %v", p.name, err)
		}
	}
	for _, p := range e.peers() {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(msg)))
			cpu := processCPU(b)
			for b.Loop() {
				c := dialPeer(b, p)
				if err := sendMessage(c, frames); err != nil {
					b.Fatalf("%s: %v", p.name, err)
				}
				c.Close()
			}
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
	b.Run("interleaved", func(b *testing.B) { dataRounds(b, e.peers(), frames) })
}

// dataRoundsPerOp is how many rounds one op of the interleaved benchmark
// runs. A round takes about a third of a second, so at the default
// -benchtime one op is all that fits: a median of ten rounds per run, not
// of the three or four a second holds, one of which a garbage collection
// at the wrong moment could decide.
const dataRoundsPerOp = 10

// dataRounds sends one message through every peer per round and reports the
// median ratios to the first peer, direct TCP (BenchmarkDATA).
func dataRounds(b *testing.B, peers []peer, frames [][]byte) {
	rate := map[string][]float64{} // peer → its rate ÷ the baseline's, per round
	cpu := map[string][]float64{}  // peer → its CPU time ÷ the baseline's, per round
	round := 0
	for b.Loop() {
		for range dataRoundsPerOp {
			order := slices.Clone(peers)
			if round%2 == 1 {
				slices.Reverse(order)
			}
			round++
			took, used := dataRound(b, order, frames)
			base := peers[0].name
			for name := range took {
				if name != base {
					rate[name] = append(rate[name], took[base].Seconds()/took[name].Seconds())
					cpu[name] = append(cpu[name], used[name].Seconds()/used[base].Seconds())
				}
			}
		}
	}
	for _, p := range peers[1:] {
		if len(rate[p.name]) > 0 {
			b.ReportMetric(median(rate[p.name]), p.name+"-rate/"+peers[0].name)
			b.ReportMetric(median(cpu[p.name]), p.name+"-cpu/"+peers[0].name)
		}
	}
}

// dataRound sends one message through each peer, in order, and returns
// how long each took and the process's CPU time it used.
func dataRound(b *testing.B, order []peer, frames [][]byte) (took, used map[string]time.Duration) {
	took, used = map[string]time.Duration{}, map[string]time.Duration{}
	for _, p := range order {
		c, err := p.dial(context.Background())
		if errors.Is(err, errNoWebsockify) {
			continue
		}
		start, cpu0 := time.Now(), processCPU(b)
		if err == nil {
			err = sendMessage(c, frames)
			c.Close()
		}
		if err != nil {
			b.Fatalf("%s: %v", p.name, err)
		}
		took[p.name], used[p.name] = time.Since(start), processCPU(b)-cpu0
	}
	return took, used
}

// processCPU is the CPU time, user and system, the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sendMessage sends one message whose content, final dot included, is in
// frames, and then QUIT.
func sendMessage(c smtpClient, frames [][]byte) error {
	steps := []struct{ send, want string }{
		{"EHLO bench.test\r\n", "250"},
		{"MAIL FROM:<bench@example.org>\r\nRCPT TO:<inbox@example.org>\r\nDATA\r\n", "250"},
		{"", "250"},
		{"", "354"},
	}
	for _, s := range steps {
		if s.send != "" {
			if err := c.send([]byte(s.send)); err != nil {
				return err
			}
		}
		if err := expect(c, s.want); err != nil {
			return err
		}
	}
	for _, f := range frames {
		if err := c.send(f); err != nil {
			return err
		}
	}
	if err := expect(c, "250"); err != nil {
		return fmt.Errorf("end of data: %w", err)
	}
	if err := c.send([]byte("QUIT\r\n")); err != nil {
		return err
	}
	return expect(c, "221")
}

// bigMessage is a message of at least size bytes: a few headers, then
// base64-like lines of 76 characters, as an attachment is sent.
func bigMessage(size int) []byte {
	m := bytes.NewBufferString("From: <bench@example.org>\r\nTo: <inbox@example.org>\r\nSubject: 25 MiB\r\n" +
		"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	line := make([]byte, 0, 78)
	for i := 0; m.Len() < size; i++ {
		line = line[:0]
		for j := range 76 {
			line = append(line, alphabet[(i+j)%len(alphabet)])
		}
		m.Write(append(line, "\r\n"...))
	}
	return m.Bytes()
}

// lineFrames cuts p, which is whole CRLF lines, into frames of whole lines
// of at most max bytes each.
func lineFrames(p []byte, max int) [][]byte {
	var frames [][]byte
	for len(p) > 0 {
		n := len(p)
		if n > max {
			n = bytes.LastIndexByte(p[:max], '\n') + 1
		}
		frames = append(frames, p[:n])
		p = p[n:]
	}
	return frames
}

// ingestClients is how many clients BenchmarkIngest runs at once.
const ingestClients = 8

// ingestSessions is the sandbox's sessions per client address in
// BenchmarkIngest: 60 Mi messages a minute.
const ingestSessions = 1 << 20

// BenchmarkIngest measures how many messages per second a server takes on
// its TCP listener from 8 clients at once, each on its own connection with
// net/smtp; the message is 2 KiB. The baseline is the go-smtp server that
// discards (discard_test.go), the most an SMTP server in Go does here; the
// peers are the sandbox (-sandbox-smtp, storing every message) and Mailpit
// (ingest_test.go), a mail catcher that stores too. Mailpit is skipped when
// it is not installed. All clients come from one address, so the sandbox is
// given ingestSessions sessions per address: its message rate per address
// (60 a minute per session, quota.go) must not be what is measured.
func BenchmarkIngest(b *testing.B) {
	sandboxAddr := startIngestSandbox(b)
	discard := startDiscard(b)
	mailpit := startMailpit(b)
	msg := bigMessage(2 << 10)
	for _, p := range []struct{ name, addr string }{
		{"go-smtp-discard", discard},
		{"smtplay-sandbox", sandboxAddr},
		{"mailpit", mailpit},
	} {
		b.Run(p.name, func(b *testing.B) {
			if p.addr == "" {
				b.Skip("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
			}
			ingest(b, p.addr, msg)
		})
	}
}

// ingest sends b.N messages to addr from ingestClients clients at once.
func ingest(b *testing.B, addr string, msg []byte) {
	clients := make([]*smtp.Client, ingestClients)
	for i := range clients {
		c, err := smtp.Dial(addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		if err := c.Hello("bench.test"); err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	var sent atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for _, c := range clients {
		wg.Go(func() {
			for sent.Add(1) <= int64(b.N) {
				if err := ingestOne(c, msg); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	for _, c := range clients {
		_ = c.Quit()
	}
}

func ingestOne(c *smtp.Client, msg []byte) error {
	if err := c.Mail("bench@example.org"); err != nil {
		return err
	}
	if err := c.Rcpt("inbox@example.org"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	return w.Close()
}
