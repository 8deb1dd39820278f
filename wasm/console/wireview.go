package console

import (
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smtplay/smtplay/wire"
)

// WireItem is one thing the wire view shows of the server leg: a line of
// plaintext SMTP, or the header of one TLS record.
type WireItem struct {
	// Dir is wire.DirUp (to the server) or wire.DirDown.
	Dir string `json:"dir"`
	// Offset is where the item starts in its direction's bytes.
	Offset int64 `json:"offset"`
	// Text is a plaintext line with its CR and LF made visible (␍␊) and
	// other control bytes as \xNN.
	Text string `json:"text,omitempty"`
	// Decoded is what the base64 of an AUTH line says, NULs shown as ␀:
	// anyone who sees the line can read it.
	Decoded string `json:"decoded,omitempty"`
	// Record describes a TLS record; its content is not readable.
	Record *TLSRecord `json:"record,omitempty"`
}

// TLSRecord is the clear header of one TLS record (RFC 8446, section 5.1)
// and its first bytes.
type TLSRecord struct {
	ContentType int    `json:"content_type"`
	Name        string `json:"name"` // handshake, application_data, …
	Version     string `json:"version"`
	Length      int    `json:"length"`
	Head        string `json:"head"` // up to headBytes bytes after the header, in hex
}

// WireUpdate is what one wire message adds to the view.
type WireUpdate struct {
	Items []WireItem `json:"items"`
	// KeyLog is true once the session's TLS key log has arrived (sandbox only).
	KeyLog bool `json:"keylog,omitempty"`
	// Truncated says the capture reached its cap and stops here.
	Truncated bool `json:"truncated,omitempty"`
}

// headBytes is how much of a record's content the view shows.
const headBytes = 16

// contentTypes names the TLS record content types.
var contentTypes = map[byte]string{20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data"}

// recordVersions names the record layer's legacy versions.
var recordVersions = map[uint16]string{0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3"}

// wireReader turns the chunks of both directions into WireItems.
type wireReader struct {
	dirs     map[string]*dirReader
	after334 bool // the server's last line was a 334 challenge
}

// dirReader is one direction: plaintext lines until a TLS record starts a
// line, then TLS records.
type dirReader struct {
	dir    string
	tls    bool
	buf    []byte
	offset int64 // of buf[0]
	skip   int   // record content bytes still to pass over
	end    int64 // bytes of this direction read so far
}

func newWireReader() *wireReader {
	return &wireReader{dirs: map[string]*dirReader{wire.DirUp: {dir: wire.DirUp}, wire.DirDown: {dir: wire.DirDown}}}
}

// read takes one chunk and returns the items it completes.
func (w *wireReader) read(c wire.Chunk) []WireItem {
	d := w.dirs[c.Dir]
	if d == nil || c.Offset != d.end {
		return nil // not the next bytes of a direction: nothing to show
	}
	d.end += int64(len(c.Data))
	data := c.Data
	if d.skip > 0 {
		n := min(d.skip, len(data))
		d.skip -= n
		data = data[n:]
	}
	d.buf = append(d.buf, data...)
	var out []WireItem
	for {
		item, ok := w.next(d)
		if !ok {
			return out
		}
		out = append(out, item)
	}
}

// next cuts the next item from d's buffer, if it is complete.
func (w *wireReader) next(d *dirReader) (WireItem, bool) {
	if d.skip > 0 || len(d.buf) == 0 {
		return WireItem{}, false
	}
	if !d.tls && d.buf[0] == 22 {
		d.tls = true // a handshake record where a line would start
	}
	if d.tls {
		return w.record(d)
	}
	i := strings.IndexByte(string(d.buf), '\n')
	if i < 0 {
		return WireItem{}, false
	}
	line := string(d.buf[:i+1])
	item := WireItem{Dir: d.dir, Offset: d.offset, Text: visible(line)}
	item.Decoded = w.decode(d.dir, strings.TrimRight(line, "\r\n"))
	d.buf, d.offset = d.buf[i+1:], d.offset+int64(i+1)
	return item, true
}

// record cuts the header of the next TLS record and passes over its content.
func (w *wireReader) record(d *dirReader) (WireItem, bool) {
	if len(d.buf) < 5 {
		return WireItem{}, false
	}
	n := int(d.buf[3])<<8 | int(d.buf[4])
	if len(d.buf) < 5+min(n, headBytes) {
		return WireItem{}, false
	}
	version := uint16(d.buf[1])<<8 | uint16(d.buf[2])
	r := &TLSRecord{ContentType: int(d.buf[0]), Name: contentTypes[d.buf[0]], Version: recordVersions[version], Length: n,
		Head: hex.EncodeToString(d.buf[5 : 5+min(n, headBytes)])}
	if r.Name == "" {
		r.Name = "type " + strconv.Itoa(int(d.buf[0]))
	}
	if r.Version == "" {
		r.Version = "0x" + hexPadded(uint64(version), 4)
	}
	item := WireItem{Dir: d.dir, Offset: d.offset, Record: r}
	take := min(5+n, len(d.buf))
	d.skip = 5 + n - take
	d.buf, d.offset = d.buf[take:], d.offset+int64(take)
	if d.skip > 0 {
		d.offset += int64(d.skip) // counted now; read passes over the bytes
		d.buf = nil
	}
	return item, true
}

// decode reads the base64 of AUTH lines: AUTH PLAIN or LOGIN with an
// initial response, the server's 334 challenges, and the answers to them.
func (w *wireReader) decode(dir, line string) string {
	var b64 string
	switch f := strings.Fields(line); {
	case dir == wire.DirDown:
		w.after334 = strings.HasPrefix(line, "334 ")
		if w.after334 {
			b64 = strings.TrimPrefix(line, "334 ")
		}
	case len(f) == 3 && strings.EqualFold(f[0], "AUTH"):
		b64 = f[2]
	case w.after334 && len(f) == 1:
		b64 = f[0]
		w.after334 = false
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if b64 == "" || b64 == "=" || err != nil {
		return ""
	}
	return visible(string(raw))
}

// visibleBytes shows the bytes a person cannot see.
var visibleBytes = strings.NewReplacer("\r", "␍", "\n", "␊", "\x00", "␀", "\t", "␉")

// visible shows s with its line end and control bytes made visible, and
// bytes that are not UTF-8 as \xNN.
func visible(s string) string {
	s = visibleBytes.Replace(s)
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n <= 1 || r < 0x20 || r == 0x7f {
			b.WriteString(`\x` + hexPadded(uint64(s[0]), 2))
		} else {
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// hexPadded is v in lower-case hex with at least width digits.
func hexPadded(v uint64, width int) string {
	h := strconv.FormatUint(v, 16)
	if len(h) < width {
		h = strings.Repeat("0", width-len(h)) + h
	}
	return h
}
