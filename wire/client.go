package wire

// Open asks the proxy to connect, either to a target by name or to a host and
// port that match an entry of the target list. Mailbox reattaches an earlier
// sandbox mailbox. Wire asks for the bytes of the proxy's server leg in
// Wire messages.
type Open struct {
	Type    string `json:"type"`
	Target  string `json:"target,omitempty"`
	Host    string `json:"host,omitempty"`
	Port    int    `json:"port,omitempty"`
	Mailbox string `json:"mailbox,omitempty"`
	Wire    bool   `json:"wire,omitempty"`
}

// Close ends the session politely: the proxy sends QUIT if it was not sent.
type Close struct {
	Type string `json:"type"`
}
