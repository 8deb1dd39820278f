// Package logbuf is a log buffer that a logger and a test share: the tests
// of the server and the end-to-end tests read what smtplay logged.
package logbuf

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// Buffer is safe for a logger writing while a test reads.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write appends p.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// WaitFor waits until what has been written, failing the test after 10 s.
func (l *Buffer) WaitFor(t testing.TB, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(l.String(), what) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q:\n%s", what, l.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
