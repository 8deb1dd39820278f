package compose

import (
	"net/mail"
	"testing"
)

// The page's address parser agrees with net/mail, which it replaces to
// keep the net package out of main.wasm: the same mailboxes, written the
// same way, and the same inputs refused.
func TestAddressesLikeNetMail(t *testing.T) {
	for _, in := range []string{
		"a@example.org",
		"Ada <a@example.org>",
		"  Ada Lovelace   <a@example.org>  ",
		`"Lovelace, Ada" <a@example.org>`,
		`"quote \" inside" <a@example.org>`,
		"Mateusz Gaweł <gorniksmtp@example.org>",
		"=?utf-8?q?Mateusz_Gawe=C5=82?= <gorniksmtp@example.org>",
		"Zoë (the author) <zoe@example.org>",
		"a@example.org (Ada)",
		"<a@example.org>",
		"first.last@sub.example.org",
		`"john doe"@example.org`,
		"a@[192.0.2.1]",
		"J. R. Bob <b@example.org>",
		"ążę@example.org",
		"",
		"not an address",
		"b@",
		"@example.org",
		"a..b@example.org",
		".a@example.org",
		"a@example..org",
		"Ada <a@example.org",
		"Ada a@example.org",
		`"unclosed <a@example.org>`,
		"(unclosed a@example.org",
		"a@example.org b@example.org",
		"a@[192.0.2.1",
		"\xff@example.org",
	} {
		want, werr := mail.ParseAddress(in)
		got, gerr := parseAddress(in)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%q: net/mail says %v, parseAddress %v", in, werr, gerr)
			continue
		}
		if werr == nil && (got.Name != want.Name || got.Address != want.Address || got.String() != want.String()) {
			t.Errorf("%q: got %q %q %s, net/mail %q %q %s", in, got.Name, got.Address, got, want.Name, want.Address, want)
		}
	}
	for _, in := range []string{
		"a@example.org, Bob <b@example.org>",
		"a@example.org,b@example.org",
		`"Lovelace, Ada" <a@example.org>, c@example.org`,
		"Team: a@example.org, b@example.org;, c@example.org",
		"b@, c",
		"a@example.org,",
		", a@example.org",
		"a@example.org b@example.org",
		"Team: a@example.org",
	} {
		want, werr := mail.ParseAddressList(in)
		got, gerr := parseAddressList(in)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("list %q: net/mail says %v, parseAddressList %v", in, werr, gerr)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("list %q: %d addresses, net/mail %d", in, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].String() != want[i].String() {
				t.Errorf("list %q [%d]: %s, net/mail %s", in, i, got[i], want[i])
			}
		}
	}
}
