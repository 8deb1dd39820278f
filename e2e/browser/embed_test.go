package browser

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// An embed tells its host what a lesson checks and nothing the person
// typed, unless the host asked with #share=lines: then the lines, the
// addresses and the subject go too, and the embed shows the person a
// notice in their language. The host page is of another site (localhost)
// than the playground (127.0.0.1), as a course page is; it frames two
// embeds, one plain and one sharing, and both run the same session.
func TestBrowserEmbedShare(t *testing.T) {
	t.Parallel()
	hostPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><title>host</title><body></body>`)
	}))
	defer hostPage.Close()
	_, port, _ := net.SplitHostPort(hostPage.Listener.Addr().String())
	origin := "http://localhost:" + port
	_, hs := apptest.Start(t, "-allow-origin", origin)
	b := &browser{t: t, ctx: newTab(t), base: strings.TrimSuffix(hs.URL, "/") + "/"}
	b.watch()
	b.do(chromedp.EmulateViewport(1200, 1100), chromedp.Navigate(origin+"/"))
	t.Cleanup(b.check)

	// The host listens before it loads the frames, as docs/EMBED.md says.
	frames := map[string]string{"plain": "embed#target=sandbox&id=plain", "shared": "embed#target=sandbox&lang=pl&share=lines&id=shared"}
	b.eval(fmt.Sprintf(`window.got = {plain: [], shared: []};
		addEventListener("message", (e) => {
			const f = document.getElementById("f-" + (e.data && e.data.id));
			if (e.origin === new URL(%[1]q).origin && f && e.source === f.contentWindow && e.data.smtplay === 1) got[e.data.id].push(e.data);
		});
		for (const [id, src] of Object.entries(%[2]s)) {
			document.body.append(Object.assign(document.createElement("iframe"), {id: "f-" + id, src: %[1]q + src, style: "width: 1000px; height: 500px"}));
		}
		true`, b.base, mustJSON(t, frames)), nil)
	has := func(id, cond, what string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`got[%q].some((m) => %s)`, id, cond), chromedp.WithPollingInterval(25*time.Millisecond))); err != nil {
			t.Fatalf("%s: no event with %s (%v) in\n%s", id, what, err, b.text(fmt.Sprintf(`got[%q].map((m) => JSON.stringify(m)).join("\n")`, id)))
		}
	}
	has("plain", `m.type === "ready"`, "ready")
	has("shared", `m.type === "ready"`, "ready")

	// The notice, read in each frame's own document (another site: its own target).
	notice := map[string]string{}
	for _, id := range []string{"plain", "shared"} {
		notice[id] = b.inFrame(hs.URL+"/embed#", "id="+id, `(() => { const n = document.getElementById("embed-shared"); return n.hidden || !n.offsetWidth ? "" : n.textContent; })()`)
	}
	if want := "Strona, na której jest ten plac zabaw, widzi, co tu wpisujesz, razem z adresami i treścią wiadomości."; notice["shared"] != want {
		t.Errorf("the sharing frame's notice says %q, want %q", notice["shared"], want)
	}
	if notice["plain"] != "" {
		t.Errorf("the plain frame shows a notice: %q", notice["plain"])
	}

	tell := func(id string, command map[string]any) {
		t.Helper()
		command["smtplay"] = 1
		b.eval(fmt.Sprintf(`document.getElementById("f-%s").contentWindow.postMessage(%s, new URL(%q).origin), true`, id, mustJSON(t, command), b.base), nil)
	}
	typed := []string{"secret-pc", "hidden-sender@sandbox.smtplay", "hidden-rcpt@example.org", "Hidden subject", "held-secret@example.org", "hidden body"}
	for _, id := range []string{"plain", "shared"} {
		tell(id, map[string]any{"type": "connect"})
		has(id, `m.type === "reply" && m.code === 220 && m.to === "greeting"`, "the greeting")
		for _, s := range []struct{ line, verb string }{{"EHLO " + typed[0], "EHLO"}, {"MAIL FROM:<" + typed[1] + ">", "MAIL"}, {"RCPT TO:<" + typed[2] + ">", "RCPT"}} {
			tell(id, map[string]any{"type": "run-line", "line": s.line})
			has(id, fmt.Sprintf(`m.type === "reply" && m.code === 250 && m.to === %q`, s.verb), "250 to "+s.verb)
		}
		tell(id, map[string]any{"type": "run-line", "line": "DATA"})
		has(id, `m.type === "reply" && m.code === 354 && m.to === "DATA"`, "354 to DATA")
		for _, l := range []string{"From: <" + typed[1] + ">", "To: <" + typed[2] + ">", "Subject: " + typed[3], "", typed[5], "."} {
			tell(id, map[string]any{"type": "run-line", "line": l})
		}
		has(id, `m.type === "reply" && m.code === 250 && m.to === "end-of-data"`, "250 to the end of data")
		tell(id, map[string]any{"type": "run-line", "line": "RCPT TO:<" + typed[4] + ">"})
		has(id, `m.type === "held"`, "the held RCPT")
	}

	var events map[string]string
	b.eval(`({plain: JSON.stringify(got.plain), shared: JSON.stringify(got.shared)})`, &events)
	for _, s := range typed {
		if strings.Contains(events["plain"], s) {
			t.Errorf("without share=lines, %q left the embed:\n%s", s, events["plain"])
		}
	}
	for _, s := range typed[:5] {
		if !strings.Contains(events["shared"], s) {
			t.Errorf("with share=lines, %q is in no event:\n%s", s, events["shared"])
		}
	}
	// What a lesson checks goes either way. The frame's id names the
	// frame in every event; the delivered message's id is "message".
	for _, id := range []string{"plain", "shared"} {
		has(id, `m.type === "ready" && m.share === `+map[string]string{"plain": `""`, "shared": `"lines"`}[id], "share in ready")
		has(id, `m.type === "capabilities" && m.keywords.includes("PIPELINING")`, "the capabilities")
		has(id, `m.type === "state" && m.from === "mail" && m.to === "rcpt"`, "the rcpt phase")
		has(id, `m.type === "delivered" && /^\S+$/.test(m.message) && m.recipients === 1 && m.size > 0`, "the delivery")
		has(id, `m.type === "held" && m.verb === "RCPT" && m.mode === "command" && m.warnings.includes("rcpt-before-mail") && m.expect === "503"`, "the held RCPT's verb, warning and expected code")
	}
	has("shared", `m.type === "held" && m.line === "RCPT TO:<held-secret@example.org>" && m.messages.length > 0`, "the held line and its warnings")
	has("shared", `m.type === "delivered" && m.subject === "Hidden subject" && m.from === "hidden-sender@sandbox.smtplay" && m.to[0] === "hidden-rcpt@example.org"`, "the delivery's addresses and subject")
	has("shared", `m.type === "reply" && m.to === "EHLO" && m.lines.some((l) => l.includes("PIPELINING"))`, "the reply's lines")
	has("plain", `m.type === "reply" && m.to === "EHLO" && !("lines" in m)`, "replies without lines")
	b.shot("embed-share") // the frames are of another site: they keep their own colour scheme
}

// inFrame evaluates expr in the iframe of another site whose address starts
// with prefix and contains part, and returns its string value; the frame
// stays.
func (b *browser) inFrame(prefix, part, expr string) string {
	b.t.Helper()
	infos, err := chromedp.Targets(b.ctx)
	if err != nil {
		b.t.Fatalf("listing the targets: %v", err)
	}
	for _, info := range infos {
		if info.Type != "iframe" || !strings.HasPrefix(info.URL, prefix) || !strings.Contains(info.URL, part) {
			continue
		}
		// One action per attached context: a second one on the same
		// context never gets its answer from a frame of another site.
		ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID), chromedp.WithDetachOnCancel())
		defer cancel()
		ctx, cancelStep := context.WithTimeout(ctx, stepTimeout)
		defer cancelStep()
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			b.t.Fatalf("evaluating %s in %s: %v", expr, info.URL, err)
		}
		return text
	}
	b.t.Fatalf("no frame at %s…%s among %d targets", prefix, part, len(infos))
	return ""
}
