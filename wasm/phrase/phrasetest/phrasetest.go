// Package phrasetest checks, from a package's source, that its phrase book
// and its calls agree: every say("key", "name", value...) names a key of the
// book with exactly the template's placeholders, and every key is said.
package phrasetest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase"
)

// Check reads the non-test Go files of dir and looks at every call of a
// function named say, or of a method named Say, whose first argument is a
// string literal. Keys built at run time may only start with one of dynamic;
// the book's keys under those prefixes count as said.
func Check(t *testing.T, dir string, book phrase.Book, dynamic ...string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	said := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "say" && fn.Recv == nil {
				return false // the package's own say passes its key on
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || !isSay(call.Fun) || len(call.Args) == 0 {
				return true
			}
			where := fset.Position(call.Pos())
			key, ok := literal(call.Args[0])
			if !ok {
				if !startsWithDynamic(call.Args[0], dynamic) {
					t.Errorf("%s: a key built at run time outside the prefixes %q", where, dynamic)
				}
				return true
			}
			said[key] = true
			tmpl, ok := book[key]
			if !ok {
				t.Errorf("%s: %q is not in the book", where, key)
				return true
			}
			args := call.Args[1:]
			if len(args)%2 != 0 {
				t.Errorf("%s: %q has an odd number of arguments", where, key)
				return true
			}
			var names []string
			for i := 0; i < len(args); i += 2 {
				name, ok := literal(args[i])
				if !ok {
					t.Errorf("%s: %q: argument names must be string literals", where, key)
					return true
				}
				names = append(names, name)
			}
			slices.Sort(names)
			if want := phrase.Placeholders(tmpl); !slices.Equal(names, want) {
				t.Errorf("%s: %q is given %v, its template uses %v", where, key, names, want)
			}
			return true
		})
	}
	for key := range book {
		if said[key] || slices.ContainsFunc(dynamic, func(p string) bool { return strings.HasPrefix(key, p) }) {
			continue
		}
		t.Errorf("%q is in the book but nothing says it", key)
	}
}

func isSay(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name == "say"
	case *ast.SelectorExpr:
		return f.Sel.Name == "Say"
	}
	return false
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// startsWithDynamic reports whether e is "prefix" + something, with prefix
// one of dynamic.
func startsWithDynamic(e ast.Expr, dynamic []string) bool {
	bin, ok := e.(*ast.BinaryExpr)
	for ok && bin.Op == token.ADD {
		if s, lit := literal(bin.X); lit {
			return slices.Contains(dynamic, s)
		}
		bin, ok = bin.X.(*ast.BinaryExpr)
	}
	return false
}
