// Package site serves the example course page the way a course's own web
// server would: the page's files, its lesson files readable by other
// origins (the playground's page fetches them), and config.json, which
// tells the page where the playground is.
package site

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Config is what config.json tells the course page.
type Config struct {
	// Smtplay is the playground's address, e.g. "http://127.0.0.1:8080/".
	Smtplay string `json:"smtplay"`
}

// Handler serves the course page in dir, and config.json naming the
// playground at smtplay (an http or https address). A bad address gets a
// sentence.
func Handler(dir, smtplay string) (http.Handler, error) {
	u, err := url.Parse(smtplay)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("the playground's address %q is not an http:// or https:// address with a host, like http://127.0.0.1:8080/", smtplay)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	config, err := json.Marshal(Config{Smtplay: u.String()})
	if err != nil {
		return nil, err
	}
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/config.json":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(config)
			return
		case strings.HasPrefix(r.URL.Path, "/lessons/"):
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		files.ServeHTTP(w, r)
	}), nil
}
