package apptest

import (
	"io"
	"net/http"
	"testing"
)

// Message is one entry of a sandbox mailbox's list.
type Message struct {
	ID, Subject string
	Size        int
}

// Mailbox lists the sandbox mailbox token on the server at base, newest
// first.
func Mailbox(t testing.TB, base, token string) []Message {
	t.Helper()
	var list struct{ Messages []Message }
	if code := GetJSON(t, base+"/api/sandbox/"+token+"/messages", &list); code != http.StatusOK {
		t.Fatalf("mailbox %s: HTTP %d", token, code)
	}
	return list.Messages
}

// Raw is a message of a sandbox mailbox as it was delivered.
func Raw(t testing.TB, base, token, id string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/sandbox/" + token + "/messages/" + id + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Nth is the nth oldest message of a mailbox, raw.
func Nth(t testing.TB, base, token string, n int) string {
	t.Helper()
	list := Mailbox(t, base, token)
	if n >= len(list) {
		t.Fatalf("mailbox %s has %d messages, want more than %d", token, len(list), n)
	}
	return Raw(t, base, token, list[len(list)-1-n].ID)
}

// BySubject is the raw message of a mailbox whose Subject is subject, and
// whether there is one.
func BySubject(t testing.TB, base, token, subject string) (string, bool) {
	t.Helper()
	for _, m := range Mailbox(t, base, token) {
		if m.Subject == subject {
			return Raw(t, base, token, m.ID), true
		}
	}
	return "", false
}
