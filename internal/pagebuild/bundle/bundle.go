// Package bundle joins the page's scripts at build time, with esbuild, so
// that a first visit asks for two scripts instead of thirty: the ES module
// app.js and every module it imports, directly or not, become one minified
// module (app.bundle.js, with a source map beside it that DevTools reads
// and the page never asks for), and the classic scripts of <head> one
// classic script (head.bundle.js).
//
// Page adds the bundles to the page's files (pagebuild.ReadPage's) and
// makes index.html load them in place of their sources. The sources stay:
// the sandbox's worker imports wasm_exec.js, and the source map points at
// the modules.
// A bundle sits in the folder of its sources, so what a module fetches
// relative to import.meta.url is found as before.
package bundle

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Script is one bundle: the scripts of index.html it stands for, in the
// order they run there.
type Script struct {
	Name    string
	Sources []string
	// Module is true for an ES module: the bundle takes in what its
	// source imports, and gets a source map, Name + ".map".
	Module bool
}

// Scripts are the page's bundles.
var Scripts = []Script{
	{Name: "head.bundle.js", Sources: []string{"early.js", "wasm_exec.js", "start.js"}},
	{Name: "app.bundle.js", Sources: []string{"app.js"}, Module: true},
}

// entry is the page's HTML entry point.
const entry = "index.html"

// Page bundles the page's files, keyed by their paths in static/: it adds
// the bundles and makes index.html load them.
func Page(files map[string][]byte) error {
	html, ok := files[entry]
	if !ok {
		return fmt.Errorf("the page has no %s", entry)
	}
	html, err := load(html)
	if err != nil {
		return err
	}
	bundles := map[string][]byte{}
	for _, s := range Scripts {
		if err := build(files, s, bundles); err != nil {
			return err
		}
	}
	maps.Copy(files, bundles)
	files[entry] = html
	return nil
}

// build bundles s from the page's files into out: the bundle, and its
// source map for a module.
func build(files map[string][]byte, s Script, out map[string][]byte) error {
	// A module bundle exports what its source does.
	var imports strings.Builder
	for _, name := range s.Sources {
		fmt.Fprintf(&imports, map[bool]string{false: "import %q;\n", true: "export * from %q;\n"}[s.Module], "./"+name)
	}
	opts := api.BuildOptions{
		Stdin:             &api.StdinOptions{Contents: imports.String(), ResolveDir: "/"},
		Bundle:            true,
		Format:            api.FormatIIFE,
		Charset:           api.CharsetUTF8,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		AbsWorkingDir:     "/",
		Outfile:           "/" + s.Name,
		Plugins:           []api.Plugin{from(files)},
		LogLevel:          api.LogLevelSilent,
	}
	if s.Module {
		opts.Format = api.FormatESModule
		// The sources are beside the map: DevTools fetches them there.
		opts.Sourcemap, opts.SourcesContent = api.SourceMapLinked, api.SourcesContentExclude
	}
	res := api.Build(opts)
	if msgs := append(res.Errors, res.Warnings...); len(msgs) > 0 {
		return fmt.Errorf("bundling %s: %s", s.Name, describe(msgs))
	}
	for _, f := range res.OutputFiles {
		out[strings.TrimPrefix(f.Path, "/")] = f.Contents
	}
	return nil
}

// from makes esbuild read the page's files from files: every import is a
// relative path to one of them.
func from(files map[string][]byte) api.Plugin {
	return api.Plugin{Name: "page", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			if !strings.HasPrefix(a.Path, "./") && !strings.HasPrefix(a.Path, "../") {
				return api.OnResolveResult{}, fmt.Errorf("%q is not a path beside the importing file", a.Path)
			}
			name := path.Join(a.ResolveDir, a.Path)
			if _, ok := files[strings.TrimPrefix(name, "/")]; !ok {
				return api.OnResolveResult{}, fmt.Errorf("%s is not in the page", strings.TrimPrefix(name, "/"))
			}
			return api.OnResolveResult{Path: name, Namespace: "file"}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "file"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			text := string(files[strings.TrimPrefix(a.Path, "/")])
			return api.OnLoadResult{Contents: &text, Loader: api.LoaderJS, ResolveDir: path.Dir(a.Path)}, nil
		})
	}}
}

// describe joins esbuild's messages into one sentence.
func describe(msgs []api.Message) string {
	var parts []string
	for _, m := range msgs {
		where := ""
		if m.Location != nil {
			where = fmt.Sprintf("%s:%d: ", strings.TrimPrefix(m.Location.File, "/"), m.Location.Line)
		}
		parts = append(parts, where+m.Text)
	}
	return strings.Join(parts, "; ")
}

// scriptTag is a <script> element loading a file of the page, and the line
// break after it.
var scriptTag = regexp.MustCompile(`<script( type="module")? src="(?:\./)?([^"]+)"></script>\n?`)

// load makes index.html load each bundle where its first source was
// loaded, and its other sources not at all.
func load(html []byte) ([]byte, error) {
	placed := map[string]bool{}
	html = scriptTag.ReplaceAllFunc(html, func(tag []byte) []byte {
		m := scriptTag.FindSubmatch(tag)
		for _, s := range Scripts {
			switch i := slices.Index(s.Sources, string(m[2])); {
			case i == 0:
				placed[s.Name] = true
				return fmt.Appendf(nil, "<script%s src=\"%s\"></script>\n", m[1], s.Name)
			case i > 0:
				return nil
			}
		}
		return tag
	})
	for _, s := range Scripts {
		if !placed[s.Name] {
			return nil, fmt.Errorf("%s does not load %s: %s has no place", entry, s.Sources[0], s.Name)
		}
	}
	return html, nil
}
