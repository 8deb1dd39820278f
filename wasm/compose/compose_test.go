package compose

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

var when = time.Date(2012, 9, 24, 18, 38, 8, 0, time.FixedZone("CEST", 2*3600))

const polish = "Witaj, właśnie przeprowadzam test SMTP. ąćęłńóśźż"

func texts(lines []Line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  Message
		want []string
	}{{
		name: "ascii",
		msg:  Message{From: "gorniksmtp@example.org", To: "gorniksmtp@example.org", Subject: "TEST SMTP", Body: "Hello.\nBye."},
		want: []string{
			"From: <gorniksmtp@example.org>",
			"To: <gorniksmtp@example.org>",
			"Subject: TEST SMTP",
			"Date: Mon, 24 Sep 2012 18:38:08 +0200",
			"Message-ID: <id1@example.org>",
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=utf-8",
			"Content-Transfer-Encoding: 7bit",
			"",
			"Hello.",
			"Bye.",
			".",
		},
	}, {
		name: "polish body as 8bit, names encoded",
		msg: Message{From: "Mateusz Gaweł <gorniksmtp@example.org>", To: "a@example.org, Bob <b@example.org>",
			Subject: "Zażółć", Body: polish + "\r\n", EightBit: true},
		want: []string{
			"From: =?utf-8?q?Mateusz_Gawe=C5=82?= <gorniksmtp@example.org>",
			"To: <a@example.org>, \"Bob\" <b@example.org>",
			"Subject: =?utf-8?q?Za=C5=BC=C3=B3=C5=82=C4=87?=",
			"Date: Mon, 24 Sep 2012 18:38:08 +0200",
			"Message-ID: <id1@example.org>",
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=utf-8",
			"Content-Transfer-Encoding: 8bit",
			"",
			polish,
			".",
		},
	}, {
		name: "polish body as quoted-printable without 8BITMIME",
		msg:  Message{From: "a@example.org", To: "b@example.org", Body: polish},
		want: []string{
			"From: <a@example.org>",
			"To: <b@example.org>",
			"Date: Mon, 24 Sep 2012 18:38:08 +0200",
			"Message-ID: <id1@example.org>",
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=utf-8",
			"Content-Transfer-Encoding: quoted-printable",
			"",
			"Witaj, w=C5=82a=C5=9Bnie przeprowadzam test SMTP. =C4=85=C4=87=C4=99=C5=82=",
			"=C5=84=C3=B3=C5=9B=C5=BA=C5=BC",
			".",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			tc.msg.Date, tc.msg.MessageID = when, "id1@example.org"
			lines, err := tc.msg.Lines()
			if err != nil {
				t.Fatal(err)
			}
			if got := texts(lines); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// Whatever the encoding, a mail reader gets back exactly what was typed.
func TestRoundTrip(t *testing.T) {
	subject := "Test SMTP — zażółć gęślą jaźń, a subject long enough to need more than one encoded word"
	body := polish + "\n.a line that starts with a dot\n\n" + strings.Repeat("ż", 600)
	for _, eight := range []bool{false, true} {
		m := Message{From: "Zoë <zoe@example.org>", To: "b@example.org", Subject: subject, Body: body, EightBit: eight}
		lines, err := m.Lines()
		if err != nil {
			t.Fatal(err)
		}
		var wire bytes.Buffer
		for _, l := range lines {
			if len(l.Wire) > 998 {
				t.Errorf("eightBit=%v: a line of %d octets", eight, len(l.Wire))
			}
			if l.Part == PartEnd {
				break
			}
			// What the server stores: the wire line with the stuffing removed.
			wire.WriteString(strings.TrimPrefix(l.Wire, "."))
			if l.Stuffed != (l.Wire != l.Text) || (l.Stuffed && l.Wire != "."+l.Text) {
				t.Errorf("stuffing of %q: %q", l.Text, l.Wire)
			}
			wire.WriteString("\r\n")
		}
		msg, err := mail.ReadMessage(&wire)
		if err != nil {
			t.Fatal(err)
		}
		dec := new(mime.WordDecoder)
		if got, _ := dec.DecodeHeader(msg.Header.Get("Subject")); got != subject {
			t.Errorf("subject %q", got)
		}
		if got, _ := dec.DecodeHeader(msg.Header.Get("From")); got != "Zoë <zoe@example.org>" {
			t.Errorf("from %q", got)
		}
		raw, _ := io.ReadAll(msg.Body)
		text := string(raw)
		if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			text = decodeQP(t, raw)
		}
		if want := strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"; text != want {
			t.Errorf("eightBit=%v: body\n%q\nwant\n%q", eight, text, want)
		}
	}
}

func TestFold(t *testing.T) {
	long := strings.Repeat("word ", 30)
	got := fold("Subject", long)
	if len(got) < 2 {
		t.Fatalf("not folded: %q", got)
	}
	for i, l := range got {
		if len(l) > maxHeaderLine {
			t.Errorf("line %d has %d characters", i, len(l))
		}
		if i > 0 && !strings.HasPrefix(l, " ") {
			t.Errorf("continuation %q does not start with a space", l)
		}
	}
	if strings.Join(got, "") != "Subject: "+long {
		t.Errorf("folding changed the text: %q", got)
	}
	if got := fold("X", strings.Repeat("a", 100)); len(got) != 1 {
		t.Errorf("a single long word was broken: %q", got)
	}
}

func TestAddresses(t *testing.T) {
	env, err := Message{From: "Ada <ada@example.org>", To: "b@example.org, C <c@example.org>", Body: "ż"}.Addresses()
	if err != nil {
		t.Fatal(err)
	}
	if env.From != "ada@example.org" || strings.Join(env.To, " ") != "b@example.org c@example.org" || !env.EightBit {
		t.Errorf("%+v", env)
	}
	for _, m := range []Message{
		{To: "b@example.org"},
		{From: "a@example.org"},
		{From: "not an address", To: "b@example.org"},
		{From: "a@example.org", To: "b@, c"},
	} {
		if _, err := m.Addresses(); err == nil {
			t.Errorf("%+v: no error", m)
		}
		if _, err := m.Lines(); err == nil {
			t.Errorf("%+v: Lines gave no error", m)
		}
	}
}

func TestMessageIDAndDate(t *testing.T) {
	lines, err := Message{From: "a@mail.example.org", To: "b@example.org", Body: "x"}.Lines()
	if err != nil {
		t.Fatal(err)
	}
	var id, date string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l.Text, "Message-ID: "); ok {
			id = v
		}
		if v, ok := strings.CutPrefix(l.Text, "Date: "); ok {
			date = v
		}
	}
	if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@mail.example.org>") || len(id) < 30 {
		t.Errorf("Message-ID %q", id)
	}
	if d, err := mail.ParseDate(date); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %q: %v", date, err)
	}
}

func decodeQP(t *testing.T, raw []byte) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
