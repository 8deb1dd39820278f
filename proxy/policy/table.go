package policy

import (
	"fmt"
	"net"
	"strconv"

	"github.com/smtplay/smtplay/wire"
)

// Table is the server-side list of reachable targets, in order: sandboxes
// first, then operator entries. A client reaches a target only through the
// table, by name or by a host:port that matches an entry. A Table is
// read-only after NewTable and safe for concurrent use.
type Table struct {
	targets []Target
}

// hostPort is a target's place on the network, the key Match looks up.
type hostPort struct {
	host string
	port int
}

// NewTable builds a table from targets, putting sandbox targets first and
// otherwise keeping their order. Hosts are lower-cased and lose a trailing
// dot; an empty TLS mode means TLSNone. It is an error for two targets to
// share a name or a host:port, for a name to be empty, or for a TLS mode to be
// unknown.
func NewTable(targets ...Target) (*Table, error) {
	t := &Table{targets: make([]Target, 0, len(targets))}
	names := map[string]bool{}
	places := map[hostPort]string{}
	for _, sandboxes := range []bool{true, false} {
		for _, tg := range targets {
			if (tg.Sandbox != "") != sandboxes {
				continue
			}
			tg.Host = canonHost(tg.Host)
			switch tg.TLS {
			case "":
				tg.TLS = TLSNone
			case TLSNone, TLSImplicit:
			default:
				return nil, fmt.Errorf("target %q: TLS mode %q is neither %q nor %q", tg.Name, tg.TLS, TLSNone, TLSImplicit)
			}
			if tg.Name == "" {
				return nil, fmt.Errorf("a target for %s has no name", tg.Addr())
			}
			if names[tg.Name] {
				return nil, fmt.Errorf("target name %q is used twice", tg.Name)
			}
			names[tg.Name] = true
			if tg.Host != "" {
				k := hostPort{tg.Host, tg.Port}
				if other, dup := places[k]; dup {
					return nil, fmt.Errorf("targets %q and %q both reach %s", other, tg.Name, tg.Addr())
				}
				places[k] = tg.Name
			}
			t.targets = append(t.targets, tg)
		}
	}
	return t, nil
}

// List returns a copy of the table's targets, sandboxes first.
func (t *Table) List() []Target {
	return append([]Target(nil), t.targets...)
}

// ByName returns the target with exactly this name.
func (t *Table) ByName(name string) (Target, bool) {
	for _, tg := range t.targets {
		if tg.Name == name {
			return tg, true
		}
	}
	return Target{}, false
}

// Match returns the target at host:port. The host is compared
// case-insensitively, with a trailing dot ignored (and IP literals in any
// spelling); the port must be exactly the entry's. An allowed host on another
// port matches nothing.
func (t *Table) Match(host string, port int) (Target, bool) {
	h := canonHost(host)
	if h == "" {
		return Target{}, false
	}
	for _, tg := range t.targets {
		if tg.Host == h && tg.Port == port {
			return tg, true
		}
	}
	return Target{}, false
}

// NotListedError is the error for a target that is not in the table, written
// for a student.
type NotListedError struct {
	Name string // the target name asked for, or "" when asked by address
	Addr string // the host:port asked for, when Name is ""
}

// Detail says that the target is not on the playground's list, and where the
// list is or how a server gets on it, as a sentence of wire.Details.
func (e *NotListedError) Detail() wire.Said {
	if e.Name != "" {
		return wire.Say("not-listed-name", "name", e.Name)
	}
	return wire.Say("not-listed-addr", "addr", e.Addr)
}

// Error returns the English of Detail.
func (e *NotListedError) Error() string { return e.Detail().English() }

// Lookup finds the target a client's open message asks for: by name when name
// is non-empty, otherwise by host and port. It returns a *NotListedError when
// nothing matches.
func (t *Table) Lookup(name, host string, port int) (Target, error) {
	if name != "" {
		if tg, ok := t.ByName(name); ok {
			return tg, nil
		}
		return Target{}, &NotListedError{Name: name}
	}
	if tg, ok := t.Match(host, port); ok {
		return tg, nil
	}
	return Target{}, &NotListedError{Addr: net.JoinHostPort(host, strconv.Itoa(port))}
}
