// Package chromium starts Debian's headless Chromium for the browser tests
// and benchmarks: one browser process per test binary, and a fresh browser
// context (its own cookies, storage and cache) for each test.
package chromium

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/static/dist"
)

// Path finds the browser: SMTPLAY_CHROMIUM, or chromium on PATH.
func Path() (string, error) {
	if p := os.Getenv("SMTPLAY_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium found (`make deps` installs Debian's chromium, or set SMTPLAY_CHROMIUM)")
}

// Flags are the command-line switches every start uses: headless, as root,
// with nothing that reaches out to the network on its own.
func Flags(path, userDataDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(userDataDir),
		chromedp.WindowSize(1280, 900),
	}
}

// Start launches one browser with extra flags and returns a context that
// holds it; cancel stops it. Tabs for tests come from NewTab.
func Start(extra ...chromedp.ExecAllocatorOption) (browser context.Context, cancel func(), err error) {
	if site, err := dist.Site(); err != nil || site.Assets["main.wasm"] == nil {
		return nil, nil, fmt.Errorf("the built page or its main.wasm is missing from static/dist: run `make` first (it builds the page's Go half, then the page)")
	}
	path, err := Path()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "smtplay-chromium-")
	if err != nil {
		return nil, nil, err
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(Flags(path, dir), extra...)...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		_ = os.RemoveAll(dir)
	}
	if err := chromedp.Do(bctx); err != nil { // starts the process
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return bctx, stop, nil
}

// NewTab opens a tab in a fresh browser context of browser: a test's own
// cookies, storage and cache, as a new incognito window has.
func NewTab(browser context.Context) (context.Context, context.CancelFunc) {
	return chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
}
