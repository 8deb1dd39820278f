package sandbox

import (
	"crypto/x509"
	"testing"
)

// The credentials are made once, on the first call, and every profile name
// verifies against their own pool.
func TestLazyCredentials(t *testing.T) {
	creds := lazyCredentials(certNames(DefaultHostname))
	first, err := creds()
	if err != nil {
		t.Fatal(err)
	}
	again, err := creds()
	if err != nil {
		t.Fatal(err)
	}
	if first.roots != again.roots || &first.cert.Certificate[0][0] != &again.cert.Certificate[0][0] {
		t.Fatal("a second call made another certificate")
	}
	leaf, err := x509.ParseCertificate(first.cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range certNames(DefaultHostname) {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: first.roots}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A sandbox that never saw STARTTLS hands out the pool its first STARTTLS
// is then verified against (starttls_test.go runs the handshakes).
func TestRootCAsBeforeAnyHandshake(t *testing.T) {
	sb, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Shutdown(t.Context()) })
	pool := sb.RootCAs()
	cert, err := sb.certificate(nil)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "sandbox", Roots: pool}); err != nil {
		t.Fatal(err)
	}
}
