package sandbox

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
	"golang.org/x/time/rate"
)

// A client's share (docs/SECURITY.md, T7a). One client address, counted as
// policy.ClientKey counts it (an IPv4 address, an IPv6 /64), may hold only
// part of the store and start only so many messages a minute. Both grow with
// the sessions the address may hold at once (Config.ClientSessions, the
// proxy's -sessions-per-ip), so that a class behind one school address,
// given more sessions, still works, while one address with the default
// three cannot fill the store for everyone else.
const (
	// shareSlots: each session an address may hold is worth this fraction
	// of the store …
	shareSlots = 8
	// … up to half of it, whatever -sessions-per-ip says.
	maxShareDivisor = 2
	// messagesPerSessionMinute is the message rate each session an address
	// may hold is worth; a minute's worth may come at once.
	messagesPerSessionMinute = 60
)

// clientShare is the bytes one client address may hold in a store of
// maxBytes when it may hold sessions sessions at once.
func clientShare(maxBytes int64, sessions int) int64 {
	return min(maxBytes/maxShareDivisor, maxBytes/shareSlots*int64(sessions))
}

// quotas is what each client key holds and how fast it sends. It is guarded
// by the store's lock.
type quotas struct {
	share     int64 // bytes one key may hold
	perMinute int   // messages one key may start per minute

	held  map[netip.Prefix]int64
	rates map[netip.Prefix]*rate.Limiter

	// Bytes of DATA being read (store_inflight.go).
	flying      map[netip.Prefix]int64
	flyingTotal int64
}

func newQuotas(maxBytes int64, sessions int) *quotas {
	return &quotas{
		share:     clientShare(maxBytes, sessions),
		perMinute: sessions * messagesPerSessionMinute,
		held:      make(map[netip.Prefix]int64),
		rates:     make(map[netip.Prefix]*rate.Limiter),
		flying:    make(map[netip.Prefix]int64),
	}
}

// charge counts bytes (negative to release) against key.
func (q *quotas) charge(key netip.Prefix, bytes int64) {
	if n := q.held[key] + bytes; n > 0 {
		q.held[key] = n
	} else {
		delete(q.held, key)
	}
}

// inFlight counts bytes (negative to release) being read for key.
func (q *quotas) inFlight(key netip.Prefix, bytes int64) {
	q.flyingTotal += bytes
	if n := q.flying[key] + bytes; n > 0 {
		q.flying[key] = n
	} else {
		delete(q.flying, key)
	}
}

// startMessage takes one message from key's rate, or says it is spent.
func (q *quotas) startMessage(key netip.Prefix, now time.Time) bool {
	if !key.IsValid() {
		return true
	}
	l, ok := q.rates[key]
	if !ok {
		l = rate.NewLimiter(rate.Limit(float64(q.perMinute)/60), q.perMinute)
		q.rates[key] = l
	}
	return l.AllowN(now, 1)
}

// forgetIdle drops the rates of keys whose bucket has refilled: they hold
// nothing worth remembering.
func (q *quotas) forgetIdle(now time.Time) {
	for key, l := range q.rates {
		if l.TokensAt(now) >= float64(q.perMinute) {
			delete(q.rates, key)
		}
	}
}

// clientKey is the key an address is counted under. The zero Addr, an
// in-process caller that named no client (Connect), gives the zero key,
// which no share or rate holds: there is no one else to be fair to.
func clientKey(client netip.Addr) netip.Prefix { return policy.ClientKey(client) }

// exceeds reports whether key would hold more than its share after holding
// bytes more.
func (q *quotas) exceeds(key netip.Prefix, bytes int64) bool {
	return key.IsValid() && q.held[key]+bytes > q.share
}

// shareError is the 452 for an address that holds its whole share.
func shareError(key netip.Prefix, share, total int64) error {
	return smtpError(452, 4, 3, 1, fmt.Sprintf(
		"Insufficient system storage: mail sent from your address (%s) already fills its share of the sandbox "+
			"(%s of %s); it frees as those mailboxes expire, and other addresses can still send; try again later",
		keyName(key), mebibytes(share), mebibytes(total)))
}

// rateError is the reply for an address past its message rate.
func rateError(key netip.Prefix, perMinute int) error {
	return smtpError(450, 4, 7, 1, fmt.Sprintf(
		"Too many messages from your address (%s): the sandbox takes %d a minute from one address; try again in a minute",
		keyName(key), perMinute))
}

// keyName shows a client key as a person knows it: the address, or the
// IPv6 /64.
func keyName(key netip.Prefix) string {
	switch {
	case !key.IsValid():
		return "unknown"
	case key.IsSingleIP():
		return key.Addr().String()
	}
	return key.String()
}

// mebibytes writes a byte count for a person.
func mebibytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// ClientShare is what one client address may hold in the store and how
// many messages it may start a minute, for the start-up log.
func (s *Sandbox) ClientShare() (storeBytes int64, messagesPerMinute int) {
	return s.store.quota.share, s.store.quota.perMinute
}
