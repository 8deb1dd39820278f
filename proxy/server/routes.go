package server

import (
	"encoding/json"
	"net"
	"net/http"
	"net/netip"
)

// Handler is smtplay's HTTP surface: the page, /embed, the tunnel and the
// JSON API, each only for a Host this server answers to (checkHost), and
// /healthz for any Host, so that probes may use an address.
func (s *Server) Handler() http.Handler {
	app := http.NewServeMux()
	app.Handle("GET /tunnel", s.tunnel)
	app.HandleFunc("GET /api/targets", s.handleTargets)
	app.HandleFunc("GET /api/settings", s.handleSettings)
	app.Handle("GET /api/sandbox/", s.sandbox.Handler())
	app.Handle("GET /", s.pageHandler())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", handleHealth)
	mux.Handle("/", s.checkHost(app))
	return mux
}

// misdirected is the body of a 421: a Host this server does not answer to.
const misdirected = "smtplay does not answer to this host name: open it by its own address, " +
	"or ask the operator to list the name with -allow-host.\n"

// checkHost answers 421 Misdirected Request to a request whose Host is not
// one of this server's (policy.Hosts, docs/SECURITY.md T2a): a page whose
// name rebinds to the proxy gets neither the page, the API nor a tunnel.
// The Host is checked against the connection's own local address, so the
// check works on any listener, httptest's included.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.Allow(r.Host, localAddr(r)) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusMisdirectedRequest)
			_, _ = w.Write([]byte(misdirected))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// localAddr is the address a request arrived on; invalid if unknown.
func localAddr(r *http.Request) netip.Addr {
	a, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if a == nil {
		return netip.Addr{}
	}
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr()
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
	// SandboxSMTP is where programs reach the sandbox on TCP; absent when
	// no -sandbox-smtp listener serves. Sandbox targets only.
	SandboxSMTP *SMTPListener `json:"sandbox_smtp,omitempty"`
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
			j.SandboxSMTP = s.smtpListener(r)
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
