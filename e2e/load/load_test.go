package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/internal/leaktest"
	"github.com/smtplay/smtplay/wire"
	"go.uber.org/goleak"
)

// loadSize is the load test's size: 200 sessions × 5 messages in make test,
// SMTPLAY_LOAD=1000x20 in make soak.
func loadSize(t *testing.T) (sessions, messages int) {
	sessions, messages = 200, 5
	if v := os.Getenv("SMTPLAY_LOAD"); v != "" {
		s, m, _ := strings.Cut(v, "x")
		var err1, err2 error
		sessions, err1 = strconv.Atoi(s)
		messages, err2 = strconv.Atoi(m)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatalf("SMTPLAY_LOAD=%q: want SESSIONSxMESSAGES: %v", v, err)
		}
	}
	return sessions, messages
}

// N concurrent sessions each send M messages through the proxy into the
// sandbox: every message arrives byte for byte, and goroutines and memory
// return to their baseline once the sessions end.
func TestLoadConcurrentSessions(t *testing.T) {
	apptest.Short(t)
	sessions, messages := loadSize(t)
	a, hs := apptest.Start(t, "-sessions-per-ip", "100000", "-sessions-per-minute", "1000000", "-sessions-per-second", "100000")
	runtime.GC()
	baseG, running := runtime.NumGoroutine(), goleak.IgnoreCurrent()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	tokens := make([]string, sessions)
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token, err := loadSession(apptest.WSURL(hs), i, messages)
			tokens[i] = token
			if err != nil {
				errs <- fmt.Errorf("session %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	elapsed := time.Since(start)
	for i, token := range tokens {
		for j := range messages {
			if got := apptest.Nth(t, hs.URL, token, j); !strings.HasSuffix(got, "\r\n"+loadBody(i, j)) {
				t.Fatalf("session %d message %d arrived as %q", i, j, got)
			}
		}
	}
	apptest.WaitUntil(t, func() bool { return a.Sessions() == 0 })
	http.DefaultClient.CloseIdleConnections() // apptest.Nth's keep-alive connections
	leaktest.Check(t, running)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapInuse) - int64(before.HeapInuse)
	// What stays is the sandbox's mailboxes, bounded by its caps.
	if limit := int64(sessions*messages)*4096 + 32<<20; grown > limit {
		t.Fatalf("heap grew by %d bytes after the sessions ended (limit %d)", grown, limit)
	}
	t.Logf("%d sessions × %d messages in %s; goroutines %d → %d; heap in use %+d KiB",
		sessions, messages, elapsed.Round(time.Millisecond), baseG, runtime.NumGoroutine(), grown/1024)
}

func loadBody(session, msg int) string {
	return fmt.Sprintf("Subject: load %d/%d\r\n\r\nZażółć gęślą jaźń %d.%d\r\n\xff\xfe 8-bit\r\n", session, msg, session, msg)
}

// loadSession runs one session without failing the test from its goroutine.
func loadSession(url string, i, messages int) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{wire.Subprotocol}})
	if err != nil {
		return "", err
	}
	defer c.CloseNow()
	open, _ := json.Marshal(wire.Open{Type: wire.TypeOpen, Target: "sandbox"})
	if err := c.Write(ctx, websocket.MessageText, open); err != nil {
		return "", err
	}
	var opened wire.Opened
	if err := apptest.ReadJSON(ctx, c, wire.TypeOpened, &opened); err != nil {
		return "", err
	}
	expect := func(prefix string) error {
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				return err
			}
			if typ != websocket.MessageBinary {
				return fmt.Errorf("got %s while waiting for %q", data, prefix)
			}
			if len(data) > 3 && data[3] == '-' {
				continue
			}
			if !strings.HasPrefix(string(data), prefix) {
				return fmt.Errorf("got %q, want %q", data, prefix)
			}
			return nil
		}
	}
	send := func(s string) error { return c.Write(ctx, websocket.MessageBinary, []byte(s)) }
	steps := []struct{ send, want string }{{"", "220 "}, {"EHLO load.test\r\n", "250 "}}
	for j := range messages {
		steps = append(steps,
			struct{ send, want string }{"MAIL FROM:<load@example.org>\r\nRCPT TO:<inbox@example.org>\r\nDATA\r\n", "250 "},
			struct{ send, want string }{"", "250 "},
			struct{ send, want string }{"", "354 "},
			struct{ send, want string }{loadBody(i, j) + ".\r\n", "250 "})
	}
	for _, s := range steps {
		if s.send != "" {
			if err := send(s.send); err != nil {
				return "", err
			}
		}
		if err := expect(s.want); err != nil {
			return "", err
		}
		if strings.HasSuffix(s.send, ".\r\n") {
			var d wire.Delivered
			if err := apptest.ReadJSON(ctx, c, wire.TypeDelivered, &d); err != nil {
				return "", err
			}
		}
	}
	if err := send("QUIT\r\n"); err != nil {
		return "", err
	}
	if err := expect("221 "); err != nil {
		return "", err
	}
	var closed wire.Closed
	if err := apptest.ReadJSON(ctx, c, wire.TypeClosed, &closed); err != nil {
		return "", err
	}
	_, _, err = c.Read(ctx) // the close handshake
	if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		return "", fmt.Errorf("websocket ended with %v", err)
	}
	return opened.Mailbox, nil
}
