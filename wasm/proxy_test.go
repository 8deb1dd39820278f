//go:build js && wasm

package main

import (
	"os"
	"regexp"
	"sync"
	"syscall/js"
	"testing"
	"time"
)

var (
	proxyOnce sync.Once
	proxyBin  string
	proxyErr  string
)

// startProxy builds the smtplay binary once, starts it on a free loopback
// port with Node's child_process (a js/wasm program cannot start processes
// itself) and returns its base URL, "http://127.0.0.1:PORT/".
func startProxy(t *testing.T) string {
	t.Helper()
	cp := js.Global().Call("require", "child_process")
	env := js.Global().Get("Object").Call("assign", js.Global().Get("Object").New(), js.Global().Get("process").Get("env"))
	env.Delete("GOOS")
	env.Delete("GOARCH")
	proxyOnce.Do(func() {
		dir, err := os.MkdirTemp("", "smtplay-wasm-test")
		if err != nil {
			proxyErr = err.Error()
			return
		}
		proxyBin = dir + "/smtplay"
		goCmd := "go"
		if root := os.Getenv("GOROOT"); root != "" {
			goCmd = root + "/bin/go"
		}
		res := cp.Call("spawnSync", goCmd, []any{"build", "-o", proxyBin, "./proxy"},
			map[string]any{"cwd": "..", "env": env, "encoding": "utf8"})
		if res.Get("status").Type() != js.TypeNumber || res.Get("status").Int() != 0 {
			proxyErr = "go build ./proxy: " + js.Global().Get("String").Invoke(res.Get("stderr")).String() + js.Global().Get("String").Invoke(res.Get("error")).String()
		}
	})
	if proxyErr != "" {
		t.Fatal(proxyErr)
	}
	child := cp.Call("spawn", proxyBin, []any{"-listen", "127.0.0.1:0"}, map[string]any{"env": env})
	ready := regexp.MustCompile(`smtplay is ready: open (http://\S+/)`)
	found := make(chan string, 1)
	var log []byte
	onData := js.FuncOf(func(_ js.Value, args []js.Value) any {
		b := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(b, args[0])
		log = append(log, b...)
		if m := ready.FindSubmatch(log); m != nil {
			select {
			case found <- string(m[1]):
			default:
			}
		}
		return nil
	})
	child.Get("stderr").Call("on", "data", onData)
	t.Cleanup(func() {
		child.Get("stderr").Call("removeAllListeners", "data")
		child.Call("kill")
		onData.Release()
	})
	select {
	case url := <-found:
		return url
	case <-time.After(20 * time.Second):
		t.Fatalf("smtplay did not start:\n%s", log)
	}
	return ""
}
