package server

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/tunnel"
)

// Flags are the smtplay command's settings: the server's Options and the
// addresses it listens on. Each flag has an environment twin (-listen /
// SMTPLAY_LISTEN), and a flag given on the command line wins.
type Flags struct {
	Options
	Listen        string // the page and the tunnel
	SandboxSMTP   string // the sandbox for real clients; "" is off
	MetricsListen string // Prometheus /metrics; "" is off
	LogFormat     string // text or json
	MemoryLimit   int64  // bytes the process may use; 0: from the cgroup or GOMEMLIMIT (memory.go)
	PrintVersion  bool
}

// list is a repeatable flag; its environment twin separates entries by spaces.
type list struct{ v *[]string }

func (l list) String() string {
	if l.v == nil {
		return ""
	}
	return strings.Join(*l.v, " ")
}

func (l list) Set(v string) error {
	*l.v = append(*l.v, strings.Fields(v)...)
	return nil
}

// FlagSet defines every flag on a new FlagSet, with the safe defaults,
// writing into f.
func (f *Flags) FlagSet() *flag.FlagSet {
	o, d := &f.Options, tunnel.DefaultLimits
	fs := flag.NewFlagSet("smtplay", flag.ContinueOnError)
	fs.StringVar(&f.Listen, "listen", "127.0.0.1:8080", "address to serve the page and the tunnel on")
	fs.StringVar(&o.PublicURL, "public-url", "", "the URL people use, when smtplay runs behind a reverse proxy (sets the accepted Origin)")
	fs.Var(list{&o.Allow}, "allow", "allow a real server: host:port[,implicit][,insecure][,plainauth] (repeatable; ports 465 and 587 only, unless -allow-private)")
	fs.BoolVar(&o.AllowPrivate, "allow-private", false, "lab mode: let allowed servers resolve to private and loopback addresses, on any port")
	fs.Var(list{&o.AllowHost}, "allow-host", "a host name people use to reach smtplay, e.g. smtplay.lab.example (repeatable); besides it only -public-url's host, localhost, loopback and (without -public-url) this machine's addresses are served, any other Host gets 421")
	fs.Var(list{&o.AllowOrigin}, "allow-origin", "an origin that may embed the playground (frame /embed, talk to it, open the tunnel), e.g. https://course.example.edu (repeatable; * matches within the host)")
	fs.Var(list{&o.LessonOrigin}, "lesson-origin", "an origin the page may load course lesson files from, e.g. https://course.example.edu (repeatable; * matches within the host)")
	fs.Var(list{&o.TrustProxy}, "trust-proxy", "address or CIDR of a reverse proxy whose X-Forwarded-For is believed (repeatable)")
	fs.IntVar(&o.Limits.SessionsPerIP, "sessions-per-ip", policy.DefaultSessionsPerIP, "sessions one client address may hold at once")
	fs.IntVar(&o.Limits.NewPerMinute, "sessions-per-minute", policy.DefaultNewPerMinute, "new sessions one client address may open per minute")
	fs.Float64Var(&o.Limits.GlobalPerSecond, "sessions-per-second", policy.DefaultGlobalPerSecond, "new sessions per second across all clients")
	fs.DurationVar(&o.Session.Idle, "idle", d.Idle, "close a session silent this long (RFC 5321 §4.5.3.2 asks 5 minutes)")
	fs.DurationVar(&o.Session.MaxDuration, "max-session", d.MaxDuration, "the longest a session may last")
	fs.Int64Var(&o.Session.ByteBudget, "byte-budget", d.ByteBudget, "bytes one session may send to its server")
	fs.StringVar(&f.SandboxSMTP, "sandbox-smtp", "", "also serve the sandbox on this TCP address for real clients such as swaks, e.g. 127.0.0.1:2525 (off by default)")
	fs.StringVar(&o.SandboxSMTPPublic, "sandbox-smtp-public", "", "the host:port people's programs reach -sandbox-smtp at, when it is not that address (NAT, port forward), e.g. smtplay.example.org:2525; exported code uses it")
	fs.StringVar(&f.MetricsListen, "metrics-listen", "", "serve Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9090 (off by default; never on the public listener)")
	fs.Var(size{&f.MemoryLimit}, "memory-limit", "the memory smtplay may use, e.g. 512MiB: sets GOMEMLIMIT to 7/8 of it and the sandbox's storage to 1/4 (default: the cgroup's memory.max, e.g. systemd's MemoryMax, else GOMEMLIMIT)")
	fs.StringVar(&f.LogFormat, "log-format", "text", "log format: text or json")
	fs.DurationVar(&o.ShutdownWait, "shutdown-wait", DefaultShutdownWait, "on SIGINT/SIGTERM, how long sessions get to close")
	fs.BoolVar(&f.PrintVersion, "version", false, "print the version and exit")
	return fs
}

// ParseFlags reads args, then the environment twins of the flags args did
// not give.
func ParseFlags(args []string) (*Flags, error) {
	f := &Flags{}
	fs := f.FlagSet()
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: smtplay takes only flags (see -h)", fs.Arg(0))
	}
	if err := applyEnv(fs); err != nil {
		return nil, err
	}
	if f.LogFormat != "text" && f.LogFormat != "json" {
		return nil, fmt.Errorf("-log-format must be text or json, not %q", f.LogFormat)
	}
	return f, nil
}

// applyEnv sets each flag not given on the command line from its
// environment twin: -allow-origin reads SMTPLAY_ALLOW_ORIGIN.
func applyEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := EnvName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok || given[f.Name] || err != nil {
			return
		}
		if e := f.Value.Set(v); e != nil {
			err = fmt.Errorf("%s: %v", name, e)
		}
	})
	return err
}

// EnvName is a flag's environment twin: -allow-origin is SMTPLAY_ALLOW_ORIGIN.
func EnvName(flagName string) string {
	return "SMTPLAY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
