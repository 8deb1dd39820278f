package main

import (
	"encoding/json"
	"net/http"
)

// routes is smtplay's HTTP surface.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /tunnel", a.tunnel)
	mux.HandleFunc("GET /api/targets", a.handleTargets)
	mux.HandleFunc("GET /api/settings", a.handleSettings)
	mux.HandleFunc("GET /healthz", a.handleHealth)
	mux.Handle("GET /api/sandbox/", a.sandbox.Handler())
	mux.Handle("GET /", a.pageHandler())
	return mux
}

// targetJSON is one entry of GET /api/targets.
type targetJSON struct {
	Name        string `json:"name"`
	Host        string `json:"host"`
	Port        int    `json:"port"`
	TLS         string `json:"tls"`
	Description string `json:"description,omitempty"`
	Demo        *demo  `json:"demo,omitempty"`
}

type demo struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (a *app) handleTargets(w http.ResponseWriter, r *http.Request) {
	list := a.targets.List()
	out := make([]targetJSON, 0, len(list))
	for _, t := range list {
		j := targetJSON{Name: t.Name, Host: t.Host, Port: t.Port, TLS: string(t.TLS), Description: t.Description}
		if t.Sandbox != "" {
			user, pass := a.sandbox.Demo()
			j.Demo = &demo{Username: user, Password: pass}
		}
		out = append(out, j)
	}
	writeJSON(w, out)
}

// settingsJSON is GET /api/settings: what the operator set that the page
// checks itself.
type settingsJSON struct {
	// Embedders are the -allow-origin patterns: pages that may embed /embed
	// and send it commands.
	Embedders []string `json:"embedders"`
	// LessonOrigins are the -lesson-origin patterns: where lesson files may
	// be loaded from.
	LessonOrigins []string `json:"lesson_origins"`
}

func (a *app) handleSettings(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, settingsJSON{Embedders: a.embedders.Strings(), LessonOrigins: a.lessonOrigins.Strings()})
}

func (a *app) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
