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
				if len(d.chunks) == 0 && (len(d.own) != traceRoom+len(got) || len(got) > 0 && &d.own[traceRoom] != &got[0]) {
					t.Errorf("%d bytes, SIZE=%d, %s reads: copied out of its chunks, but not %d bytes after room for the trace", size, declared, name, traceRoom)
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

// A message read into a slice of its own is kept in it: the trace headers
// go into the room before it, and it is not copied again.
func TestLargeMessageStoredInPlace(t *testing.T) {
	s := newTestSandbox(t, Config{})
	c, token := dial(t, s, "sandbox", "", nil)
	c.do("EHLO inplace.test", "250")
	body := "Subject: in place\r\n\r\n" + strings.Repeat("0123456789abcdef\r\n", 3*dataChunk/18)
	c.sendMessage("a@example.org", []string{"b@example.org"}, body)
	msgs, _ := s.store.list(token)
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored", len(msgs))
	}
	m := msgs[0]
	if !bytes.HasPrefix(m.raw, []byte("Return-Path: <a@example.org>\r\nReceived: ")) || !bytes.HasSuffix(m.raw, []byte(body)) {
		t.Fatalf("stored %d bytes: %.200q … %.40q", len(m.raw), m.raw, m.raw[max(0, len(m.raw)-40):])
	}
	trace := len(m.raw) - len(body)
	if m.lead+trace != traceRoom {
		t.Errorf("the message was copied behind its trace (%d bytes), not kept where it was read (%d bytes of room left before the trace, want %d)", trace, m.lead, traceRoom-trace)
	}
	if want := messageOverhead + allocSize(traceRoom+len(body)); m.cost() < want {
		t.Errorf("counted %d bytes, less than the slice it keeps (%d)", m.cost(), want)
	}
}
