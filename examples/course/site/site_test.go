package site

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The course server tells its page where the playground is, lets other
// origins read its lessons (and nothing else), and refuses an address a
// browser could not use in a sentence.
func TestHandler(t *testing.T) {
	h, err := Handler("..", "http://127.0.0.1:9090")
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	defer hs.Close()

	resp, err := http.Get(hs.URL + "/config.json")
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	err = json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if err != nil || c.Smtplay != "http://127.0.0.1:9090/" {
		t.Errorf("config.json: %+v, %v; want the playground at http://127.0.0.1:9090/", c, err)
	}

	for path, cors := range map[string]string{"/lessons/two-recipients.md": "*", "/course.js": ""} {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("%s: %s, %d bytes", path, resp.Status, len(body))
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != cors {
			t.Errorf("%s: Access-Control-Allow-Origin %q, want %q", path, got, cors)
		}
	}

	for _, bad := range []string{"127.0.0.1:8080", "ftp://example.org/", "http://:8080/", "http://"} {
		if _, err := Handler("..", bad); err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:8080/") {
			t.Errorf("Handler(%q): %v, want a sentence with an example", bad, err)
		}
	}
}
