package bench

import (
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// DATA's interleaved ratios reach the goal table as ratios to their peer,
// beside the per-peer figures' ratios of medians; its metrics have no
// baseline row to be divided by. A ratio just short of its limit shows a
// third decimal.
func TestBenchSummaryInterleaved(t *testing.T) {
	const run = `goos: linux
BenchmarkDATA/tcp-2 	4	200000000 ns/op	130.00 MB/s	200000000 cpu-ns/op
BenchmarkDATA/smtplay-pipe-2 	4	250000000 ns/op	104.00 MB/s	240000000 cpu-ns/op
BenchmarkDATA/interleaved-2 	1	900000000 ns/op	0.97 smtplay-pipe-rate/tcp	1.10 smtplay-pipe-cpu/tcp	0.90 smtplay-tcp-rate/tcp	1.20 smtplay-tcp-cpu/tcp
BenchmarkDATA/interleaved-2 	1	900000000 ns/op	0.96 smtplay-pipe-rate/tcp	1.10 smtplay-pipe-cpu/tcp	0.91 smtplay-tcp-rate/tcp	1.20 smtplay-tcp-cpu/tcp
BenchmarkDATA/interleaved-2 	1	900000000 ns/op	0.98 smtplay-pipe-rate/tcp	1.10 smtplay-pipe-cpu/tcp	0.89 smtplay-tcp-rate/tcp	1.20 smtplay-tcp-cpu/tcp
BenchmarkIngestRounds/interleaved-2 	2	0 ns/op	4.996 sandbox/mailpit
`
	table, err := summarise(benchfmt.NewReader(strings.NewReader(run), "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| DATA smtplay-pipe B/s vs tcp | 0.80× | ≥ 0.95× | NO |",
		"| DATA interleaved smtplay-pipe-rate/tcp vs tcp in the same round | 0.97× | ≥ 0.95× | yes |",
		"| DATA interleaved smtplay-tcp-rate/tcp vs tcp in the same round | 0.90× | ≥ 0.95× | NO |",
		"| DATA | interleaved | smtplay-pipe-cpu/tcp | 1.1 | ",
		// Two decimals would read 5.00× beside the limit's 5.00× and a NO.
		"| IngestRounds interleaved sandbox/mailpit vs mailpit in the same round | 4.996× | ≥ 5.00× | NO |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
}
