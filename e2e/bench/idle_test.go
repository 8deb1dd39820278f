//go:build unix

package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/server"
	"github.com/smtplay/smtplay/wire"
)

// idleWant is how many idle sessions BenchmarkIdleSessions holds open.
const idleWant = 10_000

// fdSpare are the file descriptors a process needs besides its sockets.
const fdSpare = 256

// BenchmarkIdleSessions measures what an idle session costs the server,
// per session, with 10,000 sessions open at once: the growth of the
// process's resident memory as /proc/self/statm reads it (rss-B: after GC,
// with freed memory given back to the system, so it is what the sessions
// hold), of the heap in use (heap-B, whole spans as the runtime holds them,
// so it reuses room left by earlier sessions), of the live heap objects
// (live-B), of goroutine stacks (stack-B), and of goroutines. An smtplay
// session is opened on the sandbox, its greeting read (smtplay-ehlo: and
// then EHLO answered, so the sandbox's SMTP engine has started); an smtplay-real one
// on a real server on loopback (the discarding go-smtp server of
// discard_test.go, in a process of its own), its greeting read. The
// baseline is a bare coder/websocket connection whose handler waits in
// Read, the least any websocket server holds. The clients run in a helper process (TestIdleClientsHelper), so the
// figures are the server's alone and each process needs one socket per
// session; when the descriptor limit cannot be raised to fit, fewer sessions
// are measured (the "sessions" metric says how many).
func BenchmarkIdleSessions(b *testing.B) {
	// smtplay-real holds two sockets a session: the websocket and the server.
	n := min(idleWant, (int(raiseFDLimit(2*idleWant+fdSpare))-fdSpare)/2)
	if n < idleWant {
		b.Logf("the descriptor limit allows only %d sessions", n)
	}
	b.Run("bare-websocket", func(b *testing.B) {
		var open atomic.Int64
		srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := websocket.Accept(w, r, nil)
			if err != nil {
				return
			}
			open.Add(1)
			defer open.Add(-1)
			_, _, _ = c.Read(context.Background()) // until the client goes
			c.CloseNow()
		})}
		ln := apptest.Listen(b)
		go srv.Serve(ln)
		defer srv.Close()
		measureIdle(b, "ws://"+ln.Addr().String()+"/", "bare", n, func() int { return int(open.Load()) })
	})
	b.Run("smtplay", func(b *testing.B) {
		f, err := server.ParseFlags(benchArgs)
		if err != nil {
			b.Fatal(err)
		}
		a, err := server.New(f.Options)
		if err != nil {
			b.Fatal(err)
		}
		ln := apptest.Listen(b)
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, ln) }()
		defer func() { cancel(); <-served }()
		measureIdle(b, "ws://"+ln.Addr().String()+"/tunnel", "smtplay", n, a.Sessions)
	})
	b.Run("smtplay-ehlo", func(b *testing.B) {
		f, err := server.ParseFlags(benchArgs)
		if err != nil {
			b.Fatal(err)
		}
		a, err := server.New(f.Options)
		if err != nil {
			b.Fatal(err)
		}
		ln := apptest.Listen(b)
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, ln) }()
		defer func() { cancel(); <-served }()
		measureIdle(b, "ws://"+ln.Addr().String()+"/tunnel", "smtplay-ehlo", n, a.Sessions)
	})
	b.Run("smtplay-real", func(b *testing.B) {
		real := startDiscardProcess(b)
		f, err := server.ParseFlags(append([]string{"-allow-private", "-allow", real}, benchArgs...))
		if err != nil {
			b.Fatal(err)
		}
		a, err := server.New(f.Options)
		if err != nil {
			b.Fatal(err)
		}
		ln := apptest.Listen(b)
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- a.Serve(ctx, ln) }()
		defer func() { cancel(); <-served }()
		measureIdle(b, "ws://"+ln.Addr().String()+"/tunnel", "real:"+real, n, a.Sessions)
	})
}

