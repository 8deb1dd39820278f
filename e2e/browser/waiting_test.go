package browser

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// dotDelay is how long the silent server takes to answer a message's
// final dot: longer than the page's patience in the test (?wait=1).
const dotDelay = 3 * time.Second

// startSilentServer is an SMTP server on loopback that greets and answers
// EHLO, MAIL, RCPT and DATA at once, answers a message's final dot only
// after dotDelay, and hangs at NOOP: from then on it answers nothing.
func startSilentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSilent(c)
		}
	}()
	return ln.Addr().String()
}

func serveSilent(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(s string) { _, _ = c.Write([]byte(s)) }
	say("220 silent.test ESMTP\r\n")
	data, hung := false, false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if hung {
			continue
		}
		if data {
			if line == "." {
				data = false
				time.Sleep(dotDelay)
				say("250 2.0.0 queued, at last\r\n")
			}
			continue
		}
		switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
		case "EHLO":
			say("250-silent.test\r\n250 8BITMIME\r\n")
		case "NOOP":
			hung = true
		case "DATA":
			data = true
			say("354 go ahead\r\n")
		case "QUIT":
			say("221 bye\r\n")
			return
		default:
			say("250 ok\r\n")
		}
	}
}

// A line the server leaves unanswered is named after a while (?wait=1
// second here, 15 by default), with a count that goes up, announced once
// and without taking the focus; Reconnect starts a new session to the same
// server, and Close the session ends it. A reply that comes late takes the
// notice away.
func TestBrowserWaitingForReply(t *testing.T) {
	t.Parallel()
	addr := startSilentServer(t)
	_, hs := apptest.Start(t, "-allow-private", "-allow", addr+",insecure")
	b := openBrowser(t, hs.URL, "?wait=1")
	b.eval(`document.querySelector("#target").value = `+strconv.Quote(addr)+`; document.querySelector("#target").dispatchEvent(new Event("change"))`, nil)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 silent.test")
	b.typeLine("EHLO smtp.test")
	b.waitLine("server", "250 8BITMIME")

	// NOOP, never answered.
	b.typeLine("NOOP")
	b.wait(`!document.querySelector("#waiting").hidden`, "the notice")
	title := b.text(`document.querySelector("#waiting-title").textContent`)
	if !strings.Contains(title, "The server has not answered NOOP for ") {
		t.Errorf("the notice says %q", title)
	}
	if got := b.text(`document.querySelector("#waiting-title code").textContent`); got != "NOOP" {
		t.Errorf("the line named is %q", got)
	}
	if focus := b.text(`document.activeElement.id`); focus != "line" {
		t.Errorf("the notice took the focus: %q", focus)
	}
	first := b.text(`document.querySelector("#waiting-count").textContent`)
	announced := b.text(`document.querySelector("#waiting-status").textContent`)
	if !strings.Contains(announced, "NOOP") || !strings.Contains(announced, "close the session") {
		t.Errorf("the announcement is %q", announced)
	}
	b.wait(`Number(document.querySelector("#waiting-count").textContent) > `+first, "the count to go up")
	if again := b.text(`document.querySelector("#waiting-status").textContent`); again != announced {
		t.Errorf("announced again: %q, then %q", announced, again)
	}
	b.shot("waiting", look{width: 1280}, look{width: 375, dark: true})
	// In Polish, then back.
	lang := func(code string) {
		b.eval(`document.querySelector("#lang").value = "`+code+`"; document.querySelector("#lang").dispatchEvent(new Event("change"))`, nil)
	}
	lang("pl")
	b.wait(`/^Serwer od \d+ s nie odpowiada na NOOP\.$/.test(document.querySelector("#waiting-title").textContent)`, "the notice in Polish")
	b.wait(`Number(document.querySelector("#waiting-count").textContent) > 2`, "the count to go on in Polish")
	b.shot("waiting-pl", look{width: 375})
	lang("en")
	b.wait(`document.querySelector("#waiting-title").textContent.startsWith("The server has not answered NOOP")`, "the notice in English again")

	// Reconnect: a new session to the same server, the notice gone; the
	// session it replaces stays above it (sessions.js).
	b.do(chromedp.Click(chromedp.ID("waiting-reconnect")))
	b.wait(`document.querySelector("#waiting").hidden`, "the notice to go on Reconnect")
	newLines := `[...document.querySelectorAll('#transcript .session-head[data-session="2"] ~ li.line')].map((l) => l.textContent).join("\n")`
	b.wait(newLines+`.includes("220 silent.test")`, "the new session's greeting")
	if tr := b.text(newLines); strings.Contains(tr, "NOOP") {
		t.Fatalf("not a new session:\n%s", tr)
	}
	b.typeLine("NOOP")
	b.wait(`!document.querySelector("#waiting").hidden`, "the notice, again")

	// Close the session, from the keyboard, ends it.
	b.typeInto("waiting-close", "\n")
	b.wait(`document.querySelector("#status").dataset.status === "closed"`, "the session to end")
	if !b.holds(`document.querySelector("#waiting").hidden`) {
		t.Error("the notice stays after the session ended")
	}
	if focus := b.text(`document.activeElement.id`); focus != "connect" {
		t.Errorf("the focus went to %q, not back to Connect", focus)
	}

	// A second run: a message's final dot, answered after 3 s.
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 silent.test")
	for _, l := range []string{"EHLO smtp.test", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.org>", "DATA"} {
		b.typeLine(l)
	}
	b.waitLine("server", "354 go ahead")
	b.typeLine("Subject: slow")
	b.typeLine("")
	b.typeLine("Hello.")
	start := time.Now()
	b.typeLine(".")
	b.wait(`!document.querySelector("#waiting").hidden`, "the notice for the final dot")
	appeared := time.Since(start)
	notice := b.text(`document.querySelector("#waiting").textContent`)
	if !strings.Contains(notice, "The server has not answered the final dot of your message for ") {
		t.Errorf("the notice says %s", notice)
	}
	b.waitLine("server", "250 2.0.0 queued, at last")
	b.wait(`document.querySelector("#waiting").hidden && document.querySelector("#waiting-status").textContent === ""`, "the notice to go when the reply came")
	t.Logf("notice after %v; the reply after %v", appeared.Round(10*time.Millisecond), time.Since(start).Round(10*time.Millisecond))
}

// holds evaluates a JavaScript condition once.
func (b *browser) holds(expr string) bool {
	b.t.Helper()
	var v bool
	b.eval(expr, &v)
	return v
}
