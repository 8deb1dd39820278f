package bundle_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/internal/pagebuild"
	"github.com/smtplay/smtplay/internal/pagebuild/bundle"
	"github.com/smtplay/smtplay/static"
)

// page is static/ as the build reads it, with wasm_exec.js from the Go
// toolchain where make has not copied it yet.
func page(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := pagebuild.ReadPage(static.Files)
	if err != nil {
		t.Fatal(err)
	}
	if files["wasm_exec.js"] == nil {
		root, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			t.Fatal(err)
		}
		if files["wasm_exec.js"], err = os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec.js")); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// moduleImport is a static import of one of the page's modules, as the
// sources write them.
var moduleImport = regexp.MustCompile(`(?m)^import .* from "\./([a-z]+\.js)";$`)

// The real page: index.html loads two scripts, the bundles; the module
// bundle holds app.js and every module it imports, directly or not, and
// imports nothing itself; what the modules fetch stays relative to
// import.meta.url; the sources stay beside the bundles.
func TestPage(t *testing.T) {
	files := page(t)
	sources := len(files)
	if err := bundle.Page(files); err != nil {
		t.Fatal(err)
	}
	scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(string(files["index.html"]), -1)
	if want := []string{`<script src="head.bundle.js">`, `<script type="module" src="app.bundle.js">`}; !slices.Equal(scripts, want) {
		t.Errorf("index.html loads %q, want %q", scripts, want)
	}
	if len(files) != sources+3 || files["app.js"] == nil || files["wasm_exec.js"] == nil {
		t.Errorf("%d files after bundling %d: want the sources and three more", len(files), sources)
	}

	app := string(files["app.bundle.js"])
	if m := regexp.MustCompile(`\bimport\s*[{*"'(]|\bfrom\s*["']\.\.?/`).FindString(app); m != "" {
		t.Errorf("app.bundle.js still imports (%q)", m)
	}
	if !strings.Contains(app, "import.meta.url") || !strings.HasSuffix(strings.TrimSpace(app), "//# sourceMappingURL=app.bundle.js.map") {
		t.Errorf("app.bundle.js lost import.meta.url or its source map's link:\n…%s", app[max(0, len(app)-300):])
	}
	var sourceMap struct{ Sources []string }
	if err := json.Unmarshal(files["app.bundle.js.map"], &sourceMap); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"app.js": true}
	for queue := []string{"app.js"}; len(queue) > 0; queue = queue[1:] {
		for _, m := range moduleImport.FindAllStringSubmatch(string(files[queue[0]]), -1) {
			if !want[m[1]] {
				want[m[1]] = true
				queue = append(queue, m[1])
			}
		}
	}
	slices.Sort(sourceMap.Sources)
	if got := slices.Sorted(func(yield func(string) bool) {
		for name := range want {
			if !yield(name) {
				return
			}
		}
	}); !slices.Equal(sourceMap.Sources, got) || len(got) < 20 {
		t.Errorf("the bundle's sources are %q, want app.js and what it imports: %q", sourceMap.Sources, got)
	}

	head := string(files["head.bundle.js"])
	for _, want := range []string{"globalThis.Go", "smtplayStart", "document.currentScript", "dataset.theme"} {
		if !strings.Contains(head, want) {
			t.Errorf("head.bundle.js lacks %s", want)
		}
	}
}

// A page that cannot be bundled says why.
func TestPageErrors(t *testing.T) {
	base := func() map[string][]byte {
		return map[string][]byte{
			"index.html":   []byte(`<script src="early.js"></script><script src="wasm_exec.js"></script><script src="start.js"></script><script type="module" src="app.js"></script>`),
			"early.js":     []byte(`document.documentElement.dataset.early = "1";`),
			"wasm_exec.js": []byte(`globalThis.Go = class {};`),
			"start.js":     []byte(`window.smtplayRun = () => new Go();`),
			"app.js":       []byte(`import { t } from "./lang.js";` + "\nt();\n"),
			"lang.js":      []byte(`export const t = () => fetch(new URL("i18n/en.json", import.meta.url));`),
		}
	}
	files := base()
	if err := bundle.Page(files); err != nil {
		t.Fatalf("a small page: %v", err)
	}
	if got := string(files["index.html"]); got != `<script src="head.bundle.js"></script>`+"\n"+`<script type="module" src="app.bundle.js"></script>`+"\n" {
		t.Errorf("index.html:\n%s", got)
	}
	for name, c := range map[string]struct {
		change func(map[string][]byte)
		want   string
	}{
		"a missing module":   {func(f map[string][]byte) { delete(f, "lang.js") }, "lang.js is not in the page"},
		"a package import":   {func(f map[string][]byte) { f["app.js"] = []byte(`import "lodash";`) }, `"lodash" is not a path`},
		"a syntax error":     {func(f map[string][]byte) { f["lang.js"] = []byte(`export const = 1;`) }, "lang.js:1"},
		"no app.js loaded":   {func(f map[string][]byte) { f["index.html"] = []byte(`<script src="early.js"></script>`) }, "does not load app.js"},
		"no index.html":      {func(f map[string][]byte) { delete(f, "index.html") }, "no index.html"},
		"a source not there": {func(f map[string][]byte) { delete(f, "start.js") }, "start.js is not in the page"},
	} {
		files := base()
		c.change(files)
		if err := bundle.Page(files); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, c.want)
		}
	}
}
