package browser

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
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
}

// staticBuild makes build/static/ with `make static-plain` and returns it.
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
	return filepath.Join(root, "build", "static")
}

// serveStatic serves dir with python3's http.server on loopback until the
// test ends, and returns its URL.
func serveStatic(t *testing.T, python, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(python, "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir, fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	base := fmt.Sprintf("http://127.0.0.1:%d/", port)
	apptest.WaitUntil(t, func() bool {
		resp, err := http.Get(base + "index.html")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}
