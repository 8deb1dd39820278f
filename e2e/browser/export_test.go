package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// Export as code runs as the dialog shows it. smtplay serves the sandbox on
// TCP (-sandbox-smtp); a session on the page logs in, sends a message and
// quits. For each format, the dialog's text, unedited, is run by its real
// tool (swaks, php, python3, go, and openssl s_client with the lines the
// text says to type): each run's message arrives in the page's own inbox
// (its list, and the mailbox API under the token the login carries), never
// in the listener's shared mailbox, which the dialog names with a link.
func TestBrowserExportRunsAsShown(t *testing.T) {
	t.Parallel()
	a, hs := apptest.Start(t)
	addr, shared := apptest.ServeSandboxSMTP(t, a)
	user, pass := a.Sandbox().Demo()
	b := newBrowser(t, hs.URL)

	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO export.test")
	b.wait(`document.querySelector("#caps").textContent.includes("STARTTLS")`, "the capabilities")
	b.typeLine("STARTTLS")
	b.wait(`!document.querySelector("#tls-card").hidden`, "the TLS card")
	b.typeLine("EHLO export.test")
	b.wait(`document.querySelector("#caps").textContent.includes("AUTH")`, "EHLO after TLS")
	b.login()
	for _, l := range []string{"MAIL FROM:<me@example.org>", "RCPT TO:<friend@example.org>", "DATA",
		`Subject: Exported "run" it's $5`, "", "Zażółć gęślą jaźń", "..a line that starts with a dot", "Bye.", ".", "QUIT"} {
		b.typeLine(l)
	}
	b.waitLine("server", "221 ")
	b.wait(`document.querySelectorAll("#inbox .subject").length === 1`, "the message in the inbox")

	b.do(chromedp.Click(chromedp.ID("export-code")))
	b.wait(`document.querySelector("#code-dialog").open && document.querySelector("#code-text").textContent !== ""`, "the export dialog")
	dialog := b.text(`document.querySelector("#code-dialog").textContent`)
	if !strings.Contains(dialog, "practice login, which is public") || !strings.Contains(dialog, "arrives in your inbox on this page") ||
		!strings.Contains(dialog, "everyone on this machine shares") || strings.Contains(dialog, "-sandbox-smtp") {
		t.Errorf("the dialog does not say where the mail goes:\n%s", dialog)
	}
	if href := b.text(`document.querySelector("#code-shared a").href`); !strings.HasSuffix(href, "#mailbox="+shared) {
		t.Errorf("the shared mailbox's link: %q", href)
	}
	b.shot("export-runs", look{width: 1280}, look{width: 375, dark: true})

	mine := regexp.MustCompile(regexp.QuoteMeta(user) + `\+([a-z0-9]+)`)
	host, port := addr[:strings.LastIndex(addr, ":")], addr[strings.LastIndex(addr, ":")+1:]
	for i, tc := range []struct{ format, tool string }{
		{"swaks", "swaks"}, {"php", "php"}, {"python", "python3"}, {"go", "go"}, {"openssl", "openssl"},
	} {
		tool := apptest.NeedTool(t, tc.tool)
		b.eval(fmt.Sprintf(`(() => { const s = document.querySelector("#code-format"); s.value = %q; s.dispatchEvent(new Event("change")); })()`, tc.format), nil)
		b.wait(fmt.Sprintf(`document.querySelector("#code-download").textContent.includes(%q)`, map[string]string{"swaks": ".sh", "php": ".php", "python": ".py", "go": ".go", "openssl": "openssl.txt"}[tc.format]), tc.format+" code")
		code := b.text(`document.querySelector("#code-text").textContent`)
		m := mine.FindStringSubmatch(b.text(`document.querySelector("#code-note").textContent`))
		login, secret := "", pass
		if m != nil {
			login = m[0]
		}
		if tc.format == "openssl" { // AUTH LOGIN's lines, in base64
			login, secret = apptest.B64(login), apptest.B64(pass)
		}
		if m == nil || !strings.Contains(code, login) || !strings.Contains(code, host) || !strings.Contains(code, port) || !strings.Contains(code, secret) || strings.Contains(code, "2525") {
			t.Fatalf("%s: the code does not name the listener %s and the practice login:\n%s", tc.format, addr, code)
		}
		out, err := runAsShown(t, tc.format, tool, code)
		if err != nil {
			t.Fatalf("%s: %v\n%s\n--- code:\n%s", tc.format, err, out, code)
		}
		want := i + 2
		b.wait(fmt.Sprintf(`document.querySelectorAll("#inbox .subject").length === %d`, want), fmt.Sprintf("%s's message in the page's inbox", tc.format))
		got := apptest.Mailbox(t, hs.URL, m[1])
		if len(got) != want || got[0].Subject != `Exported "run" it's $5` {
			t.Fatalf("%s: the mailbox of %s+%s holds %+v", tc.format, user, m[1], got)
		}
		// The content is the page's message (the oldest), byte for byte; it came over TCP.
		_, sent, _ := strings.Cut(apptest.Nth(t, hs.URL, m[1], 0), "\r\nSubject: ")
		raw := apptest.Raw(t, hs.URL, m[1], got[0].ID)
		if _, content, _ := strings.Cut(raw, "\r\nSubject: "); content != sent || strings.Contains(raw, "via the smtplay page") {
			t.Fatalf("%s: the message as stored: %q\nwant its content as the page sent it: %q", tc.format, raw, sent)
		}
	}
	if got := apptest.Mailbox(t, hs.URL, shared); len(got) != 0 {
		t.Errorf("the shared mailbox got %+v", got)
	}
}

