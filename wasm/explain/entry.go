package explain

// Entry is one row of a table: what a command, code, capability, mechanism or
// header means. It marshals to JSON as is.
type Entry struct {
	// Key is what was looked up, in its canonical spelling: "MAIL", "250",
	// "5.7.8", "SIZE", "PLAIN", "Subject".
	Key string `json:"key"`
	// Title is the short name, e.g. "Requested mail action okay, completed".
	Title string `json:"title"`
	// Text explains it for a student in one to three sentences.
	Text string `json:"text"`
	// RFC names the defining document and section, e.g. "RFC 5321 §4.1.1.2".
	RFC string `json:"rfc"`
}
