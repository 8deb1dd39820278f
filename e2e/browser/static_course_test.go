package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/e2e/nginx"
	"github.com/smtplay/smtplay/internal/staticsite"
)

// The example static course page (examples/static-course, python3's
// http.server at http://localhost:…) embeds make static's build on another
// origin (nginx with the README's block at http://127.0.0.1:…), with no
// smtplay server anywhere: the build's settings.json lists the course's
// origin, so the embed says ready, takes the page's commands, and the
// lesson "Your first e-mail" is done through them, the message delivered
// in the embed's in-page sandbox and shown in its inbox. The same page from
// an origin the build does not list (127.0.0.2), which the host's
// frame-ancestors still lets frame the embed, hears nothing and gets no
// command taken.
func TestBrowserStaticCourse(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	python := apptest.NeedTool(t, "python3")
	course := t.TempDir()
	if err := os.CopyFS(course, os.DirFS("../../examples/static-course")); err != nil {
		t.Fatal(err)
	}
	listed := serveStatic(t, python, course, "127.0.0.1", "localhost")
	unlisted := serveStatic(t, python, course, "127.0.0.2", "127.0.0.2")
	root := staticRoot(t, staticBuild(t), listed)
	base := nginx.StartStatic(t, root, listed+" "+unlisted)
	checkStaticHost(t, root, base, listed+" "+unlisted)
	if err := os.WriteFile(filepath.Join(course, "config.json"), []byte(fmt.Sprintf(`{"smtplay": %q}`, base+"/")), 0o644); err != nil {
		t.Fatal(err)
	}

	b := &browser{t: t, ctx: newTab(t), base: base + "/"}
	b.watch()
	t.Cleanup(b.check)
	b.do(chromedp.EmulateViewport(1200, 900), chromedp.Navigate(listed+"/"))
	// The frame fetches and starts main.wasm and the in-page sandbox (12 MB) first: on a busy machine that takes a while.
	b.waitWithin(3*stepTimeout, `[...document.querySelectorAll("#log li")].some((l) => l.textContent.includes("ready: lesson “Your first e-mail”, 0 of 6 steps done"))`, "the embed's ready in the course page's log")
	frame := b.frame(base + "/embed.html")
	if note := frame.read(`document.querySelector("#offline-note")?.textContent`); !strings.Contains(note, "running in your browser") {
		t.Errorf("the embed does not say its practice server runs in the browser: %q", note)
	}
	click := func(label string) {
		b.eval(fmt.Sprintf(`[...document.querySelectorAll("button[data-send]")].find((b) => b.textContent.trim() === %q).click(), true`, label), nil)
	}
	click("Connect")
	b.courseLogged("connected to sandbox")
	b.courseLogged("reply 220 to greeting")
	click("Run EHLO")
	b.courseLogged("step 1 of 6 done in “Your first e-mail” (reply)")
	for i, lines := range [][]string{
		{"MAIL FROM:<student@sandbox.smtplay>"},
		{"RCPT TO:<friend@example.org>"},
		{"DATA"},
		{"From: Student <student@sandbox.smtplay>", "To: Friend <friend@example.org>", "Subject: My first e-mail", "", "Hello! This message travelled over SMTP, one line at a time.", "."},
		{"QUIT"},
	} {
		for _, l := range lines {
			b.courseTell(base, map[string]any{"type": "run-line", "line": l})
		}
		if i+2 < 6 {
			b.courseLogged(fmt.Sprintf("step %d of 6 done", i+2))
		}
	}
	b.courseLogged("delivered “My first e-mail” to friend@example.org")
	b.courseLogged("lesson “Your first e-mail” complete")
	frame.wait(`[...document.querySelectorAll("#inbox .subject")].some((s) => s.textContent === "My first e-mail")`, "the message in the embed's inbox")
	b.shot("static-course", look{width: 1280}, look{width: 375})
	b.viewShot("static-course-frame", "homework", look{width: 1280}, look{width: 375})

	// The same page from an origin the build does not list.
	c := &browser{t: t, ctx: newTab(t), base: base + "/"}
	c.watch()
	t.Cleanup(c.check)
	c.do(chromedp.EmulateViewport(1200, 900), chromedp.Navigate(unlisted+"/"))
	other := c.frame(base + "/embed.html")
	other.wait(`document.querySelector("#offline-note") !== null`, "the embed under the unlisted page to run its in-page sandbox")
	for _, m := range []map[string]any{{"type": "connect", "target": "sandbox"}, {"type": "type-line", "line": "EHLO unlisted"}, {"type": "load-lesson", "lesson": "hello-smtp"}} {
		c.courseTell(base, m)
	}
	time.Sleep(2 * time.Second) // the listed page's commands took effect well within this
	if got := other.read(`[document.querySelector("#status").dataset.status, document.querySelector("#line").value, document.querySelector(".lesson-title")?.textContent].join(" | ")`); got != "idle |  | Your first e-mail" {
		t.Errorf("the embed under an unlisted page took a command: status | input | lesson = %q", got)
	}
	if got := c.text(`JSON.stringify(received)`); got != "[]" {
		t.Errorf("the unlisted page heard from the embed: %s", got)
	}
	c.wait(`document.querySelector("#log li[data-type=silent]") !== null`, "the unlisted page to say the playground does not answer")
	if got := c.text(`document.querySelector("#log li[data-type=silent]").textContent`); !strings.Contains(got, "STATIC_EMBED_ORIGINS="+unlisted) {
		t.Errorf("the unlisted page says %q", got)
	}
}

