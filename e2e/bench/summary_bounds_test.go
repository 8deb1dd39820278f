package bench

import (
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// After the goals, the table says what caps the ingest goals against
// Mailpit: the ratio of a go-smtp server that discards to Mailpit, per path
// (a ratio of medians) and in rounds (the median of the rounds' ratios).
// Without Mailpit's figures there is no such row.
func TestBenchSummaryBounds(t *testing.T) {
	const run = `goos: linux
BenchmarkIngest/go-smtp-discard-2 	1000	100000 ns/op	10000 msgs/s
BenchmarkIngest/smtplay-sandbox-2 	1000	100000 ns/op	10100 msgs/s
BenchmarkIngest/mailpit-2 	1000	500000 ns/op	2000 msgs/s
BenchmarkIngestRounds/interleaved-2 	2	0 ns/op	1.01 sandbox/discard	4.95 sandbox/mailpit	4.90 discard/mailpit
BenchmarkIngestRounds/interleaved-2 	2	0 ns/op	1.02 sandbox/discard	4.85 sandbox/mailpit	4.80 discard/mailpit
BenchmarkIngestRounds/interleaved-2 	2	0 ns/op	1.00 sandbox/discard	5.05 sandbox/mailpit	5.10 discard/mailpit
`
	table, err := summarise(benchfmt.NewReader(strings.NewReader(run), "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| Ingest smtplay-sandbox msgs/s vs mailpit | 5.05× | ≥ 5.00× | yes |",
		"| Ingest smtplay-sandbox msgs/s vs mailpit | 5.00× |\n",
		"| IngestRounds interleaved sandbox/mailpit | 4.90× |\n",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}

	withoutMailpit := strings.ReplaceAll(run, "BenchmarkIngest/mailpit-2 	1000	500000 ns/op	2000 msgs/s\n", "")
	withoutMailpit = strings.ReplaceAll(withoutMailpit, "discard/mailpit", "x")
	table, err = summarise(benchfmt.NewReader(strings.NewReader(withoutMailpit), "run"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(table, "capped by") {
		t.Errorf("a bound without its peer's figures:\n%s", table)
	}
}
