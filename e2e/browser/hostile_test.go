package browser

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
)

// hostileBanner is server text that would run script if a page put it in
// innerHTML (docs/SECURITY.md, T10).
const hostileBanner = `<img src=x onerror=alert(1)>`

// injected is what the hostile server pipelines after its 220 to STARTTLS,
// in the same write (CVE-2011-0411 style): the proxy must drop it.
const injected = "250 injected\r\n"

// startHostileServer is an SMTP server on loopback whose every line tries to
// inject markup into the page, and whose STARTTLS injects plaintext and
// presents a certificate nobody trusts.
func startHostileServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	tlsConfig := tunneltest.NewCA(t).ServerConfig(t, "hostile.example")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveHostile(c, tlsConfig)
		}
	}()
	return ln.Addr().String()
}

func serveHostile(c net.Conn, tlsConfig *tls.Config) {
	var conn io.ReadWriteCloser = c
	defer func() { conn.Close() }()
	r := bufio.NewReader(conn)
	say := func(s string) { _, _ = io.WriteString(conn, s) }
	say("220 " + hostileBanner + " ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
		case "EHLO":
			say("250-<b>bold</b> at your service\r\n250-X-<SCRIPT>ALERT(2)</SCRIPT>\r\n250-STARTTLS\r\n250 8BITMIME\r\n")
		case "STARTTLS":
			say("220 go ahead\r\n" + injected)
			tc := tls.Server(c, tlsConfig)
			if tc.Handshake() != nil {
				return
			}
			conn, r = tc, bufio.NewReader(tc)
		case "QUIT":
			say("221 <script>alert(3)</script> bye\r\n")
			return
		default:
			say("250 ok\r\n")
		}
	}
}

// Server text is shown as text: a hostile banner, capabilities and replies
// stay literal, and no script runs (any dialog fails the test). Its
// STARTTLS shows on the TLS card as unverified, with the injected bytes
// the proxy dropped.
func TestBrowserServerTextIsText(t *testing.T) {
	t.Parallel()
	addr := startHostileServer(t)
	_, hs := apptest.Start(t, "-allow-private", "-allow", addr+",insecure")
	b := newBrowser(t, hs.URL)

	b.eval(`document.querySelector("#target").value = `+strconv.Quote(addr)+`; document.querySelector("#target").dispatchEvent(new Event("change"))`, nil)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", hostileBanner)
	b.typeLine("EHLO smtp.test")
	b.wait(`document.querySelector("#caps").textContent.includes("X-<SCRIPT>ALERT(2)</SCRIPT>")`, "the hostile capability, literally")
	b.do(chromedp.Click(chromedp.CSS(`#transcript li[data-seq="1"]`)))
	b.wait(`document.querySelector("#transcript .explain") !== null`, "the banner's explanation")
	b.typeLine("STARTTLS")
	b.wait(`!document.querySelector("#tls-card").hidden`, "the TLS card")
	card := b.text(`document.querySelector("#tls-card").textContent`)
	for _, want := range []string{"not verified", "hostile.example", strconv.Itoa(len(injected)) + " bytes arrived in plaintext"} {
		if !strings.Contains(card, want) {
			t.Errorf("TLS card lacks %q: %s", want, card)
		}
	}
	if tr := b.transcript(); strings.Contains(tr, "injected") {
		t.Errorf("the injected line reached the page:\n%s", tr)
	}
	b.typeLine("EHLO smtp.test")
	b.waitLine("server", "250 8BITMIME")
	b.typeLine("QUIT")
	b.waitLine("server", "<script>alert(3)</script> bye")

	var counts struct{ Img, Script, B int }
	b.eval(`({img: document.querySelectorAll("main img").length, script: document.querySelectorAll("main script").length, b: document.querySelectorAll("#transcript b, #caps b").length})`, &counts)
	if counts != (struct{ Img, Script, B int }{}) {
		t.Fatalf("server text became markup: %+v", counts)
	}
	b.shot("hostile", look{width: 1280})
}

// HTML mail opens in a frame that runs no script and can reach nothing.
func TestBrowserHTMLMailIsSandboxed(t *testing.T) {
	t.Parallel()
	_, hs := apptest.Start(t)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	// Pasted into the input as one text, as the second seed advises: the
	// page sends it line by line, waiting where SMTP says to.
	b.eval(`(() => {
		const text = [
			"EHLO smtp.test", "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA",
			"From: <a@example.org>", "To: <b@example.org>", "Subject: HTML", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8", "",
			"<h1 style=\"color:#0a66c2\">Hello HTML</h1><img src=\"http://tracker.invalid/pixel.gif\" onerror=\"parent.document.title='pwned'\">",
			"<script>parent.document.title = 'pwned'; alert(4)</script><form action=\"http://evil.invalid/\"><button>go</button></form>",
			"."].join("\r\n") + "\r\n";
		const data = new DataTransfer();
		data.setData("text/plain", text);
		document.querySelector("#line").dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
	})()`, nil)
	b.wait(`document.querySelector("#inbox button") !== null`, "the HTML message in the inbox")
	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.querySelector("#msg-panel iframe") !== null`, "the HTML view")
	var frame struct {
		Sandbox string
		Open    bool
		CSP     bool
		Title   string
	}
	b.eval(`(() => { const f = document.querySelector("#msg-panel iframe"); return {sandbox: f.getAttribute("sandbox"), open: f.contentDocument !== null,
		csp: !f.hasAttribute("srcdoc") && /\/messages\/[^/]+\/html$/.test(f.getAttribute("src")), title: document.title}; })()`, &frame)
	if frame.Sandbox != "" || frame.Open || !frame.CSP || frame.Title == "pwned" {
		t.Fatalf("frame %+v", frame)
	}
	b.shot("html-mail", look{width: 1280})
}