// measureIdle opens n idle sessions on url from a helper process and
// reports the growth of the heap, the stacks and the goroutines per
// session. A first round, not measured, warms the runtime up (goroutine
// descriptors, pools), so that each measurement is a running server's. It
// measures once, whatever b.N is.
func measureIdle(b *testing.B, url, mode string, n int, open func() int) {
	idle := runtime.NumGoroutine()
	stop := startIdleClients(b, url, mode, n)
	waitFor(b, func() bool { return open() == n })
	stop()
	waitFor(b, func() bool { return runtime.NumGoroutine() <= idle+5 }) // every session has wound down

	var before, after runtime.MemStats
	settle()
	debug.FreeOSMemory()
	rss0 := residentBytes(b)
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	stop = startIdleClients(b, url, mode, n)
	waitFor(b, func() bool { return open() == n })
	settle()
	runtime.ReadMemStats(&after)
	writeHeapProfile(b, mode)
	debug.FreeOSMemory()
	rss1 := residentBytes(b)
	g1 := runtime.NumGoroutine()
	stop()
	waitFor(b, func() bool { return open() == 0 })

	per := func(now, then uint64) float64 { return (float64(now) - float64(then)) / float64(n) }
	b.ReportMetric(per(rss1, rss0), "rss-B/session")
	b.ReportMetric(per(after.HeapInuse, before.HeapInuse), "heap-B/session")
	b.ReportMetric(per(after.HeapAlloc, before.HeapAlloc), "live-B/session")
	b.ReportMetric(per(after.StackInuse, before.StackInuse), "stack-B/session")
	b.ReportMetric(float64(g1-g0)/float64(n), "goroutines/session")
	b.ReportMetric(float64(n), "sessions")
	b.ReportMetric(0, "ns/op") // not a timing: hide it
}

// heapProfileEnv names a directory where measureIdle writes a heap profile
// of each variant while its sessions are open (MODE.heap), to see what a
// session holds: go tool pprof -sample_index=inuse_space DIR/smtplay.heap
const heapProfileEnv = "SMTPLAY_IDLE_HEAP_PROFILES"

func writeHeapProfile(b *testing.B, mode string) {
	dir := os.Getenv(heapProfileEnv)
	if dir == "" {
		return
	}
	name, _, _ := strings.Cut(mode, ":")
	f, err := os.Create(filepath.Join(dir, name+".heap"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// residentBytes is the process's resident memory, from /proc/self/statm.
func residentBytes(b *testing.B) uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		b.Fatalf("reading the resident memory: %v", err)
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		b.Fatalf("/proc/self/statm reads %q", data)
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		b.Fatalf("/proc/self/statm reads %q", data)
	}
	return pages * uint64(os.Getpagesize())
}

// settle collects garbage until the heap has not shrunk for two seconds (at
// most 30): memory of ended sessions is freed only up to a second or so
// after their goroutines end. Two collections a round also empty the
// sync.Pools' victim caches.
func settle() {
	var m runtime.MemStats
	low := uint64(math.MaxUint64)
	for calm, start := 0, time.Now(); calm < 8 && time.Since(start) < 30*time.Second; calm++ {
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		if m.HeapAlloc < low-low/100 {
			calm = -1
		}
		low = min(low, m.HeapAlloc)
		time.Sleep(250 * time.Millisecond)
	}
}

func waitFor(b *testing.B, ok func() bool) {
	b.Helper()
	for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the sessions did not open or end within a minute")
		}
	}
}

// raiseFDLimit raises the soft limit on open files to want, and the hard
// limit too when the process may (root), and returns the soft limit in force.
func raiseFDLimit(want uint64) uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 1024
	}
	if lim.Cur >= want {
		return lim.Cur
	}
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: want, Max: max(want, lim.Max)}) == nil {
		return want
	}
	lim.Cur = lim.Max
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim) != nil {
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	return lim.Cur
}

