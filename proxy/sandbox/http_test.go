package sandbox

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// mimeMessage is a multipart message with a text and an HTML body, an
// attachment with an encoded-word file name, and a latin-1 header.
const mimeMessage = "From: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.org>\r\n" +
	"To: friend@example.net\r\n" +
	"Subject: =?utf-8?B?4pyJIEEgcmVwb3J0?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
	"\r\n" +
	"preamble\r\n" +
	"--outer\r\n" +
	"Content-Type: multipart/alternative; boundary=\"inner\"\r\n" +
	"\r\n" +
	"--inner\r\n" +
	"Content-Type: text/plain; charset=iso-8859-1\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Gr=FC=DFe =80 5\r\n" +
	"--inner\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"\r\n" +
	"<p>Hello <b>there</b></p>\r\n" +
	"--inner--\r\n" +
	"--outer\r\n" +
	"Content-Type: application/pdf; name=\"old.pdf\"\r\n" +
	"Content-Disposition: attachment; filename=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBERi0xLjQKJcfsj6IK\r\n" +
	"--outer\r\n" +
	"Content-Type: image/png\r\n" +
	"Content-Disposition: inline\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"iVBORw0KGgo=\r\n" +
	"--outer--\r\n"

// deliverOne sends data into a new mailbox and returns the token and id.
func deliverOne(t *testing.T, s *Sandbox, data string) (token, id string) {
	t.Helper()
	var d Delivery
	c, token := dial(t, s, "sandbox", "", func(x Delivery) { d = x })
	c.do("EHLO client.example", "250 ")
	if got := c.sendMessage("joerg@example.org", []string{"friend@example.net"}, data); !strings.HasPrefix(got[0], "250 ") {
		t.Fatalf("got %q", got)
	}
	c.exact("QUIT", "221 2.0.0 Bye")
	return token, d.ID
}

func keys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func TestAPIShapes(t *testing.T) {
	s := newTestSandbox(t, Config{})
	token, id := deliverOne(t, s, mimeMessage)

	var list map[string][]map[string]any
	apiJSON(t, s, "/api/sandbox/"+token+"/messages", &list)
	if got := keys(list["messages"][0]); !slices.Equal(got, []string{"from", "id", "received", "size", "subject", "to"}) {
		t.Errorf("list entry keys %q", got)
	}

	var raw map[string]any
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+id, &raw)
	if got := keys(raw); !slices.Equal(got, []string{"attachments", "date", "from", "headers", "html", "id", "mime", "subject", "text", "to"}) {
		t.Errorf("message keys %q", got)
	}
	if got := keys(raw["mime"].(map[string]any)); !slices.Equal(got, []string{"content_type", "parts", "size"}) {
		t.Errorf("mime keys %q", got)
	}
	if got := keys(raw["attachments"].([]any)[0].(map[string]any)); !slices.Equal(got, []string{"content_type", "filename", "size"}) {
		t.Errorf("attachment keys %q", got)
	}
	if got := keys(raw["headers"].([]any)[0].(map[string]any)); !slices.Equal(got, []string{"name", "value"}) {
		t.Errorf("header keys %q", got)
	}

	var v messageView
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+id, &v)
	if v.Subject != "✉ A report" || v.From != "joerg@example.org" || v.To[0] != "friend@example.net" || v.Date != "" {
		t.Errorf("envelope/subject/date: %q %q %q %q", v.Subject, v.From, v.To, v.Date)
	}
	if i := slices.IndexFunc(v.Headers, func(h headerView) bool { return h.Name == "From" }); i < 0 || v.Headers[i].Value != "Jörg <joerg@example.org>" {
		t.Errorf("From header not decoded: %+v", v.Headers)
	}
	if v.Text != "Grüße € 5" {
		t.Errorf("text %q", v.Text)
	}
	if v.HTML != "<p>Hello <b>there</b></p>" {
		t.Errorf("html %q", v.HTML)
	}
	wantAtt := []attachmentView{
		{Filename: "résumé.pdf", ContentType: "application/pdf", Size: 15},
		{Filename: "", ContentType: "image/png", Size: 8},
	}
	if !slices.Equal(v.Attachments, wantAtt) {
		t.Errorf("attachments %+v, want %+v", v.Attachments, wantAtt)
	}
	tree, _ := json.Marshal(v.MIME)
	wantTree := `{"content_type":"multipart/mixed","size":57,"parts":[` +
		`{"content_type":"multipart/alternative","size":34,"parts":[` +
		`{"content_type":"text/plain","size":9,"parts":[]},` +
		`{"content_type":"text/html","size":25,"parts":[]}]},` +
		`{"content_type":"application/pdf","size":15,"parts":[]},` +
		`{"content_type":"image/png","size":8,"parts":[]}]}`
	if string(tree) != wantTree {
		t.Errorf("mime tree\n got %s\nwant %s", tree, wantTree)
	}
}

