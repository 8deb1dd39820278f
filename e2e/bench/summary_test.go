package bench

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

var benchSummary = flag.String("bench-summary", "", "a file of `go test -bench` output for TestBenchSummary to summarise")

// TestBenchSummary prints the ratio table of `make bench`: for every metric
// of every sub-benchmark in the -bench-summary file, its median (with
// benchstat's 95% confidence interval, from golang.org/x/perf/benchmath)
// and the ratio to the same metric of its baseline, the benchmark's first
// sub-benchmark. `make bench` prints benchstat's own table too. It fails if
// the run failed; without the flag it skips.
func TestBenchSummary(t *testing.T) {
	if *benchSummary == "" {
		t.Skip("make bench runs this with -bench-summary FILE")
	}
	f, err := os.Open(*benchSummary)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table, err := summarise(benchfmt.NewReader(f, *benchSummary))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Print(table)
}

// metricKey is one metric of one sub-benchmark: NOOP, smtplay-tcp, sec/op.
type metricKey struct{ bench, variant, unit string }

// summarise reads benchmark results and returns a Markdown table.
func summarise(r *benchfmt.Reader) (string, error) {
	var keys []metricKey
	samples := map[metricKey][]float64{}
	variants := map[string][]string{} // bench → its variants, the baseline first
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue // a syntax error or unit metadata
		}
		base, parts := res.Name.Parts()
		if len(parts) == 0 || !strings.HasPrefix(string(parts[0]), "/") {
			continue // no baseline to compare with
		}
		bench, variant := string(base), strings.TrimPrefix(string(parts[0]), "/")
		if !slices.Contains(variants[bench], variant) {
			variants[bench] = append(variants[bench], variant)
		}
		rate := slices.ContainsFunc(res.Values, func(v benchfmt.Value) bool { return strings.HasSuffix(v.Unit, "/s") })
		for _, v := range res.Values {
			if v.Unit == "B/op" || v.Unit == "allocs/op" || (v.Unit == "sec/op" && rate) {
				continue // rates say it better; allocations are not comparable across processes
			}
			k := metricKey{bench, variant, v.Unit}
			if _, seen := samples[k]; !seen {
				keys = append(keys, k)
			}
			samples[k] = append(samples[k], v.Value)
		}
	}
	if err := r.Err(); err != nil {
		return "", err
	}
	if len(keys) == 0 {
		return "", fmt.Errorf("no sub-benchmarks found: did the run fail?")
	}
	summary := func(vs []float64) benchmath.Summary {
		return benchmath.AssumeNothing.Summary(benchmath.NewSample(vs, &benchmath.DefaultThresholds), 0.95)
	}
	var b strings.Builder
	b.WriteString("| benchmark | variant | metric | median | ±95% CI | vs baseline | runs |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: |\n")
	for _, k := range keys {
		s := summary(samples[k])
		ratio := "baseline"
		if len(variants[k.bench]) == 1 {
			ratio = "—" // nothing to compare with
		} else if base := variants[k.bench][0]; base != k.variant {
			ratio = "—"
			if bs, ok := samples[metricKey{k.bench, base, k.unit}]; ok {
				ratio = ratioString(s.Center, summary(bs).Center)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d |\n", k.bench, k.variant, k.unit, number(s.Center), s.PctRangeString(), ratio, len(samples[k]))
	}
	b.WriteString("\nmedian of the runs, with benchstat's 95% confidence interval; vs baseline: median ÷ the baseline's median.\n" +
		"Higher is better for rates (…/s), lower for everything else.\n")
	b.WriteString(goalTable(samples))
	return b.String(), nil
}

// ratioString is v ÷ base as "1.23×", or "—" when base is 0 (a figure
// such as ns/op that a benchmark reports as 0 has no ratio).
func ratioString(v, base float64) string {
	if base == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", v/base)
}

// number formats v: from 100 up as a whole number with thousands
// separators, below with three significant digits.
func number(v float64) string {
	if math.Abs(v) < 100 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	digits := strconv.FormatFloat(v, 'f', 0, 64)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 && digits[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}
