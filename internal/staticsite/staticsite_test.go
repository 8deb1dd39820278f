package staticsite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A build's embed.html is index.html and its copies; settings.json lists
// the origins as smtplay's api/settings would, and a copy index.html no
// longer has is not left behind.
func TestFinish(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("index.html", "<!doctype html>page")
	write("index.html.gz", "gz")
	write("embed.html.br", "an older build's")
	embedders, err := ParseOrigins("https://course.example.edu, HTTP://Localhost:8081 https://*.lab.example.edu")
	if err != nil {
		t.Fatal(err)
	}
	if err := Finish(dir, embedders); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"embed.html": "<!doctype html>page", "embed.html.gz": "gz"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "embed.html.br")); !os.IsNotExist(err) {
		t.Errorf("the older embed.html.br is still there: %v", err)
	}
	var s struct {
		Embedders     []string `json:"embedders"`
		LessonOrigins []string `json:"lesson_origins"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "settings.json"))
	if err != nil || json.Unmarshal(b, &s) != nil {
		t.Fatalf("settings.json: %s, %v", b, err)
	}
	if got := strings.Join(s.Embedders, " "); got != "https://course.example.edu http://localhost:8081 https://*.lab.example.edu" || s.LessonOrigins == nil {
		t.Errorf("settings.json: %s", b)
	}
	if got := FrameAncestors(embedders); got != "frame-ancestors 'self' https://course.example.edu http://localhost:8081 https://*.lab.example.edu" {
		t.Errorf("FrameAncestors: %s", got)
	}

	none, err := ParseOrigins("")
	if err != nil || Finish(dir, none) != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "settings.json")); !strings.Contains(string(b), `"embedders": []`) {
		t.Errorf("without origins settings.json is %s", b)
	}
}

// An origin smtplay's -allow-origin would refuse is refused here too, in a
// sentence naming the variable; a build without index.html is named.
func TestRefused(t *testing.T) {
	for _, bad := range []string{"https://course.example.edu/path", "course.example.edu", "https://*.edu", "ftp://example.edu", "*"} {
		if _, err := ParseOrigins(bad); err == nil || !strings.Contains(err.Error(), "STATIC_EMBED_ORIGINS") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if err := Finish(t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "make static") {
		t.Errorf("an empty folder: %v", err)
	}
}
