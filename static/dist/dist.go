// Package dist embeds the built page: what `make` writes here with
// internal/pagebuild (index.html and a/<hash>/…, each file with its brotli
// and gzip copies). In a fresh clone it holds only this file, and Site
// says the page is not built.
package dist

import (
	"embed"
	"sync"

	"github.com/smtplay/smtplay/internal/pagebuild"
)

// files is this folder: the built page, and this file, which is never
// served.
//
//go:embed *
var files embed.FS

// Site is the built page, read once; pagebuild.ErrNotBuilt before `make`.
var Site = sync.OnceValues(func() (*pagebuild.Site, error) { return pagebuild.Load(files) })
