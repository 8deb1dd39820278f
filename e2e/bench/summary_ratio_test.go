package bench

import (
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// A metric that is 0 in the baseline (the ns/op a browser benchmark
// reports as 0) has no ratio: the table says "—", not NaN× or +Inf×;
// others keep theirs. The in-page rows reach the goal table.
func TestBenchSummaryRatioOfZero(t *testing.T) {
	const run = `goos: linux
BenchmarkInPageSandbox/cold-2 	1	0 ns/op	400 ms-connect	1000 ms-greeting
BenchmarkInPageSandbox/warm-2 	1	0 ns/op	200 ms-connect	500 ms-greeting
BenchmarkSandboxWasm/static-build-2 	1	0 ns/op	12000000 raw-B	2300000 br-B	3200000 gz-B
`
	table, err := summarise(benchfmt.NewReader(strings.NewReader(run), "run"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(table, "NaN") || strings.Contains(table, "Inf") {
		t.Errorf("a ratio of zeros:\n%s", table)
	}
	for _, want := range []string{"| InPageSandbox | warm | ns/op | 0 | ∞ | — |", "| InPageSandbox | warm | ms-greeting | 500 | ", " | 0.50× | ",
		"| InPageSandbox cold ms-greeting | 1,000 | ≤ 600 | NO |", "| SandboxWasm static-build br-B | 2,300,000 | ≤ 1,900,000 | NO |"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
}
