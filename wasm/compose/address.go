package compose

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/smtplay/smtplay/wasm/rfc2047"
)

// address is one mailbox of a From or To field: a display name, perhaps
// empty, and the bare address local@domain.
type address struct {
	Name, Address string
}

// The reasons an address does not parse, in English (the {detail} of
// compose.bad-from and compose.bad-to).
var (
	errNoAt       = errors.New("there is no @ between the local part and the domain")
	errNoLocal    = errors.New("the part before @ is empty or has a misplaced dot")
	errNoDomain   = errors.New("the domain after @ is empty or has a misplaced dot")
	errNoAngle    = errors.New("a name must be followed by an address in <…>")
	errNoClose    = errors.New("the address in <…> has no closing >")
	errUnquoted   = errors.New("a quoted string has no closing quote")
	errComment    = errors.New("a comment in (…) has no closing )")
	errLiteral    = errors.New("a domain in […] has no closing ]")
	errNoComma    = errors.New("addresses must be separated by commas")
	errEmpty      = errors.New("an address is missing")
	errGroupClose = errors.New("a group has no closing ;")
	errBadUTF8    = errors.New("the text is not valid UTF-8")
)

// parseAddress parses one mailbox (RFC 5322 §3.4): "a@example.org",
// "Ada <a@example.org>", "\"Lovelace, Ada\" <a@example.org>", with
// comments and RFC 2047 encoded words in the name.
func parseAddress(s string) (address, error) {
	p := addrParser{s: s}
	a, err := p.mailbox()
	if err != nil {
		return a, err
	}
	if p.skipCFWS(); p.s != "" {
		return a, errNoComma
	}
	return a, nil
}

// parseAddressList parses a comma-separated list of mailboxes and groups
// ("Team: a@example.org, b@example.org;"), a group giving its members.
// Empty entries are skipped (RFC 5322 §4.4).
func parseAddressList(s string) ([]address, error) {
	p := addrParser{s: s}
	var list []address
	for {
		if p.skipCFWS(); p.consume(',') {
			continue
		}
		if p.s == "" && list != nil {
			return list, nil
		}
		members, err := p.mailboxOrGroup()
		if err != nil {
			return nil, err
		}
		list = append(list, members...)
		if p.skipCFWS(); p.s == "" {
			return list, nil
		}
		if !p.consume(',') {
			return nil, errNoComma
		}
	}
}

// addrParser reads an address field from the front of s.
type addrParser struct {
	s       string
	err     error  // a comment that never closes
	comment string // the text of the last comment skipped
}

func (p *addrParser) consume(c byte) bool {
	if p.s != "" && p.s[0] == c {
		p.s = p.s[1:]
		return true
	}
	return false
}

// mailboxOrGroup reads a mailbox, or a group and its members.
func (p *addrParser) mailboxOrGroup() ([]address, error) {
	save := *p
	name, err := p.phrase()
	if p.skipCFWS(); err == nil && name != "" && p.consume(':') {
		var members []address
		for p.skipCFWS(); !p.consume(';'); p.skipCFWS() {
			if p.s == "" {
				return nil, errGroupClose
			}
			if len(members) > 0 && !p.consume(',') {
				return nil, errNoComma
			}
			m, err := p.mailbox()
			if err != nil {
				return nil, err
			}
			members = append(members, m)
		}
		return members, nil
	}
	*p = save
	m, err := p.mailbox()
	return []address{m}, err
}

// mailbox reads "local@domain" or "[name] <local@domain>".
func (p *addrParser) mailbox() (address, error) {
	if !utf8.ValidString(p.s) {
		return address{}, errBadUTF8
	}
	save := *p
	if spec, err := p.addrSpec(); err == nil {
		p.comment = ""
		p.skipCFWS()
		if p.s == "" || p.s[0] == ',' || p.s[0] == ';' {
			// "a@example.org (Ada)": the comment names the mailbox.
			return address{Name: strings.TrimSpace(p.comment), Address: spec}, nil
		}
	}
	*p = save
	name, err := p.phrase()
	if err != nil {
		return address{}, err
	}
	if p.skipCFWS(); !p.consume('<') {
		if name == "" && p.s == "" || p.s != "" && p.s[0] == ',' {
			return address{}, errEmpty
		}
		if strings.Contains(p.s, "@") || strings.Contains(name, "@") {
			return address{}, errNoAngle
		}
		return address{}, errNoAt
	}
	spec, err := p.addrSpec()
	if err != nil {
		return address{}, err
	}
	if p.skipCFWS(); !p.consume('>') {
		return address{}, errNoClose
	}
	return address{Name: name, Address: spec}, nil
}

