package server

import (
	"bufio"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// Memory sizing (docs/SECURITY.md, T7a). smtplay sizes itself from the
// memory it may use: the -memory-limit flag, else the cgroup's memory.max
// (systemd's MemoryMax, a container's limit), else a GOMEMLIMIT already in
// the environment. From that limit it sets the Go runtime's soft limit, so
// the collector works harder near it instead of letting the heap double,
// and the sandbox's storage cap, whose bytes are counted as the memory the
// mail takes (proxy/sandbox/store_cost.go).
const (
	// goLimitEighths: GOMEMLIMIT is 7/8 of the limit; the rest is for what
	// the runtime does not count (the binary's text, thread stacks outside
	// Go, fragmentation) and for the moments the collector runs behind.
	goLimitEighths = 7
	// storeDivisor: the store gets a quarter of the limit. The rest is for
	// sessions in flight (a DATA of up to 10 MiB is read whole, then copied
	// into the store), the page, and the collector's headroom.
	storeDivisor = 4
	// MinMemoryLimit is the smallest -memory-limit accepted: below it a few
	// sessions with 10 MiB messages would not fit beside the store.
	MinMemoryLimit = 128 << 20
)

// MemoryPlan is how smtplay divides the memory it may use.
type MemoryPlan struct {
	Limit      int64  // the process's memory limit in bytes; 0 if none is known
	Source     string // where Limit came from: "-memory-limit", "cgroup", "GOMEMLIMIT" or "none"
	GoLimit    int64  // the Go runtime's soft limit (GOMEMLIMIT) it sets; 0 leaves it as it is
	StoreBytes int64  // the sandbox's storage cap; 0 keeps the sandbox's default
}

// PlanMemory chooses the figures. flagLimit is -memory-limit (0: not
// given); cgroupLimit is the cgroup's limit (0: none); goLimit is the
// runtime's soft limit as the environment set it (math.MaxInt64: none).
func PlanMemory(flagLimit, cgroupLimit, goLimit int64) (MemoryPlan, error) {
	fromLimit := func(limit int64, source string) MemoryPlan {
		return MemoryPlan{Limit: limit, Source: source, GoLimit: limit / 8 * goLimitEighths, StoreBytes: limit / storeDivisor}
	}
	switch {
	case flagLimit > 0 && flagLimit < MinMemoryLimit:
		return MemoryPlan{}, fmt.Errorf("-memory-limit %s is too small: smtplay needs at least %s", formatSize(flagLimit), formatSize(MinMemoryLimit))
	case flagLimit > 0:
		return fromLimit(flagLimit, "-memory-limit"), nil
	case cgroupLimit > 0:
		p := fromLimit(cgroupLimit, "cgroup")
		if goLimit != math.MaxInt64 {
			p.GoLimit = 0 // the operator's GOMEMLIMIT stands
		}
		return p, nil
	case goLimit != math.MaxInt64:
		return MemoryPlan{Limit: goLimit, Source: "GOMEMLIMIT", StoreBytes: goLimit / storeDivisor}, nil
	}
	return MemoryPlan{Source: "none"}, nil
}

// Apply sets the runtime's soft limit and, unless o sets one, the sandbox's
// storage cap.
func (p MemoryPlan) Apply(o *Options) {
	if p.GoLimit > 0 {
		debug.SetMemoryLimit(p.GoLimit)
	}
	if o.Sandbox.MaxStoredBytes <= 0 {
		o.Sandbox.MaxStoredBytes = p.StoreBytes
	}
}

// Warning is a sentence for the operator when no limit is known, else "".
func (p MemoryPlan) Warning() string {
	if p.Limit > 0 {
		return ""
	}
	return "no memory limit is known: the sandbox keeps its default storage cap and the heap may grow to twice what it holds; " +
		"give -memory-limit (or MemoryMax, or a container memory limit) so both are sized from it"
}

// ApplyMemory plans from -memory-limit, the cgroup limit under root and the
// runtime's GOMEMLIMIT, and applies the plan to f's Options.
func (f *Flags) ApplyMemory(root fs.FS) (MemoryPlan, error) {
	p, err := PlanMemory(f.MemoryLimit, CgroupMemoryLimit(root), debug.SetMemoryLimit(-1))
	if err == nil {
		p.Apply(&f.Options)
	}
	return p, err
}

// LogArgs are the plan's figures for the start-up log.
func (p MemoryPlan) LogArgs() []any {
	return []any{"memory_limit", formatSize(p.Limit), "memory_limit_from", p.Source,
		"gomemlimit", formatSize(max(0, debug.SetMemoryLimit(-1))), "sandbox_store", formatSize(p.StoreBytes)}
}

// CgroupMemoryLimit reads the cgroup v2 memory limit of this process from
// root (the host's "/"): the smallest memory.max from its own cgroup up to
// the top, 0 if none is set or cgroup v2 is not mounted.
func CgroupMemoryLimit(root fs.FS) int64 {
	f, err := root.Open("proc/self/cgroup")
	if err != nil {
		return 0
	}
	defer f.Close()
	dir := ""
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if p, ok := strings.CutPrefix(sc.Text(), "0::"); ok { // the v2 hierarchy
			dir = path.Clean("/" + p)
		}
	}
	if dir == "" {
		return 0
	}
	var limit int64
	for {
		b, err := fs.ReadFile(root, path.Join("sys/fs/cgroup", dir, "memory.max"))
		if n, perr := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && perr == nil && n > 0 && (limit == 0 || n < limit) {
			limit = n // "max" is no limit
		}
		if dir == "/" {
			return limit
		}
		dir = path.Dir(dir)
	}
}

// HostRoot is the file system CgroupMemoryLimit reads.
func HostRoot() fs.FS { return os.DirFS("/") }

// size is a byte count flag: 512MiB, 1GiB, 768Mi, 512M or plain bytes. K,
// M and G are powers of 1024, as in systemd's MemoryMax and Kubernetes' Mi.
type size struct{ v *int64 }

var sizeUnits = []struct {
	suffixes []string
	shift    uint
}{
	{[]string{"GiB", "Gi", "GB", "G"}, 30},
	{[]string{"MiB", "Mi", "MB", "M"}, 20},
	{[]string{"KiB", "Ki", "KB", "K"}, 10},
	{[]string{"B", ""}, 0},
}

func (s size) String() string {
	if s.v == nil || *s.v == 0 {
		return ""
	}
	return formatSize(*s.v)
}

func (s size) Set(v string) error {
	v = strings.TrimSpace(v)
	for _, u := range sizeUnits {
		for _, suf := range u.suffixes {
			num, ok := strings.CutSuffix(v, suf)
			if !ok {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || n < 0 || n > math.MaxInt64>>u.shift {
				return fmt.Errorf("%q is not a size: write bytes, or a number with MiB or GiB, e.g. 512MiB", v)
			}
			*s.v = n << u.shift
			return nil
		}
	}
	return fmt.Errorf("%q is not a size", v)
}

// formatSize writes a byte count for the log: whole MiB when it is one.
func formatSize(n int64) string {
	switch {
	case n <= 0 || n == math.MaxInt64:
		return "none"
	case n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	}
	return strconv.FormatInt(n, 10) + "B"
}
