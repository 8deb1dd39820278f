// Package staticsite finishes `make static`'s build for a static host,
// after internal/pagebuild has written index.html and a/<hash>/: it adds
// embed.html, the compact page for an iframe (a copy of index.html; the
// page compacts itself by its path, as on smtplay's /embed), and
// settings.json, which the page reads instead of a proxy's api/settings
// when it runs its in-page sandbox: the origins whose pages may send
// commands to embed.html (docs/EMBED.md, "On a static host").
package staticsite

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/smtplay/smtplay/proxy/policy"
)

// The files Finish reads and writes in the build's folder.
const (
	Entry    = "index.html"
	Embed    = "embed.html"
	Settings = "settings.json"
)

// copies are the suffixes of a file's precompressed copies beside it.
var copies = []string{"", ".br", ".gz"}

// settings is settings.json: the shape of smtplay's GET /api/settings.
type settings struct {
	Embedders     []string `json:"embedders"`
	LessonOrigins []string `json:"lesson_origins"`
}

// ParseOrigins reads a list of origins separated by spaces or commas
// (STATIC_EMBED_ORIGINS) with smtplay's own rules for -allow-origin: a
// full origin such as https://course.example.edu, and a "*" only inside
// one label before at least two fixed ones.
func ParseOrigins(list string) (policy.Patterns, error) {
	fields := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	return policy.ParsePatterns("STATIC_EMBED_ORIGINS", fields)
}

// Finish writes embed.html (and its .br and .gz copies, as index.html has
// them) and settings.json listing embedders into dir, a folder pagebuild
// wrote.
func Finish(dir string, embedders policy.Patterns) error {
	if _, err := os.Stat(filepath.Join(dir, Entry)); err != nil {
		return fmt.Errorf("%s has no %s: build the page first (make static)", dir, Entry)
	}
	for _, suffix := range copies {
		body, err := os.ReadFile(filepath.Join(dir, Entry+suffix))
		target := filepath.Join(dir, Embed+suffix)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			err = os.Remove(target) // a copy an earlier build left
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			continue
		case err != nil:
			return err
		}
		if err := os.WriteFile(target, body, 0o644); err != nil {
			return err
		}
	}
	body, err := json.MarshalIndent(settings{Embedders: embedders.Strings(), LessonOrigins: []string{}}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, Settings), append(body, '\n'), 0o644)
}

// FrameAncestors is the Content-Security-Policy directive the static
// host should send with embed.html for these embedders.
func FrameAncestors(embedders policy.Patterns) string {
	return strings.Join(append([]string{"frame-ancestors", "'self'"}, embedders.CSP()...), " ")
}
