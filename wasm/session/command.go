package session

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Command is one command line split into its parts (RFC 5321 §4.1.1).
type Command struct {
	// Verb is the first word in upper case: "MAIL". Empty for an empty line.
	Verb string `json:"verb"`
	// Arg is everything after the verb and its space, as typed.
	Arg string `json:"arg,omitempty"`
	// Domain is the argument of EHLO or HELO.
	Domain string `json:"domain,omitempty"`
	// Path is the address of MAIL FROM or RCPT TO, without angle brackets.
	Path string `json:"path,omitempty"`
	// Bracketed is true when the address was written <like@this>.
	Bracketed bool `json:"bracketed,omitempty"`
	// SpaceAfterColon is true for "MAIL FROM: <a@b>" (RFC 5321 has no space there).
	SpaceAfterColon bool `json:"space_after_colon,omitempty"`
	// Params are the ESMTP parameters after the address: SIZE=1000, BODY=8BITMIME.
	Params []Param `json:"params,omitempty"`
	// Mechanism is the SASL mechanism of AUTH, in upper case.
	Mechanism string `json:"mechanism,omitempty"`
	// InitialResponse is true when AUTH carries an initial response (a secret).
	InitialResponse bool `json:"initial_response,omitempty"`
	// ChunkSize is the size of a BDAT chunk, and Last its LAST flag.
	ChunkSize int64 `json:"chunk_size,omitempty"`
	Last      bool  `json:"last,omitempty"`
}

// Param is one ESMTP parameter of MAIL or RCPT (RFC 5321 §4.1.2: esmtp-param).
type Param struct {
	// Key is in upper case: "SIZE".
	Key string `json:"key"`
	// Value is as typed; empty for a parameter without "=".
	Value string `json:"value,omitempty"`
}

// Param returns the value of the parameter with the given key (upper case)
// and whether it is present.
func (c Command) Param(key string) (string, bool) {
	for _, p := range c.Params {
		if p.Key == key {
			return p.Value, true
		}
	}
	return "", false
}

// SyntaxError is what ParseCommand reports about a malformed command: the
// server will most likely answer 501.
type SyntaxError struct {
	// Code is a warning code (see the Warn constants).
	Code string
	// Message is a sentence for a student.
	Message phrase.Text
	// RFC names the rule.
	RFC string
}

// Error returns the message.
func (e *SyntaxError) Error() string { return e.Message.English }

func syntaxErr(code, rfc string, msg phrase.Text) *SyntaxError {
	return &SyntaxError{Code: code, Message: msg, RFC: rfc}
}

// ParseCommand splits a command line (without its CRLF) into its parts. It
// always returns the best Command it can; the error, a *SyntaxError, says
// what a server would reject. ParseCommand never refuses a verb it does not
// know: the Verb is then simply not one of SMTP's.
func ParseCommand(line string) (Command, error) {
	verb, arg, _ := strings.Cut(line, " ")
	c := Command{Verb: asciiUpper(verb), Arg: arg}
	switch c.Verb {
	case "EHLO", "HELO":
		c.Domain = strings.TrimSpace(arg)
		if c.Domain == "" {
			return c, syntaxErr(WarnHelloNoDomain, "RFC 5321 §4.1.1.1", say("warn.syntax.hello-without-domain", "verb", c.Verb))
		}
		if _, err := netip.ParseAddr(c.Domain); err == nil {
			return c, syntaxErr(WarnAddressLiteral, "RFC 5321 §4.1.3", say("warn.syntax.address-literal", "verb", c.Verb, "address", c.Domain))
		}
	case "MAIL":
		return c.parsePath("FROM:")
	case "RCPT":
		return c.parsePath("TO:")
	case "AUTH":
		mech, ir, _ := strings.Cut(strings.TrimLeft(arg, " "), " ")
		c.Mechanism = asciiUpper(mech)
		c.InitialResponse = strings.TrimSpace(ir) != ""
		if c.Mechanism == "" {
			return c, syntaxErr(WarnSyntax, "RFC 4954 §4", say("warn.syntax.auth-mechanism"))
		}
	case "BDAT":
		f := strings.Fields(arg)
		if len(f) == 0 || len(f) > 2 {
			return c, syntaxErr(WarnSyntax, "RFC 3030 §2", say("warn.syntax.bdat-size"))
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || n < 0 || f[0][0] == '+' {
			return c, syntaxErr(WarnSyntax, "RFC 3030 §2", say("warn.syntax.bdat-number"))
		}
		c.ChunkSize = n
		if len(f) == 2 {
			if asciiUpper(f[1]) != "LAST" {
				return c, syntaxErr(WarnSyntax, "RFC 3030 §2", say("warn.syntax.bdat-last"))
			}
			c.Last = true
		}
	case "DATA", "RSET", "QUIT", "STARTTLS":
		if arg != "" {
			return c, syntaxErr(WarnSyntax, "RFC 5321 §4.1.1", say("warn.syntax.no-argument", "verb", c.Verb))
		}
	case "VRFY", "EXPN":
		if strings.TrimSpace(arg) == "" {
			return c, syntaxErr(WarnSyntax, "RFC 5321 §4.1.1.6", say("warn.syntax.lookup", "verb", c.Verb))
		}
	}
	return c, nil
}

// parsePath reads "FROM:<path> params" or "TO:<path> params" (RFC 5321
// §4.1.2), tolerating what real people type: a space after the colon and an
// address without angle brackets (both reported by the checks, not here).
func (c Command) parsePath(keyword string) (Command, error) {
	rfc := "RFC 5321 §4.1.1.2"
	example := "MAIL FROM:<you@example.org>"
	if keyword == "TO:" {
		rfc, example = "RFC 5321 §4.1.1.3", "RCPT TO:<friend@example.org>"
	}
	arg := c.Arg
	if len(arg) < len(keyword) || !strings.EqualFold(arg[:len(keyword)], keyword) {
		return c, syntaxErr(WarnSyntax, rfc, say("warn.syntax.path-keyword", "verb", c.Verb, "keyword", strings.TrimSuffix(keyword, ":"), "example", example))
	}
	rest := arg[len(keyword):]
	if trimmed := strings.TrimLeft(rest, " "); len(trimmed) != len(rest) {
		c.SpaceAfterColon = true
		rest = trimmed
	}
	var tail string
	if strings.HasPrefix(rest, "<") {
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return c, syntaxErr(WarnSyntax, rfc, say("warn.syntax.path-bracket", "example", example))
		}
		c.Path, c.Bracketed, tail = rest[1:end], true, rest[end+1:]
	} else {
		c.Path, tail, _ = strings.Cut(rest, " ")
		if tail != "" {
			tail = " " + tail
		}
		if c.Path == "" {
			return c, syntaxErr(WarnSyntax, rfc, say("warn.syntax.path-empty", "verb", c.Verb, "example", example))
		}
	}
	if tail != "" && tail[0] != ' ' {
		return c, syntaxErr(WarnSyntax, rfc, say("warn.syntax.path-params", "example", example))
	}
	for _, f := range strings.Fields(tail) {
		k, v, _ := strings.Cut(f, "=")
		c.Params = append(c.Params, Param{Key: asciiUpper(k), Value: v})
	}
	return c, nil
}

// asciiUpper upper-cases ASCII letters only, leaving every other byte as is,
// so the result has the same length as s.
func asciiUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
