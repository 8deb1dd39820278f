package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
)

// zopfliGzip returns body as gzip made by the zopfli program (Debian's
// zopfli package; e2e/deps.sh installs it), which finds longer matches than
// compress/gzip: main.wasm's gzip copy comes out about 5 % smaller, for
// about 15 s of CPU at one iteration. ok is false when zopfli is not
// installed or fails, or its output does not decode to body.
func zopfliGzip(body []byte) (gz []byte, ok bool) {
	zopfli, err := exec.LookPath("zopfli")
	if err != nil {
		return nil, false
	}
	f, err := os.CreateTemp("", "pagebuild-*")
	if err != nil {
		return nil, false
	}
	defer os.Remove(f.Name())
	_, err = f.Write(body)
	if cerr := f.Close(); err != nil || cerr != nil {
		return nil, false
	}
	gz, err = exec.Command(zopfli, "--i1", "-c", f.Name()).Output()
	if err != nil || !decodesTo(gz, body) {
		return nil, false
	}
	return gz, true
}

// decodesTo reports whether gz is a gzip stream of body.
func decodesTo(gz, body []byte) bool {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return false
	}
	got, err := io.ReadAll(r)
	return err == nil && bytes.Equal(got, body)
}
