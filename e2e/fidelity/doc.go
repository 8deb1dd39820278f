// Package fidelity checks the page's engine (wasm/session) against real SMTP
// servers: Postfix and aiosmtpd run on loopback, a conversation goes through
// smtplay's tunnel as the page would carry it, and every line received is
// replayed into a fresh Session, which must explain each reply, know each
// capability, make no prediction the server contradicts and end where the
// server ended. Transcripts of servers that cannot run beside Postfix are
// kept in testdata and replayed the same way.
package fidelity
