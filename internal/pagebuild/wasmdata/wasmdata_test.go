package wasmdata

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// program fills its memory image with tables that have runs of zeros.
const program = `package main

import (
	"fmt"
	"unicode"
)

var table = [...]struct {
	n    int64
	pad  [40]byte
	name string
}{{1, [40]byte{}, "one"}, {0, [40]byte{3: 7}, "two"}, {1 << 40, [40]byte{}, ""}}

func main() {
	n := 0
	for r := rune(0); r < 0x30000; r++ {
		if unicode.IsLetter(r) {
			n++
		}
	}
	fmt.Println(n, table, unicode.Version)
}
`

// TestPackRunsTheSame builds a Go program for js/wasm, packs it, checks
// that the memory image is the same in fewer segments, and runs both with
// Node.js: the output must be the same.
func TestPackRunsTheSame(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	plain := filepath.Join(dir, "plain.wasm")
	build := exec.Command(goBin, "build", "-o", plain, src)
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	module, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	packedModule, err := Pack(module)
	if err != nil {
		t.Fatal(err)
	}
	before, after := image(t, module), image(t, packedModule)
	if !bytes.Equal(before.memory, after.memory) {
		t.Fatal("the packed module's memory image differs")
	}
	if after.segments >= before.segments/10 {
		t.Errorf("%d segments packed into %d: want far fewer", before.segments, after.segments)
	}
	packed := filepath.Join(dir, "packed.wasm")
	if err := os.WriteFile(packed, packedModule, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(wasm string) string {
		cmd := exec.Command("node", filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec_node.js"), wasm)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("node %s: %v\n%s", filepath.Base(wasm), err, out)
		}
		return string(out)
	}
	want, got := run(plain), run(packed)
	if got != want || !strings.Contains(want, "one") {
		t.Errorf("packed module printed %q, the module %q", got, want)
	}
}

// memoryImage is the memory a module's data segments write.
type memoryImage struct {
	memory   []byte
	segments int
}

func image(t *testing.T, module []byte) memoryImage {
	t.Helper()
	var img memoryImage
	rest := module[len(magic):]
	for len(rest) > 0 {
		s, n := binary.Uvarint(rest[1:])
		size := int(s)
		body := rest[1+n : 1+n+size]
		if rest[0] == dataSection {
			segs, ok := readSegments(body)
			if !ok {
				t.Fatal("the data section has segments Pack does not read")
			}
			img.segments = len(segs)
			for _, s := range segs {
				if end := int(s.addr) + len(s.data); end > len(img.memory) {
					img.memory = append(img.memory, make([]byte, end-len(img.memory))...)
				}
				copy(img.memory[s.addr:], s.data)
			}
		}
		rest = rest[1+n+size:]
	}
	return img
}

// TestPackLeavesOthersAlone checks that a data section Pack cannot read
// (a passive segment) is kept as it is, and that what is not a module is
// refused.
func TestPackLeavesOthersAlone(t *testing.T) {
	passive := append(slices.Clone(magic), dataSection, 5, 1, 0x01, 2, 'h', 'i')
	got, err := Pack(passive)
	if err != nil || !bytes.Equal(got, passive) {
		t.Errorf("Pack(passive segment) = %x, %v; want it unchanged", got, err)
	}
	if _, err := Pack([]byte("<html>")); err == nil {
		t.Error("Pack took HTML for a module")
	}
	if _, err := Pack(append(slices.Clone(magic), dataSection, 9, 1)); err == nil {
		t.Error("Pack took a section that runs past the end")
	}
}

func TestSleb(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, -1, -64, -65, 0xae23, 1 << 40, -1 << 40} {
		b := appendSleb(nil, v)
		if got, n := readSleb(b); got != v || n != len(b) {
			t.Errorf("sleb %d: wrote %x, read %d (%d bytes)", v, b, got, n)
		}
	}
}
