// Package explain holds smtplay's teaching tables: SMTP commands, reply codes
// and what each of their digits means, RFC 3463 enhanced status codes with the
// additions of the IANA registry, EHLO capabilities, SASL mechanisms and
// message header fields.
//
// The tables are data. Every entry is short, written for a student, and names
// the RFC section it comes from. Where popular tutorials are loose (calling
// SUBJECT: or TO: "commands", or reading 4yz as "invalid command"), the entries
// teach what the RFC says.
//
// The package is pure Go with no dependencies, so it builds for js/wasm and is
// tested with plain go test.
package explain
