package server

import (
	"strconv"
	"strings"
)

// codings are the content codings the page is stored in, best first: on
// equal q-values the smaller copy wins.
var codings = []string{"br", "gzip", "identity"}

// negotiate picks the coding of a page file for a request's Accept-Encoding
// header lines (RFC 9110 §12.5.3): the one with the highest q-value among
// br (if hasBr), gzip (if hasGz) and identity; "*" stands for the codings
// not named; q=0 refuses. Identity is acceptable unless refused, and is
// also the answer when everything is refused: a file as it is beats a 406.
func negotiate(header []string, hasBr, hasGz bool) string {
	q := map[string]float64{}
	star := -1.0
	for _, line := range header {
		for _, part := range strings.Split(line, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			weight := 1.0
			for _, p := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
						weight = f
					}
				}
			}
			if name == "*" {
				star = weight
			} else if name == "x-gzip" {
				q["gzip"] = weight
			} else {
				q[name] = weight
			}
		}
	}
	have := map[string]bool{"br": hasBr, "gzip": hasGz, "identity": true}
	best, bestQ := "identity", 0.0
	for _, c := range codings {
		w, named := q[c]
		switch {
		case !have[c]:
			continue
		case !named && star >= 0:
			w = star
		case !named && c == "identity":
			w = 0.001 // acceptable when not named, below anything asked for
		case !named:
			continue
		}
		if w > bestQ {
			best, bestQ = c, w
		}
	}
	if best == "identity" {
		return ""
	}
	return best
}
