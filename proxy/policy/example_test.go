package policy_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/netip"
	"time"

	"github.com/smtplay/smtplay/proxy/policy"
)

// An operator's -allow entries and the built-in sandbox make the table; a
// client's host:port is accepted only when it matches an entry.
func ExampleTable() {
	gmail, err := policy.ParseAllow("smtp.gmail.com:587", false)
	if err != nil {
		panic(err)
	}
	_, err = policy.ParseAllow("smtp.gmail.com:25", false)
	fmt.Println(err != nil)

	table, err := policy.NewTable(gmail, policy.Target{Name: "sandbox", Host: "sandbox.smtplay.test", Port: 587, Sandbox: "lenient"})
	if err != nil {
		panic(err)
	}
	for _, t := range table.List() {
		fmt.Println(t.Name, t.TLS)
	}
	_, ok := table.Match("SMTP.Gmail.com.", 587)
	fmt.Println(ok)
	_, err = table.Lookup("", "10.0.0.1", 22)
	fmt.Println(err)
	// Output:
	// true
	// sandbox none
	// smtp.gmail.com:587 none
	// true
	// 10.0.0.1:22 is not on this playground's list of servers, so the proxy will not connect to it. The operator can allow a server with -allow
}

// The guard checks each address the dialer is about to connect to, after
// DNS, so a name that resolves to an internal address is refused.
func ExampleGuard() {
	var g policy.Guard
	fmt.Println(g.Check(netip.MustParseAddr("169.254.169.254")))
	fmt.Println(g.Check(netip.MustParseAddr("64:ff9b::7f00:1")))
	fmt.Println(g.Check(netip.MustParseAddr("8.8.8.8")))

	dialer := g.Dialer(10*time.Second, nil)
	_, err := dialer.DialContext(context.Background(), "tcp", "127.0.0.1:587")
	fmt.Println(err)
	// Output:
	// 169.254.169.254 is a link-local address (cloud metadata)
	// 64:ff9b::7f00:1 is a NAT64 address for 127.0.0.1, which is a loopback address (this machine)
	// <nil>
	// dial tcp 127.0.0.1:587: 127.0.0.1 is a loopback address (this machine)
}

func ExampleOrigins_Allow() {
	origins, err := policy.NewOrigins("https://play.example.org", []string{"https://*.example.edu"})
	if err != nil {
		panic(err)
	}
	for _, origin := range []string{"https://play.example.org:443", "https://cs101.example.edu", "http://cs101.example.edu", "null"} {
		r := httptest.NewRequest("GET", "/tunnel", nil)
		r.Header.Set("Origin", origin)
		fmt.Println(origin, origins.Allow(r))
	}
	// Output:
	// https://play.example.org:443 true
	// https://cs101.example.edu true
	// http://cs101.example.edu false
	// null false
}

func ExampleLimiter_Acquire() {
	limiter := policy.NewLimiter(policy.Limits{SessionsPerIP: 2})
	client := netip.MustParseAddr("2001:db8:1:2::10")
	release, _ := limiter.Acquire(client)
	defer release()
	release2, _ := limiter.Acquire(netip.MustParseAddr("2001:db8:1:2::99")) // same /64
	defer release2()
	_, err := limiter.Acquire(client)
	fmt.Println(err)
	// Output:
	// you already have as many sessions open here as allowed (2); close one first
}

func ExampleClientIP_From() {
	trusted, err := policy.ParseTrusted([]string{"10.0.0.1"})
	if err != nil {
		panic(err)
	}
	c := policy.ClientIP{Trusted: trusted}

	r := httptest.NewRequest("GET", "/tunnel", nil)
	r.RemoteAddr = "10.0.0.1:40000" // the reverse proxy
	r.Header.Set("X-Forwarded-For", "127.0.0.1, 198.51.100.23")
	fmt.Println(c.From(r))

	r.RemoteAddr = "203.0.113.9:40000" // not the proxy: the header is ignored
	fmt.Println(c.From(r))
	// Output:
	// 198.51.100.23
	// 203.0.113.9
}
