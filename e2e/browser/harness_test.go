package browser

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/e2e/chromium"
)

// The browser tests drive the real page in Debian's headless Chromium: one
// browser process for the whole test binary (TestMain), a fresh browser
// context for each test, and tests in parallel where they share nothing.
// Without chromium they skip, except under CI=true, where they fail; under
// -short they skip. SMTPLAY_CHROMIUM names the browser; SMTPLAY_SCREENSHOTS
// a directory for the screenshots they take (by default a temporary one).

// stepTimeout bounds one step of a browser test; it only matters when one
// fails.
const stepTimeout = 30 * time.Second

// shared is the browser every test opens its tabs in, or why there is none.
var shared struct {
	ctx context.Context
	err error
}

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		var stop func()
		shared.ctx, stop, shared.err = chromium.Start()
		if stop != nil {
			defer stop()
		}
	}
	code := m.Run()
	if stop := shared.ctx; stop != nil {
		_ = chromedp.Cancel(shared.ctx)
	}
	os.Exit(code)
}

// needBrowser skips under -short, and says why there is no browser: a skip
// on a developer's machine, a failure under CI=true.
func needBrowser(t testing.TB) {
	t.Helper()
	apptest.Short(t)
	if shared.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v: the browser tests must run in CI", shared.err)
		}
		t.Skip(shared.err)
	}
}

// newTab opens a tab in a fresh browser context of the shared browser,
// closed when the test ends.
func newTab(t testing.TB) context.Context {
	t.Helper()
	needBrowser(t)
	ctx, cancel := chromium.NewTab(shared.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

// startChromium starts a browser of the test's own, for the rare test that
// needs a browser-wide flag; the test's end stops it.
func startChromium(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	needBrowser(t)
	ctx, stop, err := chromium.Start(extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return ctx
}

// browser is one tab of headless Chromium on the app.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string // the app's URL, ending in /

	mu         sync.Mutex
	exceptions []string
	dialogs    []string
}

// newBrowser opens a tab on the app's page at base, waiting until the
// console is ready.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	b := &browser{t: t, ctx: newTab(t), base: strings.TrimSuffix(base, "/") + "/"}
	b.watch()
	b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base))
	b.wait(`document.body.dataset.ready === "true"`, "the console to be ready")
	t.Cleanup(b.check)
	return b
}

// watch records uncaught exceptions and JavaScript dialogs: a page that
// throws, or that lets server text open an alert, fails the test.
func (b *browser) watch() {
	console := chromedp.Console(b.ctx)
	dialogs := chromedp.Events(b.ctx, page.JavascriptDialogOpening)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() {
				b.mu.Lock()
				b.exceptions = append(b.exceptions, m.String())
				b.mu.Unlock()
			}
		}
	}()
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			_, _ = chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
}

func (b *browser) check() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.exceptions {
		b.t.Errorf("the page threw: %s", e)
	}
	for _, d := range b.dialogs {
		b.t.Errorf("the page opened a dialog: %q", d)
	}
}

// do runs actions, failing the test on an error.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v\ntranscript:\n%s", err, b.transcript())
	}
}

// eval evaluates a JavaScript expression and decodes its value into v.
func (b *browser) eval(expr string, v any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	if v != nil {
		if err := json.Unmarshal(raw, v); err != nil {
			b.t.Fatalf("evaluating %s: %v (%s)", expr, err, raw)
		}
	}
}

func (b *browser) text(expr string) string {
	b.t.Helper()
	var s string
	b.eval(expr, &s)
	return s
}

// wait polls a JavaScript condition until it holds.
func (b *browser) wait(cond, what string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		b.t.Fatalf("waiting for %s: %v\ntranscript:\n%s", what, err, b.transcript())
	}
}

// afterFrames waits for two frames to be drawn: a click by its coordinates
// then finds the page where its last frame put it, not where a scroll
// that the frame made (the transcript follows new lines once a frame)
// has just moved it from.
func (b *browser) afterFrames() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	const frames = `new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](frames, chromedp.EvalAwaitPromise)); err != nil {
		b.t.Fatalf("waiting for the page to be drawn: %v", err)
	}
}

// waitLine waits for a transcript line of the given direction containing s.
//
// Only the latest session counts: once a page has reconnected, the earlier
// sessions' lines stay above a heading each (sessions.js), and a greeting
// from one of them must not pass for the new session's.
func (b *browser) waitLine(dir, s string) {
	b.t.Helper()
	b.wait(fmt.Sprintf(`(() => {
		const heads = document.querySelectorAll("#transcript .session-head");
		const last = heads[heads.length - 1];
		const lines = last ? document.querySelectorAll('#transcript .session-head[data-session="' + last.dataset.session + '"] ~ li.line.%[1]s') : document.querySelectorAll("#transcript li.line.%[1]s");
		return [...lines].some((l) => l.textContent.includes(%[2]q));
	})()`, dir, s), dir+" line "+s)
}

// typeLine types a line into the console key by key and presses Enter.
func (b *browser) typeLine(s string) {
	b.t.Helper()
	b.typeInto("line", s+"\n")
}

// typeInto focuses the element with the id and types s key by key.
//
// chromedp's kb package gives special keys code points of Latin Extended-A
// (Control is U+0105 ą, FnLock U+0107 ć, Shift U+010D č …), so SendKeys
// types Control for "ą". A letter that collides is sent as the character
// it is; kb's other keys (kb.ArrowUp …) stay keys.
func (b *browser) typeInto(id, s string) {
	b.t.Helper()
	b.wait(fmt.Sprintf(`((e) => e !== null && !e.disabled)(document.getElementById(%q))`, id), id+" to take input")
	b.do(chromedp.Focus(chromedp.ID(id)), keys(s))
}

// keys types s key by key into whatever has the focus (see typeInto).
func keys(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range s {
			events := kb.Encode(r)
			if k, special := kb.Keys[r]; special && !k.Print && unicode.IsLetter(r) {
				events = kb.EncodeUnidentified(r)
			}
			for _, ev := range events {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *ev); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// clear empties form fields, as selecting all and deleting would.
func (b *browser) clear(ids ...string) {
	b.t.Helper()
	for _, id := range ids {
		b.eval(fmt.Sprintf(`document.getElementById(%q).value = ""`, id), nil)
	}
}

// transcript is the transcript's text, for failure messages.
func (b *browser) transcript() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#transcript li.line")].map((l) => l.textContent).join("\n")`))
	if err != nil {
		return "(unavailable: " + err.Error() + ")"
	}
	return s
}

// Looks are the widths and colour schemes screenshots are taken in.
type look struct {
	width int64
	dark  bool
}

func (l look) String() string {
	s := fmt.Sprintf("%d", l.width)
	if l.dark {
		return s + "-dark"
	}
	return s + "-light"
}

// shot saves a full-page screenshot as name-<width>-<scheme>.png for each
// look, then restores 1280 px and the light scheme.
func (b *browser) shot(name string, looks ...look) {
	b.t.Helper()
	dir := os.Getenv("SMTPLAY_SCREENSHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if len(looks) == 0 {
		looks = []look{{width: 1280}}
	}
	for _, l := range looks {
		b.setLook(l)
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
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

func (b *browser) setLook(l look) {
	b.t.Helper()
	scheme := "light"
	if l.dark {
		scheme = "dark"
	}
	media := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
	height := int64(900)
	if l.width < 600 {
		height = 812
	}
	b.do(chromedp.EmulateViewport(l.width, height), media)
}
