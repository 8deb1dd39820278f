package browser

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/nginx"
)

// The page as make static builds it, on nginx running the README's block
// for a static host (no smtplay process): nginx sends the precompressed
// copies and the README's headers; api/targets is not there, so the page
// starts the in-page sandbox and says so, and the first seed's session
// typed on the strict profile (EHLO, STARTTLS, EHLO, AUTH LOGIN with the
// practice login, MAIL, RCPT, DATA with a UTF-8 body, QUIT) delivers a
// message the inbox shows.
func TestBrowserOfflineStaticSite(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	root := staticBuild(t)
	base := nginx.StartStatic(t, root, "https://course.example.org")
	checkStaticHost(t, root, base, "https://course.example.org")
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

// staticBuild makes build/static/ with `make static`, once for the test
// binary (the tests serve it side by side), and returns it. make test
// builds it before the browser tests; here it only checks it is current.
func staticBuild(t *testing.T) string {
	t.Helper()
	built.Do(func() {
		root, err := filepath.Abs("../..")
		if err != nil {
			built.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "make", "-C", root, "static").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("make static: %v\n%s", err, out)
			return
		}
		built.dir = filepath.Join(root, "build", "static")
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.dir
}

var built struct {
	sync.Once
	dir string
	err error
}

// assetPath finds the build's a/<hash>/ in its index.html.
var assetPath = regexp.MustCompile(`a/[0-9a-f]{16}/`)

// checkStaticHost asks the static host at base, as a browser would, for
// the page, the embed page and the in-page sandbox: each comes in the
// copy asked for (brotli, gzip, none), the very bytes make static wrote,
// with the README's caching and Content-Security-Policy (embed.html framed
// by embedder alone).
func checkStaticHost(t *testing.T, root, base, embedder string) {
	t.Helper()
	index, err := os.ReadFile(filepath.Join(root, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	prefix := assetPath.FindString(string(index))
	if prefix == "" {
		t.Fatalf("index.html names no a/<hash>/:\n%s", index)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, c := range []struct {
		path, accept, encoding, file, caching, ancestors string
	}{
		{prefix + "sandbox.wasm", "gzip, deflate, br", "br", prefix + "sandbox.wasm.br", "immutable", "frame-ancestors 'self'"},
		{prefix + "sandbox.wasm", "gzip", "gzip", prefix + "sandbox.wasm.gz", "immutable", "frame-ancestors 'self'"},
		{prefix + "main.wasm", "identity", "", prefix + "main.wasm", "immutable", "frame-ancestors 'self'"},
		{"", "br", "br", "index.html.br", "no-cache", "frame-ancestors 'self'"},
		{"embed.html", "gzip", "gzip", "embed.html.gz", "no-cache", "frame-ancestors 'self' " + embedder},
		{"settings.json", "br", "", "settings.json", "no-cache", "frame-ancestors 'self'"},
	} {
		req, _ := http.NewRequest("GET", base+"/"+c.path, nil)
		req.Header.Set("Accept-Encoding", c.accept)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		want, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(c.file)))
		h := resp.Header
		if err != nil || resp.StatusCode != 200 || h.Get("Content-Encoding") != c.encoding || string(body) != string(want) {
			t.Errorf("GET /%s (Accept-Encoding: %s): %s, Content-Encoding %q, %d B; want %q, %s (%d B)", c.path, c.accept, resp.Status, h.Get("Content-Encoding"), len(body), c.encoding, c.file, len(want))
		}
		if !strings.Contains(h.Get("Cache-Control"), c.caching) || !strings.HasSuffix(h.Get("Content-Security-Policy"), c.ancestors) || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET /%s: Cache-Control %q, Content-Security-Policy %q, X-Content-Type-Options %q", c.path, h.Get("Cache-Control"), h.Get("Content-Security-Policy"), h.Get("X-Content-Type-Options"))
		}
		if c.encoding != "" && h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("GET /%s: Vary %q", c.path, h.Get("Vary"))
		}
		if strings.HasSuffix(c.path, ".wasm") && h.Get("Content-Type") != "application/wasm" {
			t.Errorf("GET /%s: Content-Type %q", c.path, h.Get("Content-Type"))
		}
	}
}

// serveStatic serves dir with python3's http.server on a free port of the
// loopback address bind until the test ends, and returns its URL (with
// host, for another name of the same address) once it listens.
func serveStatic(t *testing.T, python, dir, bind, host string) string {
	t.Helper()
	cmd := exec.Command(python, "-u", "-m", "http.server", "--bind", bind, "--directory", dir, "0")
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
	case port, ok := <-found:
		if !ok {
			t.Fatal("python3 -m http.server stopped without serving")
		}
		return "http://" + host + ":" + port
	case <-time.After(stepTimeout):
		t.Fatal("python3 -m http.server did not start")
		return ""
	}
}

var servingOn = regexp.MustCompile(` port (\d+) \(http://`)
