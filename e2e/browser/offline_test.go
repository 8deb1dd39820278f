package browser

import (
	"bufio"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// The page as plain files on a static host (python3 -m http.server, no
// smtplay process): api/targets is not there, so the page starts the
// in-page sandbox and says so, and the first seed's session typed on the
// strict profile (EHLO, STARTTLS, EHLO, AUTH LOGIN with the practice
// login, MAIL, RCPT, DATA with a UTF-8 body, QUIT) delivers a message the
// inbox shows.
func TestBrowserOfflineStaticSite(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	python := apptest.NeedTool(t, "python3")
	base := serveStatic(t, python, staticBuild(t))
	b := newBrowser(t, base)
	if note := b.text(`document.querySelector("#offline-note")?.textContent ?? ""`); !strings.Contains(note, "running in your browser") {
		t.Fatalf("the page does not say the practice server runs in the browser: %q", note)
	}
	if about := b.text(`document.querySelector(".about").textContent`); strings.Contains(about, "proxy") || !strings.Contains(about, "running in this page") {
		t.Errorf("the footer speaks of a proxy: %q", about)
	}
	b.eval(`document.querySelector("#target").value = "sandbox-strict"; document.querySelector("#target").dispatchEvent(new Event("change"))`, nil)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	for _, st := range gmailRetyped(true) {
		b.seedStep(st)
	}
	b.waitLine("server", "221 ")
	if tls := b.text(`document.querySelector("#transcript").textContent`); !strings.Contains(tls, "TLS") {
		t.Errorf("the transcript says nothing of TLS:\n%s", tls)
	}
	// The seed's body line breaks its header (sent anyway), so the message
	// has no Subject: it is found by its sender.
	b.wait(`[...document.querySelectorAll("#inbox .who")].some((s) => s.textContent.includes("gorniksmtp@gmail.com"))`, "the message in the inbox")
	b.do(chromedp.Click(chromedp.CSS("#inbox button")))
	b.wait(`document.querySelector("#message").open`, "the message open")
	if text := b.text(`document.querySelector("#message").textContent`); !strings.Contains(text, "Witaj, właśnie przeprowadzam test SMTP.") {
		t.Errorf("the message lacks its UTF-8 text: %s", text)
	}
	b.shot("offline-message", look{width: 1280}, look{width: 375, dark: true})
	b.do(chromedp.Click(chromedp.ID("msg-close")))
	b.shot("offline-page", look{width: 1280}, look{width: 375, dark: true})

	// An HTML message: its sanitized part comes from the worker by its text.
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.eval(`smtplay.paste(["EHLO offline.example", "STARTTLS"])`, nil)
	b.waitLine("server", "220 2.0.0")
	b.eval(`smtplay.paste(["EHLO offline.example", "AUTH PLAIN AHN0dWRlbnQAcHJhY3RpY2U=", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"])`, nil)
	b.waitLine("server", "354 ")
	b.eval(`smtplay.paste(["Subject: html", "Content-Type: text/html; charset=utf-8", "", "<p>Hello <b>offline</b><script>alert(1)</script></p>", "."])`, nil)
	b.wait(`[...document.querySelectorAll("#inbox .subject")].some((s) => s.textContent === "html")`, "the HTML message in the inbox")
	b.eval(`[...document.querySelectorAll("#inbox button")].find((el) => el.textContent.includes("html")).click(), true`, nil)
	b.wait(`document.querySelector("#message").open`, "the HTML message open")
	b.do(chromedp.Click(chromedp.CSS(`#message [data-tab="html"]`)))
	b.wait(`document.querySelector("#msg-panel iframe")?.srcdoc.includes("<b>offline</b>")`, "the sanitized HTML in the frame")
	if doc := b.text(`document.querySelector("#msg-panel iframe").srcdoc`); strings.Contains(doc, "<script") {
		t.Errorf("the frame holds a script: %s", doc)
	}
	if sb := b.text(`document.querySelector("#msg-panel iframe").getAttribute("sandbox")`); sb != "" {
		t.Errorf("the frame's sandbox is %q, want empty", sb)
	}
	b.do(chromedp.Click(chromedp.ID("msg-close")))

	b.eval(`document.querySelector("#lang").value = "pl"; document.querySelector("#lang").dispatchEvent(new Event("change"))`, nil)
	b.wait(`document.querySelector("#offline-note").textContent.includes("w Twojej przeglądarce")`, "the note in Polish")
	b.shot("offline-page-pl", look{width: 375})
}

// staticBuild makes build/static-plain/ with `make static-plain` and returns it.
func staticBuild(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "make", "-C", root, "static-plain").CombinedOutput(); err != nil {
		t.Fatalf("make static-plain: %v\n%s", err, out)
	}
	return filepath.Join(root, "build", "static-plain")
}

// serveStatic serves dir with python3's http.server on a free loopback
// port until the test ends, and returns its URL once it listens.
func serveStatic(t *testing.T, python, dir string) string {
	t.Helper()
	cmd := exec.Command(python, "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir, "0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// It says "Serving HTTP on 127.0.0.1 port N (http://127.0.0.1:N/) ..." once it listens.
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingOn.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatal("python3 -m http.server stopped without serving")
		}
		return base
	case <-time.After(stepTimeout):
		t.Fatal("python3 -m http.server did not start")
		return ""
	}
}

var servingOn = regexp.MustCompile(`\((http://127\.0\.0\.1:\d+/)\)`)
