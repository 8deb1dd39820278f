package rfc2047

import (
	"mime"
	"strings"
	"testing"
)

var seeds = []string{
	"", "plain ASCII", "tab\tkept", "Zażółć gęślą jaźń", "Привет, мир", "a=b?c_d", "line\r\nbreak",
	strings.Repeat("é", 60), strings.Repeat("x", 80) + "ü", "\xff\xfe invalid", "emoji 😀 " + strings.Repeat("字", 40),
}

// FuzzEncodeLikeMime holds QEncode and BEncode against mime's encoders,
// for both spellings of the charset the page uses and one other.
func FuzzEncodeLikeMime(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, cs := range []string{"utf-8", "UTF-8", "iso-8859-1"} {
			if got, want := QEncode(cs, s), mime.QEncoding.Encode(cs, s); got != want {
				t.Errorf("QEncode(%q, %q) = %q, mime: %q", cs, s, got, want)
			}
			if got, want := BEncode(cs, s), mime.BEncoding.Encode(cs, s); got != want {
				t.Errorf("BEncode(%q, %q) = %q, mime: %q", cs, s, got, want)
			}
		}
	})
}

// FuzzDecodeLikeMime holds DecodeWord against mime.WordDecoder.Decode:
// the same text, or both an error.
func FuzzDecodeLikeMime(f *testing.F) {
	for _, s := range seeds {
		f.Add(mime.QEncoding.Encode("utf-8", s))
		f.Add(mime.BEncoding.Encode("UTF-8", s))
	}
	for _, w := range []string{"=?iso-8859-1?q?caf=E9?=", "=?US-ASCII?Q?a=FFb?=", "=?koi8-r?b?8NLJ9w==?=", "=?utf-8?x?abc?=",
		"=?utf-8?q?a=2?=", "=?utf-8?q?=zz?=", "=?utf-8?q?=c3=a9?=", "=??q?a?=", "=?utf-8?qq?a?=", "=?utf-8?b?!!?=", "=?utf-8?q?a\x01?=", "nope"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		got, err := DecodeWord(w)
		want, werr := new(mime.WordDecoder).Decode(w)
		if (err != nil) != (werr != nil) || got != want {
			t.Errorf("DecodeWord(%q) = %q, %v; mime: %q, %v", w, got, err, want, werr)
		}
	})
}
