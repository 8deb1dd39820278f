package server

import (
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

func TestPlanMemory(t *testing.T) {
	const none = math.MaxInt64
	for _, c := range []struct {
		name                  string
		flag, cgroup, goLimit int64
		want                  MemoryPlan
	}{
		{"flag", 512 << 20, 1 << 30, 900 << 20, MemoryPlan{512 << 20, "-memory-limit", 448 << 20, 128 << 20}},
		{"cgroup", 0, 512 << 20, none, MemoryPlan{512 << 20, "cgroup", 448 << 20, 128 << 20}},
		{"cgroup and the operator's GOMEMLIMIT", 0, 768 << 20, 600 << 20, MemoryPlan{768 << 20, "cgroup", 0, 192 << 20}},
		{"GOMEMLIMIT alone", 0, 0, 400 << 20, MemoryPlan{400 << 20, "GOMEMLIMIT", 0, 100 << 20}},
		{"nothing", 0, 0, none, MemoryPlan{0, "none", 0, 0}},
	} {
		got, err := PlanMemory(c.flag, c.cgroup, c.goLimit)
		if err != nil || got != c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
	if _, err := PlanMemory(64<<20, 0, none); err == nil || err.Error() != "-memory-limit 64MiB is too small: smtplay needs at least 128MiB" {
		t.Errorf("too small: %v", err)
	}
}

func TestCgroupMemoryLimit(t *testing.T) {
	unit := "0::/system.slice/smtplay.service\n"
	for _, c := range []struct {
		name string
		fs   fstest.MapFS
		want int64
	}{
		{"systemd MemoryMax", fstest.MapFS{
			"proc/self/cgroup": {Data: []byte(unit)},
			"sys/fs/cgroup/system.slice/smtplay.service/memory.max": {Data: []byte("536870912\n")},
			"sys/fs/cgroup/system.slice/memory.max":                 {Data: []byte("max\n")},
		}, 512 << 20},
		{"a smaller limit above", fstest.MapFS{
			"proc/self/cgroup": {Data: []byte(unit)},
			"sys/fs/cgroup/system.slice/smtplay.service/memory.max": {Data: []byte("max\n")},
			"sys/fs/cgroup/system.slice/memory.max":                 {Data: []byte("268435456\n")},
		}, 256 << 20},
		{"a container's own namespace", fstest.MapFS{
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("805306368\n")},
		}, 768 << 20},
		{"no limit", fstest.MapFS{
			"proc/self/cgroup": {Data: []byte(unit)},
			"sys/fs/cgroup/system.slice/smtplay.service/memory.max": {Data: []byte("max\n")},
		}, 0},
		{"cgroup v1", fstest.MapFS{
			"proc/self/cgroup": {Data: []byte("12:memory:/user.slice\n")},
		}, 0},
		{"no /proc", fstest.MapFS{}, 0},
	} {
		if got := CgroupMemoryLimit(c.fs); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestMemoryLimitFlag(t *testing.T) {
	for in, want := range map[string]int64{
		"512MiB": 512 << 20, "512Mi": 512 << 20, "512M": 512 << 20, "1GiB": 1 << 30, "1G": 1 << 30,
		"805306368": 768 << 20, "2048KiB": 2 << 20,
	} {
		f, err := ParseFlags([]string{"-memory-limit", in})
		if err != nil || f.MemoryLimit != want {
			t.Errorf("-memory-limit %s: %d, %v; want %d", in, f.MemoryLimit, err, want)
		}
	}
	t.Setenv("SMTPLAY_MEMORY_LIMIT", "768Mi") // as the Kubernetes manifest gives it, in bytes or with a unit
	if f, err := ParseFlags(nil); err != nil || f.MemoryLimit != 768<<20 {
		t.Errorf("SMTPLAY_MEMORY_LIMIT: %+v, %v", f, err)
	}
	for _, bad := range []string{"lots", "1.5GiB", "-1M", "99999999999G"} {
		if _, err := ParseFlags([]string{"-memory-limit", bad}); err == nil || !strings.Contains(err.Error(), "is not a size") {
			t.Errorf("-memory-limit %s: %v", bad, err)
		}
	}
}

func TestApplyMemory(t *testing.T) {
	f, err := ParseFlags([]string{"-memory-limit", "256MiB"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := PlanMemory(f.MemoryLimit, 0, math.MaxInt64)
	if err != nil {
		t.Fatal(err)
	}
	o := f.Options
	plan.GoLimit = 0 // the test binary's own GOMEMLIMIT is not this test's to change
	plan.Apply(&o)
	if o.Sandbox.MaxStoredBytes != 64<<20 {
		t.Errorf("store cap %d", o.Sandbox.MaxStoredBytes)
	}
	o.Sandbox.MaxStoredBytes = 1 << 20
	plan.Apply(&o)
	if o.Sandbox.MaxStoredBytes != 1<<20 {
		t.Error("Apply replaced a storage cap the options set")
	}
	if plan.Warning() != "" {
		t.Error("a warning although the limit is known")
	}
	if none, _ := PlanMemory(0, 0, math.MaxInt64); !strings.HasPrefix(none.Warning(), "no memory limit is known") {
		t.Errorf("no warning without a limit: %q", none.Warning())
	}
}