func TestAPIPlainMessages(t *testing.T) {
	s := newTestSandbox(t, Config{})
	// No header block at all: shown as text.
	token, id := deliverOne(t, s, "just a line\r\n")
	var v messageView
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+id, &v)
	if v.Text != "just a line\r\n" || v.MIME.ContentType != "text/plain" || v.Subject != "" {
		t.Errorf("%+v", v)
	}
	// A header with no Content-Type: text/plain by default; a latin-1 body.
	token, id = deliverOne(t, s, "Subject: plain\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\ncaf\xe9 \x93quoted\x94\r\n")
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+id, &v)
	if v.Text != "café “quoted”\r\n" || v.Subject != "plain" {
		t.Errorf("text %q subject %q", v.Text, v.Subject)
	}
	// An unknown charset: shown with invalid bytes replaced.
	token, id = deliverOne(t, s, "Content-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xd2\xc9\r\n")
	apiJSON(t, s, "/api/sandbox/"+token+"/messages/"+id, &v)
	if v.Text != "\uFFFD\r\n" {
		t.Errorf("text %q", v.Text)
	}
}

func TestAPIErrors(t *testing.T) {
	s := newTestSandbox(t, Config{})
	token, id := deliverOne(t, s, "Subject: x\r\n\r\nx\r\n")
	other, _ := deliverOne(t, s, "Subject: y\r\n\r\ny\r\n")
	tests := []struct {
		method, path string
		code         int
	}{
		{"GET", "/api/sandbox/nonesuch/messages", 404},
		{"GET", "/api/sandbox/nonesuch/messages/" + id, 404},
		{"GET", "/api/sandbox/nonesuch/messages/" + id + "/raw", 404},
		{"GET", "/api/sandbox/" + token + "/messages/NOPE", 404},
		{"GET", "/api/sandbox/" + token + "/messages/NOPE/raw", 404},
		{"GET", "/api/sandbox/" + other + "/messages/" + id, 404}, // another mailbox's message
		{"GET", "/api/sandbox/" + token + "/messages/", 404},
		{"GET", "/api/sandbox/" + token, 404},
		{"GET", "/api/sandbox/", 404},
		{"GET", "/api/sandbox//messages", 404},
		{"GET", "/api/sandbox/" + token + "/messages/" + id + "/raw/x", 404},
		{"GET", "/api/other", 404},
		{"POST", "/api/sandbox/" + token + "/messages", 405},
		{"DELETE", "/api/sandbox/" + token + "/messages/" + id, 405},
		{"HEAD", "/api/sandbox/" + token + "/messages", 200},
	}
	for _, tt := range tests {
		code, h, body := api(t, s, tt.method, tt.path)
		if code != tt.code {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, code, tt.code)
			continue
		}
		if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: headers %v", tt.method, tt.path, h)
		}
		if code == 200 {
			continue
		}
		var e map[string]string
		if err := json.Unmarshal(body, &e); err != nil || e["error"] == "" || len(e) != 1 {
			t.Errorf("%s %s: body %s", tt.method, tt.path, body)
		}
		if code == 405 && h.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: Allow %q", tt.method, tt.path, h.Get("Allow"))
		}
	}
}

func TestMailboxes(t *testing.T) {
	s := newTestSandbox(t, Config{})
	// Unknown and empty tokens make new mailboxes.
	c1, t1 := dial(t, s, "sandbox", "nonesuch", nil)
	c2, t2 := dial(t, s, "sandbox", "", nil)
	if t1 == "nonesuch" || t1 == t2 || len(t1) < 20 {
		t.Fatalf("tokens %q %q", t1, t2)
	}
	c1.do("EHLO one.example", "250 ")
	c2.do("EHLO two.example", "250 ")
	c1.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: one\r\n\r\n1\r\n")
	c2.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: two\r\n\r\n2\r\n")
	c1.exact("QUIT", "221 2.0.0 Bye")
	// Each mailbox sees only its own mail.
	l1, l2 := list(t, s, t1), list(t, s, t2)
	if len(l1.Messages) != 1 || l1.Messages[0].Subject != "one" || len(l2.Messages) != 1 || l2.Messages[0].Subject != "two" {
		t.Fatalf("mailboxes not isolated: %+v %+v", l1, l2)
	}
	// Reattaching keeps the mailbox, across profiles too.
	c3, t3 := dial(t, s, "sandbox-strict", t1, nil)
	if t3 != t1 {
		t.Fatalf("reattach gave %q, want %q", t3, t1)
	}
	c3.do("EHLO one.example", "250 ")
	c3.startTLS(s, "sandbox-strict")
	c3.do("EHLO one.example", "250 ")
	c3.authPlain("student", "practice")
	c3.sendMessage("a@example.org", []string{"b@example.org"}, "Subject: three\r\n\r\n3\r\n")
	if l := list(t, s, t1); len(l.Messages) != 2 || l.Messages[0].Subject != "three" {
		t.Fatalf("after reattach %+v", l)
	}
}