// staticRoot is a static host's folder: the build's files, linked, with
// its own embed.html and a settings.json listing embedder (as make static
// STATIC_EMBED_ORIGINS=embedder writes), beside the build the other tests
// serve.
func staticRoot(t *testing.T, build, embedder string) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range []string{"a", "index.html", "index.html.br", "index.html.gz"} {
		if err := os.Symlink(filepath.Join(build, name), filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	embedders, err := staticsite.ParseOrigins(embedder)
	if err != nil {
		t.Fatal(err)
	}
	if err := staticsite.Finish(root, embedders); err != nil {
		t.Fatal(err)
	}
	return root
}

// courseLogged waits for a line of the static course page's log.
func (b *browser) courseLogged(text string) {
	b.t.Helper()
	b.wait(fmt.Sprintf(`[...document.querySelectorAll("#log li")].some((l) => l.textContent.includes(%q))`, text), text+" in the course page's log")
}

// courseTell posts a command to the course page's playground, to its origin, as the page's script does.
func (b *browser) courseTell(playground string, command map[string]any) {
	b.t.Helper()
	command["smtplay"] = 1
	b.eval(fmt.Sprintf(`document.getElementById("homework").contentWindow.postMessage(%s, %q), true`, mustJSON(b.t, command), playground), nil)
}

// frame returns a browser on the cross-site iframe of b's page whose
// address starts with prefix: Chromium runs it in its own process, a
// target of its own, which this attaches to (and detaches from at the end).
func (b *browser) frame(prefix string) *browser {
	b.t.Helper()
	// A page's target is its main frame: the frame's parent.
	tab := cdp.FrameID(chromedp.FromContext(b.ctx).Target.TargetID)
	deadline := time.Now().Add(stepTimeout)
	for {
		infos, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && info.ParentFrameID == tab && strings.HasPrefix(info.URL, prefix) {
				ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
				b.t.Cleanup(cancel)
				f := &browser{t: b.t, ctx: ctx, base: b.base}
				// Attach with the frame's own context: a step's timeout must not end the session.
				if err := chromedp.Do(ctx); err != nil {
					b.t.Fatalf("attaching to the frame: %v", err)
				}
				f.waitWithin(3*stepTimeout, `document.body?.dataset.ready === "true"`, "the embed to be ready")
				return f
			}
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("no frame at %s", prefix)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// read returns a JavaScript expression's value as text, in a frame's
// target too, where Runtime.evaluate without a context does not answer:
// a poll runs in the frame's own context, and "=" keeps the value truthy.
func (b *browser) read(expr string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[string]("\"=\" + String("+expr+")", chromedp.WithPollingTimeout(stepTimeout)))
	if err != nil {
		b.t.Fatalf("reading %s: %v", expr, err)
	}
	return strings.TrimPrefix(v, "=")
}

// viewShot saves what the viewport shows with the element id scrolled to
// the top, as name-<width>-<scheme>.png: a full-page screenshot leaves a
// cross-site iframe, painted by its own process, blank.
func (b *browser) viewShot(name, id string, looks ...look) {
	b.t.Helper()
	dir := os.Getenv("SMTPLAY_SCREENSHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	}
	for _, l := range looks {
		b.setLook(l)
		b.eval(fmt.Sprintf(`document.getElementById(%q).scrollIntoView({block: "start"}), true`, id), nil)
		time.Sleep(300 * time.Millisecond) // the frame's process paints after the scroll
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		cancel()
		if err != nil {
			b.t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+"-"+l.String()+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.setLook(look{width: 1280})
}

// waitWithin polls a JavaScript condition until it holds, for up to d.
func (b *browser) waitWithin(d time.Duration, cond, what string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
}
