package session

import (
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/explain"
	"github.com/smtplay/smtplay/wasm/phrase"
)

// Capability is one extension from the server's EHLO reply (RFC 5321
// §4.1.1.1): the lines after the first.
type Capability struct {
	// Keyword is in upper case: "SIZE", "AUTH", "X-RCPTLIMIT".
	Keyword string `json:"keyword"`
	// Params are the words after the keyword: ["35882577"], ["LOGIN", "PLAIN"].
	Params []string `json:"params,omitempty"`
	// Line is the line as the server sent it, after "250-".
	Line string `json:"line"`
	// Explanation says what it offers, parameters spelled out.
	Explanation phrase.Text `json:"explanation"`
	// RFC names the defining document.
	RFC string `json:"rfc,omitempty"`
	// Vendor is true for private X- extensions (RFC 5321 §4.1.5).
	Vendor bool `json:"vendor,omitempty"`
	// Legacy is true for the pre-standard "AUTH=LOGIN" form.
	Legacy bool `json:"legacy,omitempty"`
}

// ParseCapability reads one EHLO line (the text after "250-" or "250 ").
// It accepts the legacy "AUTH=LOGIN PLAIN" form, and "AUTH = LOGIN" as the
// Yandex has sent it, as AUTH with those mechanisms.
func ParseCapability(text string) Capability {
	c := Capability{Line: text}
	f := strings.Fields(text)
	if len(f) == 0 {
		c.Explanation = say("ehlo.empty")
		return c
	}
	kw, rest, eq := strings.Cut(f[0], "=")
	params := f[1:]
	if !eq && len(params) > 0 && strings.HasPrefix(params[0], "=") {
		eq, rest, params = true, strings.TrimPrefix(params[0], "="), params[1:]
	}
	if eq {
		c.Legacy = true
		if rest != "" {
			params = append([]string{rest}, params...)
		}
	}
	c.Keyword = asciiUpper(kw)
	if len(params) > 0 {
		c.Params = params
	}
	e, _ := explain.Capability(c.Keyword)
	c.RFC = e.RFC
	c.Vendor = explain.IsVendor(c.Keyword)
	described := explain.DescribeCapability(c.Keyword, c.Params)
	if c.Legacy {
		described = phrase.Join(say("ehlo.legacy", "keyword", c.Keyword), described)
	}
	c.Explanation = described
	return c
}

// capabilityBook holds what the engine says of an EHLO line beyond what
// explain.DescribeCapability says.
var capabilityBook = phrase.Table{
	{"ehlo.empty", "An empty capability line."},
	{"ehlo.legacy", "The old \"{keyword}=\" form from a draft of SMTP AUTH, kept for old Outlook and Netscape clients; it repeats the mechanisms of the AUTH line."},
}

// capSet is the server's capabilities with lookups.
type capSet []Capability

func (cs capSet) has(keyword string) bool {
	_, ok := cs.get(keyword)
	return ok
}

func (cs capSet) get(keyword string) (Capability, bool) {
	for _, c := range cs {
		if c.Keyword == keyword {
			return c, true
		}
	}
	return Capability{}, false
}

// mechanisms lists the AUTH mechanisms offered, legacy lines included.
func (cs capSet) mechanisms() []string {
	var m []string
	for _, c := range cs {
		if c.Keyword == "AUTH" {
			for _, p := range c.Params {
				m = append(m, asciiUpper(p))
			}
		}
	}
	return m
}

// sizeLimit is the SIZE limit in bytes, 0 when none is known.
func (cs capSet) sizeLimit() int64 {
	c, ok := cs.get("SIZE")
	if !ok || len(c.Params) == 0 {
		return 0
	}
	n, err := strconv.ParseInt(c.Params[0], 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// rcptLimit is the most recipients per transaction the server announced,
// by LIMITS RCPTMAX= (RFC 9422) or Yandex's X-RCPTLIMIT; 0 when none.
func (cs capSet) rcptLimit() int {
	for _, c := range cs {
		for _, p := range c.Params {
			v, ok := "", false
			switch c.Keyword {
			case "LIMITS":
				k, val, found := strings.Cut(p, "=")
				v, ok = val, found && asciiUpper(k) == "RCPTMAX"
			case "X-RCPTLIMIT":
				v, ok = p, true
			}
			if n, err := strconv.Atoi(v); ok && err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}
