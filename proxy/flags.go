package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// options are the operator's knobs: each flag has an environment twin
// (-listen / SMTPLAY_LISTEN), and a flag given on the command line wins.
type options struct {
	listen        string
	publicURL     string
	allow         list
	allowPrivate  bool
	allowOrigin   list
	lessonOrigin  list
	trustProxy    list
	sessionsPerIP int
	newPerMinute  int
	globalPerSec  float64
	idle          time.Duration
	maxSession    time.Duration
	byteBudget    int64
	sandboxSMTP   string
	metricsListen string
	logFormat     string
	shutdownWait  time.Duration
	version       bool
}

// list is a repeatable flag; its environment twin separates entries by spaces.
type list []string

func (l *list) String() string { return strings.Join(*l, " ") }

func (l *list) Set(v string) error {
	*l = append(*l, strings.Fields(v)...)
	return nil
}

func parseOptions(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("smtplay", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to serve the page and the tunnel on")
	fs.StringVar(&o.publicURL, "public-url", "", "the URL people use, when smtplay runs behind a reverse proxy (sets the accepted Origin)")
	fs.Var(&o.allow, "allow", "allow a real server: host:port[,implicit][,insecure][,plainauth] (repeatable; ports 465 and 587 only, unless -allow-private)")
	fs.BoolVar(&o.allowPrivate, "allow-private", false, "lab mode: let allowed servers resolve to private and loopback addresses, on any port")
	fs.Var(&o.allowOrigin, "allow-origin", "an origin that may embed the playground (frame /embed, talk to it, open the tunnel), e.g. https://course.example.edu (repeatable; * matches within the host)")
	fs.Var(&o.lessonOrigin, "lesson-origin", "an origin the page may load course lesson files from, e.g. https://course.example.edu (repeatable; * matches within the host)")
	fs.Var(&o.trustProxy, "trust-proxy", "address or CIDR of a reverse proxy whose X-Forwarded-For is believed (repeatable)")
	fs.IntVar(&o.sessionsPerIP, "sessions-per-ip", 3, "sessions one client address may hold at once")
	fs.IntVar(&o.newPerMinute, "sessions-per-minute", 20, "new sessions one client address may open per minute")
	fs.Float64Var(&o.globalPerSec, "sessions-per-second", 50, "new sessions per second across all clients")
	fs.DurationVar(&o.idle, "idle", 5*time.Minute, "close a session silent this long (RFC 5321 §4.5.3.2 asks 5 minutes)")
	fs.DurationVar(&o.maxSession, "max-session", 15*time.Minute, "the longest a session may last")
	fs.Int64Var(&o.byteBudget, "byte-budget", 16<<20, "bytes one session may send to its server")
	fs.StringVar(&o.sandboxSMTP, "sandbox-smtp", "", "also serve the sandbox on this TCP address for real clients such as swaks, e.g. 127.0.0.1:2525 (off by default)")
	fs.StringVar(&o.metricsListen, "metrics-listen", "", "serve Prometheus metrics at /metrics on this address, e.g. 127.0.0.1:9090 (off by default; never on the public listener)")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.DurationVar(&o.shutdownWait, "shutdown-wait", 10*time.Second, "on SIGINT/SIGTERM, how long sessions get to close")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: smtplay takes only flags (see -h)", fs.Arg(0))
	}
	if err := applyEnv(fs); err != nil {
		return nil, err
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return nil, fmt.Errorf("-log-format must be text or json, not %q", o.logFormat)
	}
	return o, nil
}

// applyEnv sets each flag not given on the command line from its
// environment twin: -allow-origin reads SMTPLAY_ALLOW_ORIGIN.
func applyEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
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

func envName(flagName string) string {
	return "SMTPLAY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
