package export

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// shQuote quotes s for a POSIX shell: bare when it is made of characters no
// shell treats specially, otherwise in single quotes, where only the single
// quote itself needs care: the quoting is closed, the quote escaped with a
// backslash, and the quoting reopened.
func shQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// pyQuote returns s as a double-quoted Python 3 string literal. Printable
// Unicode stays as it is (Python source is UTF-8).
func pyQuote(s string) string {
	return quoteWith(s, pyEscapes, hexEscape{`\x`, 2, ""}, hexEscape{`\u`, 4, ""}, hexEscape{`\U`, 8, ""})
}

// phpQuote returns s as a double-quoted PHP string literal: backslash, the
// double quote and $ (interpolation) are escaped, control characters are
// written as \xNN and other unprintable characters as \u{…}.
func phpQuote(s string) string {
	return quoteWith(s, phpEscapes, hexEscape{`\x`, 2, ""}, hexEscape{`\u{`, 4, "}"}, hexEscape{`\u{`, 0, "}"})
}

// hexEscape writes a rune as prefix, its code in lower-case hex of at
// least digits digits, and suffix: {`\x`, 2, ""} writes \x0a.
type hexEscape struct {
	prefix string
	digits int
	suffix string
}

func (e hexEscape) write(b *strings.Builder, r rune) {
	h := strconv.FormatInt(int64(r), 16)
	b.WriteString(e.prefix)
	b.WriteString(strings.Repeat("0", max(0, e.digits-len(h))))
	b.WriteString(h)
	b.WriteString(e.suffix)
}

// The escapes of double-quoted string literals, by language.
var (
	pyEscapes  = map[rune]string{'\\': `\\`, '"': `\"`, '\t': `\t`, '\n': `\n`, '\r': `\r`}
	phpEscapes = map[rune]string{'\\': `\\`, '"': `\"`, '$': `\$`, '\t': `\t`, '\n': `\n`, '\r': `\r`}
)

// quoteWith writes s as a double-quoted literal: runes in escapes as given,
// other runes as writeRune does with the three formats.
func quoteWith(s string, escapes map[rune]string, byteEsc, bmpEsc, wideEsc hexEscape) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if e, ok := escapes[r]; ok {
			b.WriteString(e)
			continue
		}
		writeRune(&b, r, byteEsc, bmpEsc, wideEsc)
	}
	b.WriteByte('"')
	return b.String()
}

// writeRune writes a printable rune as it is, and any other rune with the
// escape format for its size: a byte, the BMP, beyond.
func writeRune(b *strings.Builder, r rune, byteEsc, bmpEsc, wideEsc hexEscape) {
	switch {
	case r == utf8.RuneError:
		bmpEsc.write(b, r)
	case unicode.IsPrint(r):
		b.WriteRune(r)
	case r < 0x80:
		byteEsc.write(b, r)
	case r < 0x10000:
		bmpEsc.write(b, r)
	default:
		wideEsc.write(b, r)
	}
}
