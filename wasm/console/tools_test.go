package console

import (
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wire"
)

func TestSentencesCoverEveryCode(t *testing.T) {
	for _, code := range []wire.Code{wire.BadRequest, wire.NotAllowed, wire.DialFailed, wire.TLSFailed, wire.BadLineEnding,
		wire.FrameTooLarge, wire.ReplyPending, wire.NotSupported, wire.RateLimited, wire.SessionLimit, wire.Timeout, wire.Internal} {
		if _, ok := book.Lookup("tunnel." + string(code)); !ok {
			t.Errorf("no sentence for %s", code)
		}
	}
	for _, code := range []wire.Code{CodeLost, CodeUnreachable} {
		if _, ok := book.Lookup("tunnel." + string(code)); !ok {
			t.Errorf("no sentence for %s", code)
		}
	}
	for key := range book.Book() {
		if code, ok := strings.CutPrefix(key, "refusal."); ok && !refusesFrame[wire.Code(code)] {
			t.Errorf("%s: %s refuses no line", key, code)
		}
	}
	if RefusalSentence(wire.NotAllowed).English == Sentence(wire.NotAllowed).English || RefusalSentence(wire.Timeout).English != Sentence(wire.Timeout).English {
		t.Error("refusal sentences")
	}
	if s := Sentence("new_code"); !strings.Contains(s.English, "new_code") || s.Phrases[0].Args["code"] != "new_code" {
		t.Errorf("unknown code: %+v", s)
	}
	for by, want := range map[string]string{"server": "mail server", "client": "You closed", "proxy": "playground", "": "over"} {
		if s := ClosedSentence(wire.Closed{By: by, Reason: "r"}).English; !strings.Contains(s, want) || !strings.HasSuffix(s, ": r.") {
			t.Errorf("closed by %q: %q", by, s)
		}
		if s := ClosedSentence(wire.Closed{By: by}).English; !strings.Contains(s, want) || strings.Contains(s, ":") {
			t.Errorf("closed by %q, no reason: %q", by, s)
		}
	}
}

func TestBase64(t *testing.T) {
	if got := EncodeBase64("gorniksmtp@gmail.com"); got != "Z29ybmlrc210cEBnbWFpbC5jb20=" {
		t.Errorf("encode: %q", got)
	}
	for in, want := range map[string]Decoded{
		"VXNlcm5hbWU6":         {Text: "Username:", Printable: true, Bytes: 9},
		"VXNlcm5h bWU6\n":      {Text: "Username:", Printable: true, Bytes: 9},
		"xIXEhw":               {Text: "ąć", Printable: true, Bytes: 4},
		"AHN0dWRlbnQAcHJhY3Q=": {Text: `"\x00student\x00pract"`, Bytes: 14},
	} {
		got, err := DecodeBase64(in)
		if err != nil || got != want {
			t.Errorf("decode %q: %+v, %v", in, got, err)
		}
	}
	if _, err := DecodeBase64("not base64!"); err != ErrNotBase64 {
		t.Errorf("bad input: %v", err)
	}
}

func TestAuthLines(t *testing.T) {
	plain, err := AuthLines("plain", "student", "practice")
	if err != nil || len(plain) != 1 || plain[0].Text != "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=" || !plain[0].Secret {
		t.Errorf("PLAIN: %+v %v", plain, err)
	}
	login, err := AuthLines("LOGIN", "student", "practice")
	if err != nil || len(login) != 3 || login[1].Text != "c3R1ZGVudA==" || login[2].Text != "cHJhY3RpY2U=" {
		t.Errorf("LOGIN: %+v %v", login, err)
	}
	if _, err := AuthLines("CRAM-MD5", "a", "b"); err == nil {
		t.Error("CRAM-MD5: no error")
	}
}

func TestSplitLines(t *testing.T) {
	for in, want := range map[string][]string{
		"":                   nil,
		"EHLO x":             {"EHLO x"},
		"EHLO x\r\nNOOP\r\n": {"EHLO x", "NOOP"},
		"a\n\nb\n":           {"a", "", "b"},
		"a\rb":               {"a", "b"},
		"\n":                 {""},
	} {
		if got := SplitLines(in); strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
