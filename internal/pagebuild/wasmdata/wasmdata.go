// Package wasmdata packs a WebAssembly module's data segments for
// compression.
//
// Go's linker splits main.wasm's memory image into a segment at every run
// of 8 or more zero bytes, which makes the smallest file: about 49,000
// segments. Each segment's header (its address and length) is a few bytes
// that brotli and gzip cannot predict, while zeros cost them next to
// nothing; joining segments across short runs of zeros makes the file
// larger but its brotli copy about 6 % and its gzip copy about 6 % smaller.
// The memory the module starts with is the same byte for byte.
package wasmdata

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
)

// MaxGap is the longest run of zeros Pack writes out to join two segments.
const MaxGap = 1024

// magic opens every module: "\0asm" and version 1.
var magic = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

// dataSection is the id of the data section.
const dataSection = 11

// segment is an active data segment of memory 0 at a constant address.
type segment struct {
	addr int64
	data []byte
}

// Pack returns module with the data segments that are at most MaxGap zero
// bytes apart joined into one. A module whose data section holds anything
// else than active segments at constant addresses of memory 0 (passive
// segments, computed addresses) comes back unchanged.
func Pack(module []byte) ([]byte, error) {
	if !bytes.HasPrefix(module, magic) {
		return nil, errors.New("not a WebAssembly module (version 1)")
	}
	out := slices.Clip(module[:len(magic)])
	for rest := module[len(magic):]; len(rest) > 0; {
		id := rest[0]
		size, n := binary.Uvarint(rest[1:])
		if n <= 0 || uint64(len(rest)-1-n) < size {
			return nil, errors.New("a section runs past the end of the module")
		}
		whole, body := rest[:1+n+int(size)], rest[1+n:1+n+int(size)]
		rest = rest[len(whole):]
		if id != dataSection {
			out = append(out, whole...)
			continue
		}
		segs, ok := readSegments(body)
		if !ok {
			out = append(out, whole...)
			continue
		}
		packed := writeSegments(join(segs))
		out = append(out, dataSection)
		out = binary.AppendUvarint(out, uint64(len(packed)))
		out = append(out, packed...)
	}
	return out, nil
}

// readSegments reads a data section made only of segments Pack can join.
func readSegments(b []byte) ([]segment, bool) {
	count, n := binary.Uvarint(b)
	if n <= 0 {
		return nil, false
	}
	b = b[n:]
	segs := make([]segment, 0, count)
	for range count {
		// 0x00 (active, memory 0), i32.const <addr>, end, length, bytes.
		if len(b) < 2 || b[0] != 0x00 || b[1] != 0x41 {
			return nil, false
		}
		addr, n := readSleb(b[2:])
		if n <= 0 || len(b) < 2+n+1 || b[2+n] != 0x0b {
			return nil, false
		}
		b = b[2+n+1:]
		length, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < length {
			return nil, false
		}
		segs = append(segs, segment{addr, b[n : n+int(length)]})
		b = b[n+int(length):]
	}
	return segs, len(b) == 0
}

// join sorts the segments by address and joins those that are at most
// MaxGap bytes apart, writing the zeros between them.
func join(segs []segment) []segment {
	slices.SortStableFunc(segs, func(a, b segment) int { return int(a.addr - b.addr) })
	var out []segment
	for _, s := range segs {
		if len(out) > 0 {
			last := &out[len(out)-1]
			end := last.addr + int64(len(last.data))
			if gap := s.addr - end; gap >= 0 && gap <= MaxGap {
				last.data = append(last.data, make([]byte, gap)...)
				last.data = append(last.data, s.data...)
				continue
			}
		}
		out = append(out, segment{s.addr, slices.Clone(s.data)})
	}
	return out
}

func writeSegments(segs []segment) []byte {
	b := binary.AppendUvarint(nil, uint64(len(segs)))
	for _, s := range segs {
		b = append(b, 0x00, 0x41)
		b = appendSleb(b, s.addr)
		b = append(b, 0x0b)
		b = binary.AppendUvarint(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

// readSleb reads a signed LEB128 number: its value and length, 0 if b ends
// first or it is longer than 64 bits.
func readSleb(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i, c := range b {
		if shift >= 64 {
			return 0, 0
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c < 0x80 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
	}
	return 0, 0
}

// appendSleb appends v as signed LEB128.
func appendSleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
