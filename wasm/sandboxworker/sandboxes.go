//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"

	"github.com/smtplay/smtplay/proxy/policy"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/proxy/tunnel"
)

// sandboxPort is the port the sandbox targets show, as the proxy shows it:
// the submission port.
const sandboxPort = 587

// pageAddr is the client address of every in-page session: the page itself.
var pageAddr = netip.MustParseAddr("127.0.0.1")

// inPage is the practice server and the tunnel in front of it, serving the
// page that started the worker: the tunnel's targets are the sandbox's
// profiles, and nothing else can be reached.
type inPage struct {
	sb      *sandbox.Sandbox
	tunnel  *tunnel.Server
	targets []target
	api     http.Handler
}

// target is one entry of GET /api/targets, in the proxy's shape
// (docs/PROTOCOL.md); an in-page sandbox has no TCP listener, so no
// sandbox_smtp.
type target struct {
	Name        string `json:"name"`
	Host        string `json:"host"`
	Port        int    `json:"port"`
	TLS         string `json:"tls"`
	Description string `json:"description,omitempty"`
	Demo        *login `json:"demo,omitempty"`
}

type login struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// newInPage starts the sandbox (making its certificate here, in the
// worker) and the tunnel to it.
func newInPage() (*inPage, error) {
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		return nil, err
	}
	p := &inPage{sb: sb}
	var listed []policy.Target
	user, pass := sb.Demo()
	for _, pr := range sb.Profiles() {
		listed = append(listed, policy.Target{
			Name: pr.Name, Host: pr.Name, Port: sandboxPort, TLS: policy.TLSNone,
			Sandbox: pr.Name, Description: pr.Description,
		})
		p.targets = append(p.targets, target{
			Name: pr.Name, Host: pr.Name, Port: sandboxPort, TLS: string(policy.TLSNone),
			Description: pr.Description, Demo: &login{Username: user, Password: pass},
		})
	}
	table, err := policy.NewTable(listed...)
	if err != nil {
		return nil, err
	}
	p.tunnel = tunnel.NewServer(tunnel.Config{Targets: table, Sandbox: sandbox.Tunneled{Sandbox: sb}})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/targets", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, p.targets) })
	mux.HandleFunc("GET /api/settings", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string][]string{"embedders": {}, "lesson_origins": {}})
	})
	mux.Handle("GET /api/sandbox/", sb.Handler())
	p.api = mux
	return p, nil
}

// serve runs one tunnel session on peer and returns when it has ended.
func (p *inPage) serve(ctx context.Context, peer tunnel.Peer) {
	p.tunnel.ServePeer(ctx, peer, pageAddr)
}

// fetch answers a GET of the page's JSON API (api/targets, api/settings,
// api/sandbox/…): path is the part from "api/" on, with its query.
func (p *inPage) fetch(path string) (status int, contentType string, body []byte) {
	if !strings.HasPrefix(path, "api/") {
		return http.StatusNotFound, "application/json", []byte(`{"error":"the in-page sandbox serves only api/ paths"}` + "\n")
	}
	r, err := http.NewRequest(http.MethodGet, "/"+path, nil)
	if err != nil {
		return http.StatusBadRequest, "application/json", []byte(`{"error":"this is not a path"}` + "\n")
	}
	rec := &recorder{header: http.Header{}}
	p.api.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.status, rec.header.Get("Content-Type"), rec.body
}

// recorder keeps one response of the API in memory.
type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	r.body = append(r.body, p...)
	return len(p), nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
