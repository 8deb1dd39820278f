package server

import (
	"encoding/json"
	"net/http"
)

// Handler is smtplay's HTTP surface: the page, /embed, the tunnel and the
// JSON API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /tunnel", s.tunnel)
	mux.HandleFunc("GET /api/targets", s.handleTargets)
	mux.HandleFunc("GET /api/settings", s.handleSettings)
	mux.HandleFunc("GET /healthz", handleHealth)
	mux.Handle("GET /api/sandbox/", s.sandbox.Handler())
	mux.Handle("GET /", s.pageHandler())
	return mux
}

// Target is one entry of GET /api/targets.
type Target struct {
	Name        string `json:"name"`
	Host        string `json:"host"`
	Port        int    `json:"port"`
	TLS         string `json:"tls"`
	Description string `json:"description,omitempty"`
	// Demo is the sandbox's practice login, public by design.
	Demo *Login `json:"demo,omitempty"`
}

// Login is a user name and password.
type Login struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) handleTargets(w http.ResponseWriter, r *http.Request) {
	list := s.targets.List()
	out := make([]Target, 0, len(list))
	for _, t := range list {
		j := Target{Name: t.Name, Host: t.Host, Port: t.Port, TLS: string(t.TLS), Description: t.Description}
		if t.Sandbox != "" {
			user, pass := s.sandbox.Demo()
			j.Demo = &Login{Username: user, Password: pass}
		}
		out = append(out, j)
	}
	writeJSON(w, out)
}

// Settings is GET /api/settings: what the operator set that the page
// checks itself.
type Settings struct {
	// Embedders are the -allow-origin patterns: pages that may embed /embed
	// and send it commands.
	Embedders []string `json:"embedders"`
	// LessonOrigins are the -lesson-origin patterns: where lesson files may
	// be loaded from.
	LessonOrigins []string `json:"lesson_origins"`
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, Settings{Embedders: s.embedders.Strings(), LessonOrigins: s.lessonOrigins.Strings()})
}

func handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
