package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
)

// certLifetime is how long the certificate is valid. A new one is made
// for every Sandbox, at its first STARTTLS: making it at start (an ECDSA
// key and a signature, 65-85 ms of WebAssembly under Node) held up the
// first greeting of the in-page sandbox, and most sessions never ask for
// TLS.
const certLifetime = 365 * 24 * time.Hour

// credentials are the sandbox's certificate and a pool that trusts it.
type credentials struct {
	cert  tls.Certificate
	roots *x509.CertPool
}

// lazyCredentials makes the credentials for names once, on the first call.
func lazyCredentials(names []string) func() (credentials, error) {
	return sync.OnceValues(func() (credentials, error) {
		cert, roots, err := newCertificate(names, time.Now())
		return credentials{cert, roots}, err
	})
}

// certNames are the DNS names of the certificate: every profile name (the
// proxy verifies with ServerName = the target's name) and the host name.
func certNames(hostname string) []string {
	var names []string
	for _, p := range profiles {
		names = append(names, p.name)
	}
	if !slices.Contains(names, hostname) {
		names = append(names, hostname)
	}
	return names
}

// newCertificate makes a self-signed ECDSA P-256 certificate for names and
// a pool that trusts it.
func newCertificate(names []string, now time.Time) (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:   "smtplay sandbox",
			Organization: []string{"smtplay practice server (self-signed)"},
		},
		DNSNames:              names,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

// validHostname accepts a DNS name of letters, digits, hyphens and dots, so
// that it is safe in replies and headers.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
	}
	return true
}
