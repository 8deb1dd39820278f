package pagejson

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// node is one parsed JSON value.
type node struct {
	kind  byte   // 'n' null, 't' true, 'f' false, '"' string, '0' number, '{' object, '[' array
	raw   []byte // the value's text
	str   string // a string's value
	keys  []string
	elems []node // an array's elements, an object's values beside keys
}

// unescape maps the letter after a backslash to the byte it stands for.
var unescape = map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// maxDepth is encoding/json's limit on nesting.
const maxDepth = 10000

// parser reads JSON text with the grammar of RFC 8259, as strictly as
// encoding/json's scanner.
type parser struct {
	data  []byte
	i     int
	depth int
}

// parse reads data, one JSON value with spaces around, into n.
func parse(data []byte, n *node) error {
	p := parser{data: data}
	p.space()
	if err := p.value(n); err != nil {
		return err
	}
	p.space()
	if p.i < len(p.data) {
		return p.fail("after top-level value")
	}
	return nil
}

func (p *parser) fail(where string) error {
	if p.i >= len(p.data) {
		return errors.New("unexpected end of JSON input")
	}
	return errors.New("invalid character " + strconv.QuoteRune(rune(p.data[p.i])) + " " + where)
}

func (p *parser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(n *node) error {
	if p.i >= len(p.data) {
		return p.fail("")
	}
	start := p.i
	var err error
	switch c := p.data[p.i]; {
	case c == '{':
		err = p.object(n)
	case c == '[':
		err = p.array(n)
	case c == '"':
		n.kind = '"'
		n.str, err = p.string()
	case c == '-' || c >= '0' && c <= '9':
		n.kind = '0'
		err = p.number()
	default:
		err = p.literal(n)
	}
	n.raw = p.data[start:p.i]
	return err
}

func (p *parser) literal(n *node) error {
	for _, lit := range []string{"null", "true", "false"} {
		if p.data[p.i] != lit[0] {
			continue
		}
		for j := range len(lit) {
			if p.i >= len(p.data) || p.data[p.i] != lit[j] {
				return p.fail("in literal " + lit)
			}
			p.i++
		}
		n.kind = lit[0]
		return nil
	}
	return p.fail("looking for beginning of value")
}

func (p *parser) digits() int {
	start := p.i
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

func (p *parser) number() error {
	if p.data[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if p.digits() == 0 {
		return p.fail("in numeric literal")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return p.fail("after decimal point in numeric literal")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return p.fail("in exponent of numeric literal")
		}
	}
	return nil
}

// string reads a quoted string as encoding/json unquotes it: a lone
// surrogate and invalid UTF-8 become U+FFFD.
func (p *parser) string() (string, error) {
	p.i++
	var b []byte
	start := p.i
	for {
		if p.i >= len(p.data) {
			return "", p.fail("")
		}
		c := p.data[p.i]
		switch {
		case c == '"':
			s := append(b, p.data[start:p.i]...)
			p.i++
			return string(s), nil
		case c < ' ':
			return "", p.fail("in string literal")
		case c == '\\':
			b = append(b, p.data[start:p.i]...)
			p.i++
			if p.i >= len(p.data) {
				return "", p.fail("")
			}
			e := p.data[p.i]
			if e == 'u' {
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("in \\u hexadecimal character escape")
				}
				if utf16.IsSurrogate(r) {
					save := p.i
					r2, ok2 := rune(-1), false
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						p.i++
						r2, ok2 = p.hex4()
					}
					if d := utf16.DecodeRune(r, r2); ok2 && d != utf8.RuneError {
						r = d
					} else {
						r = utf8.RuneError
						p.i = save
					}
				}
				b = utf8.AppendRune(b, r)
			} else {
				un, ok := unescape[e]
				if !ok {
					return "", p.fail("in string escape code")
				}
				b = append(b, un)
				p.i++
			}
			start = p.i
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, p.data[start:p.i]...)
				b = utf8.AppendRune(b, utf8.RuneError)
				start = p.i + 1
			}
			p.i += size
		}
	}
}

// hex4 reads the XXXX of \uXXXX, p.i on the u; it leaves p.i after them.
func (p *parser) hex4() (rune, bool) {
	p.i++
	if p.i+4 > len(p.data) {
		p.i = len(p.data)
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
		p.i++
	}
	return r, true
}

func (p *parser) nest() error {
	if p.depth++; p.depth > maxDepth {
		return errors.New("exceeded max depth")
	}
	p.i++
	p.space()
	return nil
}

func (p *parser) object(n *node) error {
	n.kind = '{'
	if err := p.nest(); err != nil {
		return err
	}
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		p.depth--
		return nil
	}
	for {
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return p.fail("looking for beginning of object key string")
		}
		key, err := p.string()
		if err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return p.fail("after object key")
		}
		p.i++
		p.space()
		var v node
		if err := p.value(&v); err != nil {
			return err
		}
		n.keys = append(n.keys, key)
		n.elems = append(n.elems, v)
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			p.space()
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			p.depth--
			return nil
		}
		return p.fail("after object key:value pair")
	}
}

func (p *parser) array(n *node) error {
	n.kind = '['
	if err := p.nest(); err != nil {
		return err
	}
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		p.depth--
		return nil
	}
	for {
		var v node
		if err := p.value(&v); err != nil {
			return err
		}
		n.elems = append(n.elems, v)
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			p.space()
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			p.depth--
			return nil
		}
		return p.fail("after array element")
	}
}
