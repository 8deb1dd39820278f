package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/internal/pagebuild"
)

// smtplay sends its page with its own servers listed and Connect enabled
// (a press before the page's scripts run is kept: static/early.js), in a
// gzip copy with its own ETag that answers 304; the built page a static
// host serves keeps the list to load and Connect disabled.
func TestServedPageListsServers(t *testing.T) {
	_, hs := startServer(t, "-allow", "mail.example.com:587")
	site, _ := testPage()
	if !bytes.Contains(site.Entry.Body, []byte(builtTargets)) || !bytes.Contains(site.Entry.Body, []byte(builtConnect)) {
		t.Fatalf("the built index.html no longer has the connect bar entry.go renders:\n%s", site.Entry.Body)
	}
	want := `<select id="target"><option value="sandbox">sandbox</option><option value="sandbox-strict">sandbox-strict</option><option value="mail.example.com:587">mail.example.com:587</option></select>`
	var tags []string
	for _, enc := range []string{"", "gzip, deflate, br"} {
		resp, body := get(t, hs.URL+"/", enc)
		body = decode(t, resp.Header.Get("Content-Encoding"), body)
		if !bytes.Contains(body, []byte(want)) || !bytes.Contains(body, []byte(servedConnect+`data-i18n="connect.connect">`)) {
			t.Errorf("Accept-Encoding %q: the page served lacks this server's list or an enabled Connect:\n%s", enc, body)
		}
		if resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Cache-Control %q, Vary %q", enc, resp.Header.Get("Cache-Control"), resp.Header.Get("Vary"))
		}
		tag := resp.Header.Get("ETag")
		if strings.Contains(tag, strings.Trim(site.Entry.Tag, `"`)) {
			t.Errorf("the rendered page has the built page's ETag %s", tag)
		}
		if again, _ := get(t, hs.URL+"/", enc, "If-None-Match", tag); again.StatusCode != http.StatusNotModified {
			t.Errorf("revalidating %s: %s", tag, again.Status)
		}
		tags = append(tags, tag)
	}
	if tags[0] == tags[1] {
		t.Errorf("the page and its gzip copy share the ETag %s", tags[0])
	}
}

// A server's name is text in the page, never markup.
func TestRenderEntryEscapes(t *testing.T) {
	e := &pagebuild.File{Name: "index.html", Body: []byte("<p>" + builtTargets + builtConnect + `data-i18n="connect.connect">Connect</button>`), Type: "text/html", Tag: `"x"`}
	got := string(renderEntry(e, []string{`a"><script>b</script>`}).Body)
	if strings.Contains(got, "<script>") || !strings.Contains(got, `<option value="a&#34;&gt;&lt;script&gt;b&lt;/script&gt;">`) {
		t.Errorf("rendered: %s", got)
	}
}
