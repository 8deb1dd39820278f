package load

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// smtplayProcess is the smtplay binary running as its own process, so that
// its memory can be read from /proc.
type smtplayProcess struct {
	cmd      *exec.Cmd
	httpAddr string // the page and the tunnel
	smtpAddr string // -sandbox-smtp
	storeCap string // the sandbox_store the start-up log gave
	share    string // sandbox_share_per_address
}

// startSmtplay builds the smtplay command and starts it with args, on
// loopback ports it picks, logging JSON; it stops at the test's end.
func startSmtplay(t *testing.T, args ...string) *smtplayProcess {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed to build smtplay: ", err)
	}
	bin := filepath.Join(t.TempDir(), "smtplay")
	if out, err := exec.Command(goTool, "build", "-o", bin, "github.com/smtplay/smtplay/proxy").CombinedOutput(); err != nil {
		t.Fatalf("building smtplay: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"-listen", "127.0.0.1:0", "-sandbox-smtp", "127.0.0.1:0", "-log-format", "json"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &smtplayProcess{cmd: cmd}
	ready := make(chan struct{})
	var once sync.Once
	go func() { // read the log until the end; it never holds session bytes
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			switch rec["msg"] {
			case "sandbox SMTP listener":
				p.smtpAddr, _ = rec["addr"].(string)
			case "smtplay starting":
				p.httpAddr, _ = rec["listen"].(string)
				p.storeCap, _ = rec["sandbox_store"].(string)
				p.share, _ = rec["sandbox_share_per_address"].(string)
				once.Do(func() { close(ready) })
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("smtplay did not log its start within 30 s")
	}
	return p
}

// memory is a process's resident memory from /proc/PID/status: VmRSS now
// and VmHWM, its peak, in bytes.
func (p *smtplayProcess) memory() (rss, peak int64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak, nil
}
