package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// `smtplay -version` prints the version the Makefile stamps in.
func TestVersion(t *testing.T) {
	bin, err := filepath.Abs("../bin/smtplay")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: run make first (%v)", bin, err)
	}
	out, err := exec.Command(bin, "-version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "smtplay ") || strings.Contains(string(out), "smtplay dev") {
		t.Fatalf("smtplay -version: %v %q", err, out)
	}
}
