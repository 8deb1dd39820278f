package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiPrefix is where Handler expects to be mounted.
const apiPrefix = "/api/sandbox/"

// Handler serves the mailbox API of PROTOCOL.md. Mount it unchanged:
//
//	mux.Handle("/api/sandbox/", sb.Handler())
//
// Routes (GET or HEAD):
//
//	/api/sandbox/{token}/messages              {"messages":[...]}, newest first
//	/api/sandbox/{token}/messages/{id}         the parsed message (messageView)
//	/api/sandbox/{token}/messages/{id}/raw     message/rfc822: trace headers, then DATA
//	/api/sandbox/{token}/messages/{id}/html    the HTML part, sanitized, as text/html (mailhtml.go)
//
// An unknown token or id, or any other path, is 404; other methods are 405.
// Errors are JSON: {"error": "..."}. Nothing is listed without a token.
func (s *Sandbox) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// route is one endpoint: its path after the token, with "{id}" for the
// message id.
type route struct {
	path   []string
	handle func(s *Sandbox, w http.ResponseWriter, token, id string)
}

var routes = []route{
	{[]string{"messages"}, (*Sandbox).serveList},
	{[]string{"messages", "{id}"}, (*Sandbox).serveMessage},
	{[]string{"messages", "{id}", "raw"}, (*Sandbox).serveRaw},
	{[]string{"messages", "{id}", "html"}, (*Sandbox).serveHTML},
}

func (s *Sandbox) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store") // mailboxes are private
	h.Set("X-Content-Type-Options", "nosniff")
	rest, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !ok {
		writeError(w, http.StatusNotFound, "no such API endpoint")
		return
	}
	token, after, _ := strings.Cut(rest, "/")
	segs := strings.Split(after, "/")
	for _, rt := range routes {
		id, ok := match(rt.path, segs)
		if !ok || token == "" {
			continue
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "only GET is allowed here")
			return
		}
		rt.handle(s, w, token, id)
		return
	}
	writeError(w, http.StatusNotFound, "no such API endpoint")
}

// match matches path segments against a route, returning the id segment.
func match(pattern, segs []string) (id string, ok bool) {
	if len(pattern) != len(segs) {
		return "", false
	}
	for i, p := range pattern {
		switch {
		case p == "{id}" && segs[i] != "":
			id = segs[i]
		case p != segs[i]:
			return "", false
		}
	}
	return id, true
}

// summaryView is one entry of the message list.
type summaryView struct {
	ID       string   `json:"id"`
	From     string   `json:"from"`
	To       []string `json:"to"`
	Subject  string   `json:"subject"`
	Size     int      `json:"size"`
	Received string   `json:"received"`
}

const errNoMailbox = "no such mailbox: it may have expired after an hour unused; open a new sandbox session"

func (s *Sandbox) serveList(w http.ResponseWriter, token, _ string) {
	msgs, ok := s.store.list(token)
	if !ok {
		writeError(w, http.StatusNotFound, errNoMailbox)
		return
	}
	out := struct {
		Messages []summaryView `json:"messages"`
	}{Messages: make([]summaryView, len(msgs))}
	for i, m := range msgs {
		out.Messages[i] = summaryView{
			ID: m.id, From: m.from, To: m.to, Subject: m.subject, Size: m.size,
			Received: m.received.UTC().Format(time.RFC3339),
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Sandbox) serveMessage(w http.ResponseWriter, token, id string) {
	if m := s.lookup(w, token, id); m != nil {
		writeJSON(w, http.StatusOK, viewMessage(m))
	}
}

func (s *Sandbox) serveRaw(w http.ResponseWriter, token, id string) {
	m := s.lookup(w, token, id)
	if m == nil {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "message/rfc822")
	h.Set("Content-Length", strconv.Itoa(len(m.raw)))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(m.raw)
}

// lookup finds a message or writes the 404 saying what is missing.
func (s *Sandbox) lookup(w http.ResponseWriter, token, id string) *storedMessage {
	m, boxOK := s.store.get(token, id)
	switch {
	case !boxOK:
		writeError(w, http.StatusNotFound, errNoMailbox)
	case m == nil:
		writeError(w, http.StatusNotFound, "no such message in this mailbox: the oldest are removed when it is full")
	}
	return m
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
