//go:build js && wasm

package main

import "sync"

// worker runs what the page asks, one call at a time in the order asked,
// outside the js.FuncOf callback: a callback must never wait, and two
// goroutines started for two lines could send them in either order.
type worker struct {
	mu   sync.Mutex
	jobs []func()
	wake chan struct{}
}

func newWorker() *worker {
	w := &worker{wake: make(chan struct{}, 1)}
	go w.run()
	return w
}

// do queues f and returns at once.
func (w *worker) do(f func()) {
	w.mu.Lock()
	w.jobs = append(w.jobs, f)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) run() {
	for range w.wake {
		for {
			w.mu.Lock()
			if len(w.jobs) == 0 {
				w.mu.Unlock()
				break
			}
			f := w.jobs[0]
			w.jobs = w.jobs[1:]
			w.mu.Unlock()
			f()
		}
	}
}
