package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axe-core checks the page's accessibility from inside it: the tests inject
// the version e2e/axe pins (installed there by e2e/deps.sh, `npm ci`) and
// fail on every serious or critical violation of WCAG 2.x A and AA (colour
// contrast AA among them) and of axe's best practices. Without axe-core a
// test skips, except under CI=true, where it fails.

// axeRules are the rule tags axe runs.
var axeRules = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeImpacts are the impacts that fail a test.
var axeImpacts = map[string]bool{"serious": true, "critical": true}

var axeSource = sync.OnceValues(func() (string, error) {
	path := filepath.Join("..", "axe", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("axe-core is not installed (run `sh e2e/deps.sh`, which runs npm ci in e2e/axe): %w", err)
	}
	return string(src), nil
})

// needAxe returns axe-core's source, skipping the test without it (failing
// under CI=true).
func needAxe(t testing.TB) string {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v: the accessibility checks must run in CI", err)
		}
		t.Skip(err)
	}
	return src
}

// axeViolation is one rule broken, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core on the page as it is now, in the light and the dark
// scheme, and fails the test for each serious or critical violation; where
// names the page's state in the failure.
func (b *browser) axe(where string) {
	b.t.Helper()
	src := needAxe(b.t)
	var loaded bool
	b.eval(`typeof window.axe === "object"`, &loaded)
	if !loaded {
		b.eval(src+"\n;true", nil)
	}
	for _, dark := range []bool{false, true} {
		l := look{width: 1280, dark: dark}
		b.setLook(l)
		for _, v := range b.axeRun() {
			if !axeImpacts[v.Impact] {
				continue
			}
			var nodes []string
			for i, n := range v.Nodes {
				if i == 4 {
					nodes = append(nodes, fmt.Sprintf("    … and %d more", len(v.Nodes)-i))
					break
				}
				nodes = append(nodes, fmt.Sprintf("    %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " ")))
			}
			b.t.Errorf("axe, %s (%s): %s %s: %s (%d nodes)\n%s", where, l, v.Impact, v.ID, v.Help, len(v.Nodes), strings.Join(nodes, "\n"))
		}
	}
	b.setLook(look{width: 1280})
}

// axeRun runs axe once on the whole document; frames (a message's HTML,
// sandboxed without scripts) are left out.
func (b *browser) axeRun() []axeViolation {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 2*stepTimeout)
	defer cancel()
	expr := fmt.Sprintf(`axe.run(document, {iframes: false, resultTypes: ["violations"], runOnly: {type: "tag", values: %s}}).then((r) => JSON.stringify(r.violations))`, mustJSON(b.t, axeRules))
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("running axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe's report: %v", err)
	}
	return vs
}
