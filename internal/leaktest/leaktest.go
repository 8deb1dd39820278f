// Package leaktest checks, with go.uber.org/goleak, that the goroutines a
// test started have ended.
package leaktest

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// settle is how long goroutines get to wind down: goleak's own retries last
// under half a second, too short on a loaded 2-core machine.
const settle = 5 * time.Second

// Check fails the test if goroutines other than those opts ignore (usually
// goleak.IgnoreCurrent(), taken when the test started) are still running
// after a few seconds.
func Check(t testing.TB, opts ...goleak.Option) {
	t.Helper()
	deadline := time.Now().Add(settle)
	for {
		err := goleak.Find(opts...)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Error(err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
