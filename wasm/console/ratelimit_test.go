//go:build !js

package console

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/proxy/tunnel"
	"github.com/smtplay/smtplay/wire"
)

// A session the proxy turns down for the address's limits is told the one
// thing to do about that limit: close a session when too many are open,
// wait a minute when too many were started; the proxy's details agree.
func TestRateLimitedSaysWhy(t *testing.T) {
	for _, c := range []struct {
		limits      policy.Limits
		reason      string
		say, notSay string
	}{
		{policy.Limits{SessionsPerIP: 1, NewPerMinute: 600}, "too-many-sessions", "Close one", "Wait a minute"},
		{policy.Limits{SessionsPerIP: 5, NewPerMinute: 1}, "too-many-new", "Wait a minute", "Close one"},
	} {
		t.Run(c.reason, func(t *testing.T) {
			url := startLimitedTunnel(t, c.limits)
			first, r1 := newConsole(t)
			first.Connect(url, Target{Name: "sandbox"})
			r1.next(t, EventOpened)
			second, r2 := newConsole(t)
			second.Connect(url, Target{Name: "sandbox"})
			e := r2.next(t, EventError).Error
			if e.Code != wire.RateLimited || len(e.Said.Phrases) == 0 || e.Said.Phrases[0].Key != "detail."+c.reason || e.Sentence.Phrases[0].Key != "tunnel.rate_limited."+c.reason {
				t.Fatalf("error %+v, said %+v", e, e.Said)
			}
			for _, text := range []string{e.Sentence.English, e.Message} {
				if strings.Contains(strings.ToLower(text), strings.ToLower(c.notSay)) {
					t.Errorf("%q says %q too", text, c.notSay)
				}
			}
			if !strings.Contains(e.Sentence.English, c.say) {
				t.Errorf("the sentence %q does not say %q", e.Sentence.English, c.say)
			}
			first.Close()
			second.Close()
		})
	}
}

// startLimitedTunnel serves the sandbox's tunnel with these admission limits.
func startLimitedTunnel(t *testing.T, limits policy.Limits) string {
	t.Helper()
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	table, err := policy.NewTable(policy.Target{Name: "sandbox", Host: "sandbox", Port: 587, Sandbox: "sandbox"})
	if err != nil {
		t.Fatal(err)
	}
	ts := tunnel.NewServer(tunnel.Config{Targets: table, Sandbox: sandboxConn{sb}, Limiter: policy.NewLimiter(limits),
		Logger: slog.New(slog.DiscardHandler)})
	mux := http.NewServeMux()
	mux.Handle("GET /tunnel", ts)
	hs := httptest.NewServer(mux)
	t.Cleanup(func() {
		hs.Close()
		ctx, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		_ = ts.Shutdown(ctx)
		_ = sb.Shutdown(ctx)
	})
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/tunnel"
}
