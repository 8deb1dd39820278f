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
)

var benchSummary = flag.String("bench-summary", "", "a file of `go test -bench` output for TestBenchSummary to summarise")

// TestBenchSummary prints the table of `make bench`: the median of every
// metric of every sub-benchmark in the -bench-summary file, as a ratio to
// the same metric of its baseline, the benchmark's first sub-benchmark.
// It fails if the run failed. Without the flag it skips.
func TestBenchSummary(t *testing.T) {
	if *benchSummary == "" {
		t.Skip("make bench runs this with -bench-summary FILE")
	}
	out, err := os.ReadFile(*benchSummary)
	if err != nil {
		t.Fatal(err)
	}
	table, err := summarise(string(out))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Print(table)
}

// metricKey is one metric of one sub-benchmark: NOOP, smtplay-tcp, ns/op.
type metricKey struct{ bench, variant, unit string }

// summarise reads benchmark output and returns a Markdown table.
func summarise(out string) (string, error) {
	var keys []metricKey
	samples := map[metricKey][]float64{}
	variants := map[string][]string{} // bench → its variants, the baseline first
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "panic:") {
			return "", fmt.Errorf("the benchmark run failed: %s", line)
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		bench, variant, ok := strings.Cut(trimProcs(strings.TrimPrefix(f[0], "Benchmark")), "/")
		if !ok {
			continue // no baseline to compare with
		}
		if !slices.Contains(variants[bench], variant) {
			variants[bench] = append(variants[bench], variant)
		}
		rate := slices.ContainsFunc(f, func(u string) bool { return strings.HasSuffix(u, "/s") })
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			unit := f[i+1]
			if err != nil || unit == "B/op" || unit == "allocs/op" || (unit == "ns/op" && rate) {
				continue // rates say it better; allocations are not comparable across processes
			}
			k := metricKey{bench, variant, unit}
			if _, seen := samples[k]; !seen {
				keys = append(keys, k)
			}
			samples[k] = append(samples[k], v)
		}
	}
	if len(keys) == 0 {
		return "", fmt.Errorf("no sub-benchmarks found")
	}
	var b strings.Builder
	b.WriteString("| benchmark | variant | metric | median | spread | vs baseline | runs |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: |\n")
	for _, k := range keys {
		med, spread := medianSpread(samples[k])
		ratio := "baseline"
		if len(variants[k.bench]) == 1 {
			ratio = "—" // nothing to compare with
		} else if base := variants[k.bench][0]; base != k.variant {
			ratio = "—"
			if bs, ok := samples[metricKey{k.bench, base, k.unit}]; ok {
				bm, _ := medianSpread(bs)
				ratio = fmt.Sprintf("%.2f×", med/bm)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | ±%.0f%% | %s | %d |\n", k.bench, k.variant, k.unit, number(med), spread*100, ratio, len(samples[k]))
	}
	b.WriteString("\nmedian of the runs; spread: the largest distance of a run from the median; vs baseline: median ÷ the baseline's median.\n" +
		"Higher is better for rates (…/s), lower for everything else.\n")
	return b.String(), nil
}

// trimProcs drops the -GOMAXPROCS suffix of a benchmark name.
func trimProcs(name string) string {
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// medianSpread returns the median of vs and the largest relative distance
// of a value from it.
func medianSpread(vs []float64) (median, spread float64) {
	s := slices.Sorted(slices.Values(vs))
	n := len(s)
	median = (s[(n-1)/2] + s[n/2]) / 2
	for _, v := range s {
		if median != 0 {
			spread = max(spread, math.Abs(v-median)/math.Abs(median))
		}
	}
	return median, spread
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
