package policy

import (
	"testing"

	"github.com/smtplay/smtplay/wire"
)

// TestGuardKeysAreDetails: every range and carrier says what it is with a
// sentence of wire.Details, so that a page can say it.
func TestGuardKeysAreDetails(t *testing.T) {
	for _, d := range deniedRanges {
		if _, ok := wire.Details[d.key]; !ok {
			t.Errorf("%s: %s is not in wire.Details", d.prefix, d.key)
		}
	}
	for _, c := range carriers {
		if _, ok := wire.Details[c.key]; !ok {
			t.Errorf("%s: %s is not in wire.Details", c.prefix, c.key)
		}
	}
}
