// Package systemd holds the check of the shipped systemd unit.
package systemd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/proxy/server"
)

// The shipped systemd unit is valid and keeps a low exposure score.
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("systemd-analyze is not installed: `make deps` installs it")
		}
		t.Skip("systemd-analyze is not installed (`make deps` installs it)")
	}
	unit, err := os.ReadFile("smtplay.service")
	if err != nil {
		t.Fatal(err)
	}
	// ExecStart must name an executable that exists: use this test's own.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(unit), "ExecStart=/usr/local/bin/smtplay", "ExecStart="+self, 1)
	if text == string(unit) {
		t.Fatal("the unit no longer starts /usr/local/bin/smtplay")
	}
	path := filepath.Join(t.TempDir(), "smtplay.service")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// systemd scores exposure from 0 (locked down) to 100 and shows it /10;
	// below 20 is "OK".
	if out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=20", path).CombinedOutput(); err != nil {
		t.Fatalf("exposure above 20 (2.0): %v\n%s", err, out)
	}
}

// smtplay sizes itself from its cgroup's memory.max: the unit sets
// MemoryMax in a size smtplay reads the same way (-memory-limit), at least
// its minimum, leaves GOMEMLIMIT to smtplay, and the README names the same
// figure.
func TestUnitMemoryMax(t *testing.T) {
	unit, err := os.ReadFile("smtplay.service")
	if err != nil {
		t.Fatal(err)
	}
	var memoryMax string
	for line := range strings.SplitSeq(string(unit), "\n") {
		if v, ok := strings.CutPrefix(line, "MemoryMax="); ok {
			memoryMax = v
		}
		if strings.Contains(line, "GOMEMLIMIT") && !strings.HasPrefix(line, "#") {
			t.Errorf("%s: smtplay sets GOMEMLIMIT from MemoryMax itself", line)
		}
	}
	if memoryMax == "" {
		t.Fatal("no MemoryMax: without a limit smtplay cannot size its storage and heap")
	}
	f, err := server.ParseFlags([]string{"-memory-limit", memoryMax})
	if err != nil {
		t.Fatalf("MemoryMax=%s: %v", memoryMax, err)
	}
	if f.MemoryLimit < server.MinMemoryLimit {
		t.Errorf("MemoryMax=%s is below smtplay's minimum of %d bytes", memoryMax, server.MinMemoryLimit)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "MemoryMax="+memoryMax) {
		t.Errorf("README.md does not name MemoryMax=%s", memoryMax)
	}
}
