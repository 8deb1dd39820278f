// Package metrics counts what smtplay does, in the Prometheus text format,
// with the official Go client. It is told about sessions (tunnel.Observer)
// and reads the sandbox's totals; it never sees session bytes.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/smtplay/smtplay/proxy/sandbox"
	"github.com/smtplay/smtplay/wire"
)

// Metrics holds smtplay's collectors. It implements tunnel.Observer.
type Metrics struct {
	reg       *prometheus.Registry
	open      *prometheus.GaugeVec
	sessions  *prometheus.CounterVec
	bytes     *prometheus.CounterVec
	tls       *prometheus.CounterVec
	refusals  *prometheus.CounterVec
	handshake prometheus.Histogram
	response  prometheus.Histogram
	duration  prometheus.Histogram
}

// New registers smtplay's metrics, the Go runtime's and the process's;
// stats reads the sandbox's totals at each scrape.
func New(stats func() sandbox.Stats) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		open: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "smtplay_sessions_open", Help: "Sessions connected to a server now, by target.",
		}, []string{"target"}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smtplay_sessions_total", Help: "Sessions that reached a server and ended, by target and outcome (who closed it, or the error code that ended it).",
		}, []string{"target", "outcome"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smtplay_session_bytes_total", Help: "SMTP bytes carried, by direction (up: to servers; down: to browsers).",
		}, []string{"direction"}),
		tls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smtplay_tls_handshakes_total", Help: "TLS handshakes on the proxy's leg, by target and result (ok or failed).",
		}, []string{"target", "result"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smtplay_refusals_total", Help: "Errors sent to browsers, by the contract's error code.",
		}, []string{"code"}),
		handshake: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "smtplay_tls_handshake_seconds", Help: "Time of TLS handshakes with servers.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10),
		}),
		response: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "smtplay_server_response_seconds", Help: "Time from a browser's frame reaching the server to the server's next line (round trip from the proxy).",
			Buckets: prometheus.ExponentialBuckets(0.0001, 3, 12),
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "smtplay_session_duration_seconds", Help: "How long sessions last.",
			Buckets: []float64{1, 10, 30, 60, 120, 300, 600, 900},
		}),
	}
	m.reg.MustRegister(m.open, m.sessions, m.bytes, m.tls, m.refusals, m.handshake, m.response, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "smtplay_sandbox_messages_total", Help: "Messages the sandbox accepted.",
		}, func() float64 { return float64(stats().Accepted) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "smtplay_sandbox_stored_bytes", Help: "Memory the sandbox's stored mail takes now, in bytes: messages with their envelopes and bookkeeping, as counted against the store's cap (sized from -memory-limit).",
		}, func() float64 { return float64(stats().StoredBytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "smtplay_sandbox_mailboxes", Help: "Sandbox mailboxes kept now.",
		}, func() float64 { return float64(stats().Mailboxes) }),
	)
	return m
}

// Handler serves the metrics. Mount it on -metrics-listen, never on the
// public listener.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// SessionOpened counts a session that reached target.
func (m *Metrics) SessionOpened(target string) { m.open.WithLabelValues(target).Inc() }

// SessionClosed counts a session that ended.
func (m *Metrics) SessionClosed(target, outcome string, up, down int64, lasted time.Duration) {
	m.open.WithLabelValues(target).Dec()
	m.sessions.WithLabelValues(target, outcome).Inc()
	m.bytes.WithLabelValues("up").Add(float64(up))
	m.bytes.WithLabelValues("down").Add(float64(down))
	m.duration.Observe(lasted.Seconds())
}

// Refused counts an error sent to a browser.
func (m *Metrics) Refused(code wire.Code) { m.refusals.WithLabelValues(string(code)).Inc() }

// TLS counts a handshake and times it.
func (m *Metrics) TLS(target string, took time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	m.tls.WithLabelValues(target, result).Inc()
	m.handshake.Observe(took.Seconds())
}

// ServerResponse times a server's answer.
func (m *Metrics) ServerResponse(took time.Duration) { m.response.Observe(took.Seconds()) }
