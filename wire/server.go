package wire

// Opened says the proxy is connected. Remote is the address dialled, or
// "sandbox" for the in-process sandbox; Mailbox and Profile are set on
// sandbox targets. Wire is true when the client asked for Wire messages and
// will get them (an older proxy never sets it).
type Opened struct {
	Type    string   `json:"type"`
	Host    string   `json:"host"`
	Port    int      `json:"port"`
	Remote  string   `json:"remote"`
	TLS     string   `json:"tls"`
	Mailbox string   `json:"mailbox,omitempty"`
	Profile *Profile `json:"profile,omitempty"`
	Wire    bool     `json:"wire,omitempty"`
}

// Profile says what a sandbox target refuses among the things SMTP servers
// differ on (angle brackets around addresses, a domain after EHLO, TLS or
// AUTH first), so the page can predict its replies exactly. Whatever it
// does not list, the sandbox accepts.
type Profile struct {
	Name    string    `json:"name"`
	Refuses []Refusal `json:"refuses"`
}

// Refusal is one rule of a Profile: its stable id (docs/PROTOCOL.md lists
// them) and the reply it is refused with.
type Refusal struct {
	Rule     string `json:"rule"`
	Code     int    `json:"code"`
	Enhanced string `json:"enhanced,omitempty"`
}

// TLS says TLS is now up on the proxy's leg to the server.
type TLS struct {
	Type        string `json:"type"`
	Version     string `json:"version"`
	Cipher      string `json:"cipher"`
	ServerName  string `json:"server_name"`
	Verified    bool   `json:"verified"`
	VerifyError string `json:"verify_error,omitempty"`
	Chain       []Cert `json:"chain"`
	Discarded   int    `json:"discarded"`
}

// Cert describes one certificate of the server's chain, leaf first.
type Cert struct {
	Subject   string   `json:"subject"`
	Issuer    string   `json:"issuer"`
	NotBefore string   `json:"not_before"`
	NotAfter  string   `json:"not_after"`
	DNSNames  []string `json:"dns_names"`
}

// Delivered says the sandbox accepted a message into this session's mailbox.
type Delivered struct {
	Type    string   `json:"type"`
	ID      string   `json:"id"`
	From    string   `json:"from"`
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Size    int      `json:"size"`
}

// Error says something went wrong; Message is written for a person, in
// English. Detail and Args, when set, name the sentence of Details Message
// was rendered from and its values, for a page to say in its own language.
type Error struct {
	Type    string            `json:"type"`
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Detail  string            `json:"detail,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
}

// Closed says the session is over; the websocket closes next. Reason is in
// English; Detail and Args, as in Error, name the sentence it was rendered
// from.
type Closed struct {
	Type   string            `json:"type"`
	By     string            `json:"by"`
	Reason string            `json:"reason"`
	Detail string            `json:"detail,omitempty"`
	Args   map[string]string `json:"args,omitempty"`
}
