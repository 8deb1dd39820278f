package sandbox

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNeverRelays: the sandbox's code never opens a connection of its own,
// so no message can leave it. It fails if a non-test file calls anything
// that dials or sends mail.
func TestNeverRelays(t *testing.T) {
	forbidden := map[string]bool{
		"Dial": true, "DialContext": true, "DialTCP": true, "DialTimeout": true,
		"DialTLS": true, "DialStartTLS": true, "SendMail": true, "SendMailTLS": true,
		"NewClient": true, "NewClientStartTLS": true, "Client": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && forbidden[sel.Sel.Name] {
				t.Errorf("%s: calls %s", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files", checked)
	}
}
