package compress

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestZopfli checks that the gzip copy comes from zopfli, decodes to the
// file and is smaller than compress/gzip's best. zopfli is one of the
// programs e2e/deps.sh installs: under CI it must be there.
func TestZopfli(t *testing.T) {
	if _, err := exec.LookPath("zopfli"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zopfli is not installed: e2e/deps.sh installs it")
		}
		t.Skip("zopfli is not installed (apt-get install zopfli, or sh e2e/deps.sh)")
	}
	body := []byte(strings.Repeat("EHLO client.example\r\n250-smtp.example greets you\r\n250 8BITMIME\r\n", 300) + "QUIT\r\n")
	gz := gzipBest(body)
	if !decodesTo(gz, body) {
		t.Fatal("the gzip copy does not decode to the file")
	}
	var std bytes.Buffer
	w, _ := gzip.NewWriterLevel(&std, gzip.BestCompression)
	_, _ = w.Write(body)
	_ = w.Close()
	if len(gz) >= std.Len() {
		t.Errorf("gzip copy of %d B, compress/gzip's best makes %d B: want zopfli's, smaller", len(gz), std.Len())
	}
}