// idleEnv passes "MODE N URL" to the helper process.
const idleEnv = "SMTPLAY_IDLE_CLIENTS"

// startIdleClients runs this test binary as TestIdleClientsHelper, returns
// once its n sessions are open, and gives a func that ends them.
func startIdleClients(b *testing.B, url, mode string, n int) (stop func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestIdleClientsHelper$", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %s", idleEnv, mode, n, url))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			stdin.Close() // the helper exits, closing its sessions
			_, _ = io.Copy(io.Discard, stdout)
			_ = cmd.Wait()
		})
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); stop() })

	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		switch line := sc.Text(); {
		case line == "ready":
			return stop
		case strings.HasPrefix(line, "error: "):
			b.Fatalf("idle clients: %s", line)
		}
	}
	b.Fatal("the idle clients' process ended without opening its sessions")
	return nil
}

// TestIdleClientsHelper is BenchmarkIdleSessions' client process: it opens
// the sessions, prints "ready", and holds them until its stdin closes. Run
// by `go test` itself, it skips.
func TestIdleClientsHelper(t *testing.T) {
	spec := os.Getenv(idleEnv)
	if spec == "" {
		t.Skip("the client process of BenchmarkIdleSessions")
	}
	f := strings.Fields(spec)
	if len(f) != 3 {
		t.Fatalf("%s=%q: want MODE N URL", idleEnv, spec)
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conns, err := openIdle(ctx, f[0], f[2], n)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.CloseNow()
	}
}

// openIdle opens n websockets to url, 32 at a time. In mode "smtplay" each
// opens the sandbox and reads its greeting, in mode "smtplay-ehlo" then
// says EHLO and reads the reply; in mode "real:HOST:PORT" it opens that
// server and reads its greeting.
func openIdle(ctx context.Context, mode, url string, n int) ([]*websocket.Conn, error) {
	conns := make([]*websocket.Conn, n)
	next := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := range next {
				c, err := openOne(ctx, mode, url)
				if err != nil {
					errs <- fmt.Errorf("session %d: %w", i, err)
					continue
				}
				conns[i] = c
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	return conns, errors.Join(<-errs) // the first error is enough
}

func openOne(ctx context.Context, mode, url string) (*websocket.Conn, error) {
	if mode == "bare" {
		c, _, err := websocket.Dial(ctx, url, nil)
		return c, err
	}
	o := wire.Open{Type: wire.TypeOpen, Target: "sandbox"}
	if addr, ok := strings.CutPrefix(mode, "real:"); ok {
		host, port, _ := net.SplitHostPort(addr)
		o = wire.Open{Type: wire.TypeOpen, Host: host}
		o.Port, _ = strconv.Atoi(port)
	}
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
	if err != nil {
		return c, err
	}
	open, _ := json.Marshal(o)
	err = c.Write(ctx, websocket.MessageText, open)
	if err == nil {
		err = apptest.ReadJSON(ctx, c, wire.TypeOpened, &wire.Opened{})
	}
	if err == nil {
		var greeting []byte
		_, greeting, err = c.Read(ctx)
		if err == nil && !strings.HasPrefix(string(greeting), "220 ") {
			err = fmt.Errorf("greeting %q", greeting)
		}
	}
	if err == nil && mode == "smtplay-ehlo" {
		err = ehlo(ctx, c)
	}
	if err != nil {
		c.CloseNow()
	}
	return c, err
}

// ehlo says EHLO on an open tunnel and reads the reply to its last line.
func ehlo(ctx context.Context, c *websocket.Conn) error {
	if err := c.Write(ctx, websocket.MessageBinary, []byte("EHLO idle.test\r\n")); err != nil {
		return err
	}
	for {
		_, line, err := c.Read(ctx)
		if err != nil {
			return err
		}
		if len(line) < 4 || line[3] != '-' {
			if !strings.HasPrefix(string(line), "250 ") {
				return fmt.Errorf("EHLO: %q", line)
			}
			return nil
		}
	}
}
