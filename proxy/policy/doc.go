// Package policy decides who may reach what through the smtplay proxy.
//
// The proxy tunnels one browser websocket to one SMTP server. Everything that
// keeps a public playground from becoming an open proxy lives here, one
// concern per file:
//
//   - target.go: a server-side target and the operator's -allow entries
//   - table.go: the list of reachable targets and matching a client's host:port
//   - guard.go: the dial guard that checks the resolved IP at connect time
//   - origin.go: which browser origins may open a tunnel
//   - limit.go: per-client and global limits on sessions
//   - clientip.go: the client's address, behind trusted reverse proxies
//
// Errors a student may see are written as sentences for a person; errors from
// the operator's configuration say what to change.
package policy
