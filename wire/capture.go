package wire

import "time"

// Directions of a Chunk of the server leg.
const (
	DirUp   = "up"   // from the proxy to the server
	DirDown = "down" // from the server to the proxy
)

// Capture limits: the proxy sends the bytes of its server leg in messages
// of at most CaptureChunk bytes of data, at most CaptureFlush after the
// first of them was seen, and never more than CaptureMax bytes (nor more
// than the session's byte budget) in one session.
const (
	CaptureChunk = 4096
	CaptureFlush = 20 * time.Millisecond
	CaptureMax   = 1 << 20
)

// Wire carries bytes of the proxy's leg to the server exactly as they
// crossed it (after STARTTLS: TLS records, not plaintext), for a client
// that asked for them with Open.Wire. Chunks are in the order the proxy saw
// them. KeyLog, for sandbox targets only, is the TLS key log (NSS key log
// format) the proxy's TLS client wrote since the last message. Truncated
// says the session's capture cap was reached: no Wire message follows.
type Wire struct {
	Type      string  `json:"type"`
	Chunks    []Chunk `json:"chunks"`
	KeyLog    string  `json:"keylog,omitempty"`
	Truncated bool    `json:"truncated,omitempty"`
}

// Chunk is a run of bytes in one direction: Offset counts the bytes of that
// direction before it, from 0 when the connection opened; Time is when the
// proxy saw its first byte, in microseconds since the Unix epoch. Data is
// base64 in JSON.
type Chunk struct {
	Dir    string `json:"dir"`
	Offset int64  `json:"offset"`
	Time   int64  `json:"time"`
	Data   []byte `json:"data"`
}

// MessageType returns TypeWire.
func (*Wire) MessageType() string { return TypeWire }
