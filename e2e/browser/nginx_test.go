package browser

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/nginx"
	"github.com/smtplay/smtplay/wire"
)

// The page in Chromium through the shipped nginx example: it loads over
// HTTPS, Connect reaches the sandbox through nginx's websocket upgrade, the
// log names the browser's address rather than nginx's, and a page from a
// foreign origin cannot open the tunnel while the page's own origin can.
//
// nginx reaches smtplay from 127.0.0.3 (proxy_bind) and is the only trusted
// proxy, so "client":"127.0.0.1" in the log can only come from the
// X-Forwarded-For nginx wrote for the browser.
func TestBrowserBehindNginx(t *testing.T) {
	t.Parallel()
	// Another site's page, on another origin.
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><title>another site</title>")
	}))
	defer foreign.Close()

	site := nginx.Start(t, "127.0.0.3", map[string]string{
		"proxy_http_version 1.1;": "proxy_http_version 1.1; proxy_bind 127.0.0.3;",
	})
	public, logs := site.Public, site.Logs
	b := newBrowserTrusting(t, spkiHash(t, site.Chain))
	b.base = public + "/"
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready over https")
	if proto := b.text(`location.protocol`); proto != "https:" {
		t.Fatalf("page loaded over %s", proto)
	}

	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	logs.WaitFor(t, `"msg":"session open"`)
	if out := logs.String(); !strings.Contains(out, `"msg":"session open","client":"127.0.0.1"`) || strings.Contains(out, `"client":"127.0.0.3"`) {
		t.Fatalf("the log does not name the browser's address:\n%s", out)
	}

	// The same websocket opened by hand: from the page's own origin it opens
	// (so the refusal below is about the origin, not the snippet), from a
	// page on another origin it is refused and smtplay logs why.
	tunnel := strings.Replace(public, "https", "wss", 1) + "/tunnel"
	if got := tryWebSocket(b, tunnel); got != "open" {
		t.Fatalf("websocket from the page's own origin: %s", got)
	}
	b.do(chromedp.Navigate(foreign.URL + "/"))
	if got := tryWebSocket(b, tunnel); got != "refused" {
		t.Fatalf("websocket from %s: %s, want refused", foreign.URL, got)
	}
	logs.WaitFor(t, `"msg":"tunnel refused"`)
	if out := logs.String(); !strings.Contains(out, `"origin":"`+foreign.URL+`","why":"foreign origin"`) {
		t.Fatalf("no refusal of %s in the log:\n%s", foreign.URL, out)
	}
}

// tryWebSocket opens a tunnel websocket from the browser's current page and
// says "open", or "refused" when it closes without opening (a browser sees
// a 403 handshake only as an error and close code 1006).
func tryWebSocket(b *browser, url string) string {
	b.t.Helper()
	js := fmt.Sprintf(`new Promise((done) => {
		const ws = new WebSocket(%q, %q);
		ws.onopen = () => { ws.close(); done("open"); };
		ws.onclose = (e) => done(e.code === 1006 ? "refused" : "closed " + e.code);
	})`, url, wire.Subprotocol)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("websocket to %s: %v", url, err)
	}
	return got
}

// newBrowserTrusting starts Chromium accepting the test leaf's key, and
// only it, as if its CA were installed (--ignore-certificate-errors-spki-list).
func newBrowserTrusting(t *testing.T, spki string) *browser {
	t.Helper()
	b := &browser{t: t, ctx: startChromium(t, chromedp.Flag("ignore-certificate-errors-spki-list", spki))}
	b.watch()
	t.Cleanup(b.check)
	return b
}

// spkiHash is base64(SHA-256(SubjectPublicKeyInfo)) of the first
// certificate in a PEM chain, the form Chromium's SPKI list takes.
func spkiHash(t *testing.T, chainPEM string) string {
	t.Helper()
	raw, err := os.ReadFile(chainPEM)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatalf("%s: no PEM block", chainPEM)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}
