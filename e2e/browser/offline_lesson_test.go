package browser

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/nginx"
)

// On the static host, with no server: lesson 1 ("Hello SMTP") runs to its
// end in the in-page sandbox and is marked done; its session's share link,
// opened in a fresh tab of the static site, shows the script and the
// transcript read-only, and its lines run again in that tab's own in-page
// sandbox.
func TestBrowserOfflineLessonAndShare(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	base := nginx.StartStatic(t, staticBuild(t), "")
	b := openBrowser(t, base, "?lesson=hello-smtp")
	b.wait(`document.querySelector("#offline-note") !== null && document.querySelector(".lesson-title")?.textContent === "Hello SMTP"`, "the lesson open on the in-page sandbox")
	b.do(chromedp.Click(chromedp.CSS(".lesson-back")))
	n := b.runLesson("hello-smtp", "Hello SMTP", false)
	b.waitLine("server", "221 ")
	b.do(chromedp.Click(chromedp.CSS(".lesson-back")))
	b.wait(`document.querySelector('[data-lesson="hello-smtp"] .lesson-done') !== null`, "the finished lesson marked in the list")

	b.do(chromedp.Click(chromedp.ID("share")))
	b.wait(`document.querySelector("#share-dialog").open && document.querySelector("#share-link").value.includes("#script=")`, "the share dialog")
	b.do(chromedp.Click(chromedp.ID("share-replay")))
	b.wait(`document.querySelector("#share-link").value.includes("replay=")`, "the link with the replay")
	link := b.text(`document.querySelector("#share-link").value`)
	b.do(chromedp.Click(chromedp.ID("share-close")))
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, base+"/") {
		t.Fatalf("the link %q is not to the static site %s: %v", link, base, err)
	}
	fragment, _ := url.ParseQuery(u.Fragment)
	script := strings.Split(fragment.Get("script"), "\n")
	var typed []string
	b.eval(`[...document.querySelectorAll("#transcript li.line.client > .text")].map((l) => l.textContent)`, &typed)
	if strings.Join(script, "\n") != strings.Join(typed, "\n") || fragment.Get("target") != "sandbox" {
		t.Fatalf("the link's script %q, target %q; the lesson's %d steps sent %q", script, fragment.Get("target"), n, typed)
	}

	tab, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	c := &browser{t: t, ctx: tab, base: b.base}
	c.watch()
	c.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(link))
	c.wait(`document.body.dataset.ready === "true"`, "the shared page to be ready")
	t.Cleanup(c.check)
	c.wait(`document.querySelector("#offline-note") !== null && document.querySelector(".replay-banner") !== null`, "the shared page on the in-page sandbox, replaying")
	if got := c.text(`document.querySelector(".lesson-title")?.textContent + " | " + document.querySelectorAll("#lesson-body .run-line").length`); got != "A shared session | "+strconv.Itoa(len(script)) {
		t.Errorf("the lesson panel: %q, want %d lines", got, len(script))
	}
	if replayed := c.transcript(); !strings.Contains(replayed, "221 ") || !strings.Contains(replayed, "HELP") {
		t.Errorf("the replay:\n%s", replayed)
	}
	c.do(chromedp.Click(chromedp.CSS(".replay-banner button")))
	c.wait(`!document.querySelector(".replay-banner") && document.activeElement.id === "connect"`, "the replay to end")
	c.do(chromedp.Click(chromedp.ID("connect")))
	c.waitLine("server", "220 ")
	c.do(chromedp.Click(chromedp.CSS("#lesson-body .run-all")))
	c.waitLine("server", "221 ")
	if sent := c.text(`String(document.querySelectorAll("#transcript li.line.client").length)`); sent != strconv.Itoa(len(script)) {
		t.Errorf("%s of the %d shared lines ran:\n%s", sent, len(script), c.transcript())
	}
	b.shot("offline-lesson", look{width: 1280}, look{width: 375})
}
