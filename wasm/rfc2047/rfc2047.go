// Package rfc2047 writes and reads MIME encoded-words (RFC 2047), the
// =?utf-8?q?…?= form of non-ASCII text in a header, exactly as the standard
// library's mime.WordEncoder and mime.WordDecoder do (the tests hold them
// against each other). The page does not import package mime: its
// initialisation (the media type tables and the system's mime.types
// readers) would cost main.wasm about 35 KB brotli.
package rfc2047

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf8"
)

// maxContent is how much of an encoded-word may be encoded text: an
// encoded-word is at most 75 characters (RFC 2047 §2), less
// "=?UTF-8?q?" and "?=".
const maxContent = 75 - len("=?UTF-8?q?") - len("?=")

// ErrInvalidWord is the error for what is not an encoded-word.
var ErrInvalidWord = errors.New("mime: invalid RFC 2047 encoded-word")

// QEncode is mime.QEncoding.Encode: s unchanged when it is printable
// ASCII, else encoded-words in the Q encoding, split between characters
// where one would be longer than 75 characters (for UTF-8).
func QEncode(charset, s string) string {
	if !needsEncoding(s) {
		return s
	}
	var b strings.Builder
	open(&b, charset, 'q')
	if !isUTF8(charset) {
		writeQ(&b, s)
	} else {
		var length, size int
		for i := 0; i < len(s); i += size {
			c, n := s[i], 0
			if c >= ' ' && c <= '~' && c != '=' && c != '?' && c != '_' {
				size, n = 1, 1
			} else {
				_, size = utf8.DecodeRuneInString(s[i:])
				n = 3 * size
			}
			if length+n > maxContent {
				split(&b, charset, 'q')
				length = 0
			}
			writeQ(&b, s[i:i+size])
			length += n
		}
	}
	b.WriteString("?=")
	return b.String()
}

// BEncode is mime.BEncoding.Encode: s unchanged when it is printable
// ASCII, else encoded-words in base64, split between characters where one
// would be longer than 75 characters (for UTF-8).
func BEncode(charset, s string) string {
	if !needsEncoding(s) {
		return s
	}
	var b strings.Builder
	open(&b, charset, 'b')
	if isUTF8(charset) && base64.StdEncoding.EncodedLen(len(s)) > maxContent {
		maxBytes := base64.StdEncoding.DecodedLen(maxContent)
		var length, last, size int
		for i := 0; i < len(s); i += size {
			_, size = utf8.DecodeRuneInString(s[i:])
			if length+size <= maxBytes {
				length += size
				continue
			}
			b.WriteString(base64.StdEncoding.EncodeToString([]byte(s[last:i])))
			split(&b, charset, 'b')
			last, length = i, size
		}
		s = s[last:]
	}
	b.WriteString(base64.StdEncoding.EncodeToString([]byte(s)))
	b.WriteString("?=")
	return b.String()
}

func needsEncoding(s string) bool {
	for _, r := range s {
		if (r < ' ' || r > '~') && r != '\t' {
			return true
		}
	}
	return false
}

func isUTF8(charset string) bool { return strings.EqualFold(charset, "UTF-8") }

func open(b *strings.Builder, charset string, encoding byte) {
	b.WriteString("=?")
	b.WriteString(charset)
	b.WriteByte('?')
	b.WriteByte(encoding)
	b.WriteByte('?')
}

// split ends an encoded-word and opens the next.
func split(b *strings.Builder, charset string, encoding byte) {
	b.WriteString("?= ")
	open(b, charset, encoding)
}

const upperHex = "0123456789ABCDEF"

func writeQ(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			b.WriteByte('_')
		case c >= '!' && c <= '~' && c != '=' && c != '?' && c != '_':
			b.WriteByte(c)
		default:
			b.WriteByte('=')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0x0f])
		}
	}
}

// DecodeWord is (*mime.WordDecoder).Decode without a CharsetReader: one
// encoded-word in utf-8, iso-8859-1 or us-ascii, decoded.
func DecodeWord(word string) (string, error) {
	if len(word) < 8 || !strings.HasPrefix(word, "=?") || !strings.HasSuffix(word, "?=") || strings.Count(word, "?") != 4 {
		return "", ErrInvalidWord
	}
	charset, rest, _ := strings.Cut(word[2:len(word)-2], "?")
	encoding, text, _ := strings.Cut(rest, "?")
	if charset == "" || len(encoding) != 1 {
		return "", ErrInvalidWord
	}
	var content []byte
	var err error
	switch encoding[0] {
	case 'B', 'b':
		content, err = base64.StdEncoding.DecodeString(text)
	case 'Q', 'q':
		content, err = qDecode(text)
	default:
		err = ErrInvalidWord
	}
	if err != nil {
		return "", err
	}
	switch {
	case strings.EqualFold(charset, "utf-8"):
		return string(content), nil
	case strings.EqualFold(charset, "iso-8859-1"):
		r := make([]rune, len(content))
		for i, c := range content {
			r[i] = rune(c)
		}
		return string(r), nil
	case strings.EqualFold(charset, "us-ascii"):
		var b strings.Builder
		for _, c := range content {
			if c >= utf8.RuneSelf {
				b.WriteRune(utf8.RuneError)
			} else {
				b.WriteByte(c)
			}
		}
		return b.String(), nil
	}
	return "", errors.New("mime: unhandled charset " + strings.ToLower(charset))
}

func qDecode(s string) ([]byte, error) {
	dec := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			dec = append(dec, ' ')
		case c == '=':
			if i+2 >= len(s) {
				return nil, ErrInvalidWord
			}
			hi, lo := fromHex(s[i+1]), fromHex(s[i+2])
			if hi < 0 || lo < 0 {
				return nil, errors.New("mime: invalid hex byte")
			}
			dec = append(dec, byte(hi<<4|lo))
			i += 2
		case c >= ' ' && c <= '~' || c == '\n' || c == '\r' || c == '\t':
			dec = append(dec, c)
		default:
			return nil, ErrInvalidWord
		}
	}
	return dec, nil
}

// fromHex is the value of a hex digit (lower case too, as mime accepts
// it), -1 for anything else.
func fromHex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	}
	return -1
}
