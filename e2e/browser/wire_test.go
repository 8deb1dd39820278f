package browser

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The wire view on the sandbox: before STARTTLS the AUTH line as it
// crossed the network, with its base64 decoded to the password; after it,
// TLS records only, the commands inside them. The toggle shows what was
// typed on the same lines. The .pcapng the page saves is read by tshark,
// which decrypts the session with the key log the file carries.
func TestBrowserWireView(t *testing.T) {
	t.Parallel()
	tshark := apptest.NeedTool(t, "tshark")
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)

	if !b.bool(`document.querySelector("#wire-body").hidden`) {
		t.Fatal("the wire view is on before it was asked for")
	}
	b.do(chromedp.Click(chromedp.ID("wire-on")), chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO wire.test")
	b.waitLine("server", "250 ")
	b.typeLine("AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=")
	b.waitLine("server", "235 ")
	b.typeLine("STARTTLS")
	b.wait(`!document.querySelector("#tls-card").hidden`, "the TLS card")
	b.typeLine("EHLO wire.test")
	b.waitLine("server", "250-")
	b.typeLine("MAIL FROM:<student@example.org>")
	b.waitLine("server", "250 2.1.0")
	b.wait(`[...document.querySelectorAll("#wire-list .wire-row.up.tls")].filter((r) => r.textContent.includes("application_data")).length >= 2`, "the MAIL record on the wire")

	rows := b.rows()
	auth := -1
	for i, r := range rows {
		if strings.Contains(r, "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=CRLF") {
			auth = i
		}
	}
	if auth < 0 || !strings.Contains(rows[auth], "NULstudentNULpractice") {
		t.Fatalf("no AUTH line decoded to the password in the wire view:\n%s", strings.Join(rows, "\n"))
	}
	starttls := indexOf(rows, "C→SSTARTTLSCRLF")
	ready := indexOf(rows, "220 2.0.0 Ready to start TLSCRLF")
	if starttls < auth || ready < starttls || ready+1 >= len(rows) {
		t.Fatalf("STARTTLS at %d, its 220 at %d, AUTH at %d:\n%s", starttls, ready, auth, strings.Join(rows, "\n"))
	}
	for _, r := range rows[ready+1:] {
		if !strings.Contains(r, "handshake") && !strings.Contains(r, "application_data") && !strings.Contains(r, "change_cipher_spec") {
			t.Fatalf("after STARTTLS, a row that is not a TLS record: %q", r)
		}
		if strings.Contains(r, "MAIL") || strings.Contains(r, "EHLO") {
			t.Fatalf("a command readable after STARTTLS: %q", r)
		}
	}
	if !strings.Contains(strings.Join(rows[ready+1:], "\n"), "your commands are inside") {
		t.Fatal("no reminder that the commands are inside the records")
	}
	b.eval(`document.getElementById("wire-card").scrollIntoView()`, nil)
	b.eval(`[...document.querySelectorAll("#wire-list .wire-row")].find((r) => r.textContent.includes("AUTH PLAIN")).scrollIntoView({block: "center"})`, nil)
	b.shot("wire", look{width: 1280}, look{width: 375})

	// What you typed, on the same lines: the MAIL command inside a record.
	b.do(chromedp.Click(chromedp.CSS(`input[name=wire-show][value=typed]`)))
	typed := b.rows()
	if len(typed) != len(rows) || !strings.Contains(strings.Join(typed[ready+1:], "\n"), "inside: MAIL FROM:<student@example.org>") {
		t.Fatalf("typed view:\n%s", strings.Join(typed, "\n"))
	}
	b.eval(`document.getElementById("wire-card").scrollIntoView()`, nil)
	b.shot("wire-typed", look{width: 1280})
	b.do(chromedp.Click(chromedp.CSS(`input[name=wire-show][value=network]`)))

	// The downloads, as the buttons make them.
	b.eval(`(() => { window.saved = {}; const make = URL.createObjectURL; URL.createObjectURL = (blob) => { const url = make(blob); window.saved[url] = blob; return url; }; })()`, nil)
	b.eval(`(() => { window.savedNames = []; const click = HTMLAnchorElement.prototype.click; HTMLAnchorElement.prototype.click = function () { window.savedNames.push([this.download, this.href]); }; })()`, nil)
	b.do(chromedp.Click(chromedp.ID("wire-pcap")), chromedp.Click(chromedp.ID("wire-keylog")))
	dir := t.TempDir()
	capture := b.saved(dir, "smtplay-session.pcapng")
	keys := b.saved(dir, "smtplay-session.keys")

	// tshark reads it cleanly (decoding AUTH's base64, as it offers to):
	// the login in the clear, then only TLS; with the key log inside the
	// file, or beside it, the MAIL command.
	run := func(args ...string) string {
		cmd := exec.Command(tshark, append([]string{"-r", capture, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-o", "smtp.decryption:TRUE"}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("tshark %q: %v", args, err)
		}
		return string(out)
	}
	if bad := run("-Y", "_ws.expert.severity >= warning || _ws.malformed || tcp.checksum.status == 0"); strings.TrimSpace(bad) != "" {
		t.Fatalf("tshark flags packets:\n%s", bad)
	}
	// Anyone with the capture reads the password, as the view says.
	if login := run("-Y", "smtp.auth.password", "-T", "fields", "-e", "smtp.auth.username", "-e", "smtp.auth.password"); strings.TrimSpace(login) != "student\tpractice" {
		t.Fatalf("tshark read the login as %q", login)
	}
	commands := run("-Y", "smtp.req", "-T", "fields", "-e", "smtp.req.command")
	if got := strings.Join(strings.Fields(commands), " "); got != "EHLO AUTH STAR EHLO MAIL" {
		t.Fatalf("commands read with the key log in the file: %q", got)
	}
	secrets := run("-o", "tls.keylog_file:"+keys, "-Y", "smtp.req.command == \"MAIL\"", "-T", "fields", "-e", "smtp.req.parameter")
	if !strings.Contains(secrets, "FROM:<student@example.org>") {
		t.Fatalf("MAIL with the key log file: %q", secrets)
	}
}

// rows is the wire view's rows, as text.
func (b *browser) rows() []string {
	b.t.Helper()
	var rows []string
	b.eval(`[...document.querySelectorAll("#wire-list .wire-row")].map((r) => r.textContent)`, &rows)
	return rows
}

func (b *browser) bool(expr string) bool {
	b.t.Helper()
	var v bool
	b.eval(expr, &v)
	return v
}

// saved writes the file the page offered under name into dir.
func (b *browser) saved(dir, name string) string {
	b.t.Helper()
	expr := `(async () => { const hit = window.savedNames.find(([n]) => n === ` + jsString(name) + `); if (!hit) return ""; const buf = await window.saved[hit[1]].arrayBuffer(); let s = ""; for (const x of new Uint8Array(buf)) s += String.fromCharCode(x); return btoa(s); })()`
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("reading %s: %v", name, err)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(data) == 0 {
		b.t.Fatalf("the page offered no %s (%v)", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.t.Fatal(err)
	}
	return path
}

func indexOf(rows []string, s string) int {
	for i, r := range rows {
		if strings.Contains(r, s) {
			return i
		}
	}
	return -1
}
