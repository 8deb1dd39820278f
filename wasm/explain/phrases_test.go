package explain

import (
	"testing"

	"github.com/smtplay/smtplay/wasm/phrase/phrasetest"
)

func TestPhrases(t *testing.T) {
	phrasetest.Check(t, ".", Phrases())
}
