package sandbox

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readData returns exactly what was read, whatever size the client
// declared and however the reader cuts it, and passes a read error on. A
// message shorter than the first chunk is used in place, not copied.
func TestReadData(t *testing.T) {
	sizes := []int{0, 1, 100, firstChunk - 1, firstChunk, firstChunk + 1, dataChunk - 1, dataChunk, dataChunk + 1,
		firstChunk + dataChunk - 1, firstChunk + dataChunk, firstChunk + dataChunk + 1, 3*dataChunk + 17}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":     func(r io.Reader) io.Reader { return r },
		"one byte":  iotest.OneByteReader,
		"half":      iotest.HalfReader,
		"EOF early": iotest.DataErrReader,
		"4 KiB":     func(r io.Reader) io.Reader { return stepReader{r, 4 << 10} },
	}
	for _, size := range sizes {
		msg := bytes.Repeat([]byte("0123456789abcdef\r\n"), size/18+1)[:size]
		for _, declared := range []int64{0, 1, int64(size) / 3, int64(size), int64(size) + 1000, 10 * int64(size)} {
			for name, wrap := range readers {
				if name == "one byte" && size > dataChunk+1 {
					continue // slow, and no different
				}
				d, err := readData(wrap(bytes.NewReader(msg)), declared)
				got := d.data
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("%d bytes, SIZE=%d, %s reads: got %d bytes, %v", size, declared, name, len(got), err)
				}
				if declared >= int64(size) && declared > dataChunk && cap(got) > int(declared) {
					t.Errorf("%d bytes, SIZE=%d, %s reads: capacity %d past the declared size", size, declared, name, cap(got))
				}
				if size < firstChunk && declared <= dataChunk && len(d.chunks) != 1 {
					t.Errorf("%d bytes, SIZE=%d, %s reads: copied out of its chunk", size, declared, name)
				}
				d.release()
			}
		}
	}
	broken := errors.New("connection lost")
	for _, declared := range []int64{0, 1 << 20} {
		r := io.MultiReader(strings.NewReader(strings.Repeat("x\r\n", 100000)), iotest.ErrReader(broken))
		if d, err := readData(r, declared); !errors.Is(err, broken) || d.data != nil || d.chunks != nil {
			t.Errorf("SIZE=%d: a read error gave %d bytes, %v", declared, len(d.data), err)
		}
	}
}

// stepReader reads at most step bytes at a time, as go-smtp's reader gives
// them.
type stepReader struct {
	r    io.Reader
	step int
}

func (s stepReader) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), s.step)]) }