// runAsShown runs an export's text as a person would: swaks's in a shell,
// the PHP and Python scripts from a file, the Go program as a module of its
// own, and for openssl the command line, with the lines after "Then type
// these lines" typed into it.
func runAsShown(t *testing.T, format, tool, code string) ([]byte, error) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var cmd *exec.Cmd
	switch format {
	case "swaks":
		cmd = exec.CommandContext(ctx, "sh", "-c", code)
	case "php", "python":
		cmd = exec.CommandContext(ctx, tool, write("session."+map[string]string{"php": "php", "python": "py"}[format], code))
	case "go":
		write("go.mod", "module smtplaysession\n\ngo 1.21\n")
		write("main.go", code)
		cmd = exec.CommandContext(ctx, tool, "run", ".")
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	case "openssl":
		command, lines := opensslSteps(t, code)
		cmd = exec.CommandContext(ctx, "sh", "-c", command)
		cmd.Stdin = strings.NewReader(lines)
	}
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// "include secrets" in Export as code is that dialog's own: ticked there,
// the transcript's Download still masks the AUTH line (no base64 of the
// login in the file); only the transcript's own switch puts it in.
func TestBrowserExportSecretsStayInTheirDialog(t *testing.T) {
	t.Parallel()
	a, hs := apptest.Start(t)
	user, pass := a.Sandbox().Demo()
	blob := apptest.B64("\x00" + user + "\x00" + pass)
	b := newBrowser(t, hs.URL)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO secrets.test")
	b.wait(`document.querySelector("#caps").textContent.includes("AUTH")`, "the capabilities")
	b.typeLine("AUTH PLAIN " + blob)
	b.waitLine("server", "235 ")
	for _, l := range []string{"MAIL FROM:<me@example.org>", "RCPT TO:<friend@example.org>", "DATA", "Subject: secrets", "", "hi", "."} {
		b.typeLine(l)
	}
	b.waitLine("server", "250 2.0.0")

	// Downloads are caught as the text of the Blob the page makes.
	b.eval(`(() => { window.downloads = []; const make = URL.createObjectURL; URL.createObjectURL = (o) => { o.text().then((t) => window.downloads.push(t)); return make.call(URL, o); }; })()`, nil)
	download := func() string {
		t.Helper()
		n := 0
		b.eval(`window.downloads.length`, &n)
		b.do(chromedp.Click(chromedp.ID("download")))
		b.wait(fmt.Sprintf(`window.downloads.length === %d`, n+1), "the transcript's download")
		var text string
		b.eval(`window.downloads.at(-1)`, &text)
		return text
	}

	b.do(chromedp.Click(chromedp.ID("export-code")))
	b.wait(`document.querySelector("#code-dialog").open`, "the export dialog")
	b.do(chromedp.Click(chromedp.ID("code-secrets")))
	b.wait(`document.querySelector("#code-secrets").checked`, "include secrets ticked in the export dialog")
	b.do(chromedp.Click(chromedp.ID("code-close")))
	b.wait(`!document.querySelector("#code-dialog").open`, "the export dialog closed")
	if b.text(`String(document.querySelector("#export-secrets").checked)`) != "false" {
		t.Fatal("the export dialog's switch ticked the transcript's")
	}
	if text := download(); strings.Contains(text, blob) || !strings.Contains(text, "AUTH PLAIN ********") {
		t.Fatalf("the transcript without its own tick:\n%s", text)
	}
	b.do(chromedp.Click(chromedp.ID("export-secrets")))
	if text := download(); !strings.Contains(text, "AUTH PLAIN "+blob) {
		t.Fatalf("the transcript with its own tick lacks the AUTH line:\n%s", text)
	}
}

// opensslSteps splits openssl's export into its one command line and the
// lines the person types into it, each after the server's reply.
func opensslSteps(t *testing.T, code string) (command, lines string) {
	t.Helper()
	head, lines, ok := strings.Cut(code, "# Then type these lines, each after the server's reply:\n")
	if !ok {
		t.Fatalf("openssl: no lines to type in\n%s", code)
	}
	var run []string
	for _, l := range strings.Split(head, "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			run = append(run, l)
		}
	}
	if len(run) != 1 {
		t.Fatalf("openssl: want one command line, got %q", run)
	}
	return run[0], lines
}
