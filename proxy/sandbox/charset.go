package sandbox

import (
	"io"
	"mime"
	"strings"
	"unicode/utf8"
)

// go-message decodes UTF-8 and US-ASCII text by itself; its charset package
// would pull in golang.org/x/text. The sandbox adds only the charset most
// often met besides those, windows-1252, and reads ISO-8859-1 as
// windows-1252 as browsers do (WHATWG Encoding). Text in any other charset is
// shown with invalid bytes replaced.

// windows1252 maps the bytes 0x80-0x9F, where windows-1252 differs from
// ISO-8859-1; undefined ones stay C1 controls.
var windows1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// latinLabels are the charset names decoded as windows-1252.
var latinLabels = map[string]bool{
	"windows-1252": true, "cp1252": true, "x-cp1252": true,
	"iso-8859-1": true, "iso8859-1": true, "iso_8859-1": true, "latin1": true, "l1": true,
}

// decodeLatin converts windows-1252 bytes to UTF-8.
func decodeLatin(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		r := rune(c)
		if c >= 0x80 && c <= 0x9F {
			r = windows1252[c-0x80]
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// bodyText turns a decoded part body into UTF-8. converted tells whether
// go-message already converted its charset.
func bodyText(b []byte, charset string, converted bool) string {
	if !converted && latinLabels[strings.ToLower(charset)] {
		return decodeLatin(b)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// wordDecoder decodes RFC 2047 encoded words. The standard library knows
// UTF-8, ISO-8859-1 and US-ASCII; windows-1252 is added.
var wordDecoder = mime.WordDecoder{
	CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
		if !latinLabels[strings.ToLower(charset)] {
			return nil, mime.ErrInvalidMediaParameter
		}
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		return strings.NewReader(decodeLatin(b)), nil
	},
}

// decodeText decodes a header value's encoded words; a value that cannot be
// decoded is returned as it is, made valid UTF-8.
func decodeText(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		s = d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
