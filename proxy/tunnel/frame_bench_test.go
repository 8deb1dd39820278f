package tunnel

import (
	"testing"

	"github.com/smtplay/smtplay/wire"
)

// BenchmarkContentFrame is the tunnel's own look at one 64 KiB frame of
// message content, as DATA sends 25 MiB of them: the line rules, then the
// follower (B/s of content).
func BenchmarkContentFrame(b *testing.B) {
	frame := []byte(lines(wire.MaxMessage))
	f := newFollower()
	f.mode = modeContent
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		if err := checkFrame(frame); err != nil {
			b.Fatal(err)
		}
		if err := f.accept(frame); err != nil {
			b.Fatal(err)
		}
	}
}