// addrSpec reads local@domain; a quoted local part is given unquoted.
func (p *addrParser) addrSpec() (string, error) {
	p.skipCFWS()
	var local string
	var err error
	if p.s != "" && p.s[0] == '"' {
		local, err = p.quoted()
	} else if local = p.dotAtom(); local == "" {
		err = errNoLocal
	}
	if err != nil {
		return "", err
	}
	if p.skipCFWS(); !p.consume('@') {
		return "", errNoAt
	}
	p.skipCFWS()
	domain := ""
	if p.s != "" && p.s[0] == '[' {
		end := strings.IndexByte(p.s, ']')
		if end < 0 {
			return "", errLiteral
		}
		domain, p.s = p.s[:end+1], p.s[end+1:]
	} else if domain = p.dotAtom(); domain == "" {
		return "", errNoDomain
	}
	return local + "@" + domain, p.err
}

// dotAtom reads atoms joined by single dots (RFC 5322 §3.2.3), or nothing
// if the front of s is not one.
func (p *addrParser) dotAtom() string {
	i := 0
	for {
		j := i
		for j < len(p.s) && isAtext(rune(p.s[j])) {
			j++
		}
		if j == i {
			return "" // empty, or a dot at the start, end or twice
		}
		if j < len(p.s) && p.s[j] == '.' {
			i = j + 1
			continue
		}
		atom := p.s[:j]
		p.s = p.s[j:]
		return atom
	}
}

// phrase reads a display name: words (atoms, dots allowed as most mailers
// write them, and quoted strings) joined by one space, encoded words
// decoded.
func (p *addrParser) phrase() (string, error) {
	var words []string
	for {
		p.skipCFWS()
		if p.err != nil {
			return "", p.err
		}
		if p.s != "" && p.s[0] == '"' {
			w, err := p.quoted()
			if err != nil {
				return "", err
			}
			words = append(words, w)
			continue
		}
		j := 0
		for j < len(p.s) && (isAtext(rune(p.s[j])) || p.s[j] == '.') {
			j++
		}
		if j == 0 {
			return strings.Join(words, " "), nil
		}
		w := p.s[:j]
		p.s = p.s[j:]
		if strings.HasPrefix(w, "=?") {
			if dec, err := rfc2047.DecodeWord(w); err == nil {
				w = dec
			}
		}
		words = append(words, w)
	}
}

// quoted reads a quoted string and returns its text without the quotes
// and backslashes.
func (p *addrParser) quoted() (string, error) {
	var b strings.Builder
	for i := 1; i < len(p.s); i++ {
		switch c := p.s[i]; c {
		case '"':
			p.s = p.s[i+1:]
			return b.String(), nil
		case '\\':
			if i+1 < len(p.s) {
				i++
				b.WriteByte(p.s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", errUnquoted
}

// skipCFWS skips white space and (nested) comments; a comment that never
// closes is remembered in p.err.
func (p *addrParser) skipCFWS() {
	for p.s != "" && p.err == nil {
		switch p.s[0] {
		case ' ', '\t', '\r', '\n':
			p.s = p.s[1:]
		case '(':
			p.skipComment()
		default:
			return
		}
	}
}

// skipComment skips the comment at the front of s.
func (p *addrParser) skipComment() {
	depth := 0
	for i := 0; i < len(p.s); i++ {
		switch p.s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				p.comment, p.s = p.s[1:i], p.s[i+1:]
				return
			}
		}
	}
	p.s, p.err = "", errComment
}

// isAtext reports whether r may appear in an atom (RFC 5322 §3.2.3), UTF-8
// included (RFC 6532).
func isAtext(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
		r >= utf8.RuneSelf || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// String writes the address as net/mail does: "<local@domain>", after
// the name quoted when it is printable ASCII, else as an RFC 2047 encoded
// word.
func (a address) String() string {
	local, domain := a.Address, ""
	if at := strings.LastIndexByte(a.Address, '@'); at >= 0 {
		local, domain = a.Address[:at], a.Address[at+1:]
	}
	if q := (addrParser{s: local}); q.dotAtom() != local || q.s != "" {
		local = quote(local)
	}
	s := "<" + local + "@" + domain + ">"
	if a.Name == "" {
		return s
	}
	printable := true
	for _, r := range a.Name {
		printable = printable && (r >= ' ' && r <= '~' || r == '\t')
	}
	switch {
	case printable:
		return quote(a.Name) + " " + s
	case strings.ContainsAny(a.Name, "\"#$%&'(),.:;<>@[]^`{|}~"):
		return rfc2047.BEncode("utf-8", a.Name) + " " + s
	}
	return rfc2047.QEncode("utf-8", a.Name) + " " + s
}

// quote writes s as a quoted string, escaping \ and ".
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] == '"' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
