package tunnel

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// readAllPieces reads r with a lineReader until its error.
func readAllPieces(t *testing.T, r io.Reader) ([]string, error) {
	t.Helper()
	lr := newLineReader(r)
	var out []string
	for {
		p, err := lr.next()
		if err != nil {
			return out, err
		}
		out = append(out, string(p))
	}
}

func TestLineReaderPieces(t *testing.T) {
	long := strings.Repeat("x", maxPiece+10) + "\r\n"
	in := "220 hi\r\n250-a\r\n250 b\r\n" + long + "tail"
	want := []string{"220 hi\r\n", "250-a\r\n", "250 b\r\n", long[:maxPiece], long[maxPiece:], "tail"}
	for name, r := range map[string]io.Reader{
		"whole":    strings.NewReader(in),
		"one byte": iotest.OneByteReader(strings.NewReader(in)),
		"socket":   socketWith(t, in),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := readAllPieces(t, r)
			if !errors.Is(err, io.EOF) {
				t.Fatalf("error %v, want EOF", err)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("pieces %q, want %q", got, want)
			}
		})
	}
}

// socketWith is the reading end of a loopback TCP connection that
// carries s and then ends.
func socketWith(t *testing.T, s string) net.Conn {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		_, _ = io.Copy(c, bytes.NewBufferString(s))
		c.Close()
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A reply that reaches the proxy cut anywhere, across several reads of
// its socket (mid-line, between CR and LF, between lines), still comes out
// as whole lines.
func TestLineReaderAcrossReads(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cuts := []string{"250-first li", "ne\r", "\n250-sec", "ond\r\n", "250 last\r\n"}
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		defer c.Close()
		for _, cut := range cuts {
			_, _ = io.WriteString(c, cut)
			time.Sleep(20 * time.Millisecond) // each in a read of its own
		}
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := readAllPieces(t, c)
	want := []string{"250-first line\r\n", "250-second\r\n", "250 last\r\n"}
	if !errors.Is(err, io.EOF) || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("pieces %q, %v; want %q, EOF", got, err, want)
	}
}

func TestLineReaderDiscard(t *testing.T) {
	lr := newLineReader(strings.NewReader("220 go ahead\r\n250 smuggled\r\n"))
	if p, err := lr.next(); err != nil || string(p) != "220 go ahead\r\n" {
		t.Fatalf("next = %q, %v", p, err)
	}
	if n := lr.discard(); n != len("250 smuggled\r\n") {
		t.Fatalf("discard = %d", n)
	}
}
