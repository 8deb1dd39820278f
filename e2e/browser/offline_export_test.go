package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/smtplay/smtplay/e2e/apptest"
)

// Export as code from the in-page sandbox (the static site, no smtplay
// process): no program can reach the practice server in the page, so the
// dialog and a comment at the top of the code say the code goes to a
// smtplay sandbox listener at 127.0.0.1:2525, and how to start one; the
// code logs in with the plain practice login (the page's mailbox token
// names nothing there). Each format's text, unedited, is run by its real
// tool against `smtplay -sandbox-smtp 127.0.0.1:2525` started as the
// comment says, and each message is found in that listener's shared
// mailbox, with the session's subject and UTF-8 text. The listener and the
// tools run in a network namespace of their own, so the fixed port is free
// whatever else runs on this machine.
func TestBrowserOfflineExportRunsOnAListener(t *testing.T) {
	needBrowser(t)
	python := apptest.NeedTool(t, "python3")
	// Built, and the static site copied, before t.Parallel: no other test
	// of the package runs meanwhile, so none remakes the build under it.
	site := t.TempDir()
	if out, err := exec.Command("cp", "-R", staticBuild(t)+"/.", site).CombinedOutput(); err != nil {
		t.Fatalf("copying the static build: %v\n%s", err, out)
	}
	smtplay := buildSmtplay(t)
	t.Parallel()
	base := serveStatic(t, python, site, "127.0.0.1", "127.0.0.1")
	b := newBrowser(t, base)
	b.wait(`document.querySelector("#offline-note") !== null`, "the in-page sandbox")
	b.eval(`document.querySelector("#target").value = "sandbox-strict"; document.querySelector("#target").dispatchEvent(new Event("change"))`, nil)
	b.do(chromedp.Click(chromedp.ID("connect")))
	b.waitLine("server", "220 ")
	b.typeLine("EHLO offline.test")
	b.wait(`document.querySelector("#caps").textContent.includes("STARTTLS")`, "the capabilities")
	b.typeLine("STARTTLS")
	b.wait(`!document.querySelector("#tls-card").hidden`, "the TLS card")
	b.typeLine("EHLO offline.test")
	b.wait(`document.querySelector("#caps").textContent.includes("AUTH")`, "EHLO after TLS")
	b.login()
	for _, l := range []string{"MAIL FROM:<me@example.org>", "RCPT TO:<friend@example.org>", "DATA",
		"Subject: from the page", "", "Zażółć gęślą jaźń", "..a line that starts with a dot", ".", "QUIT"} {
		b.typeLine(l)
	}
	b.waitLine("server", "221 ")
	b.wait(`document.querySelectorAll("#inbox .subject").length === 1`, "the message in the page's inbox")

	b.do(chromedp.Click(chromedp.ID("export-code")))
	b.wait(`document.querySelector("#code-dialog").open && document.querySelector("#code-text").textContent !== ""`, "the export dialog")
	dialog := b.text(`document.querySelector("#code-dialog").textContent`)
	for _, want := range []string{"runs in your browser", "smtplay sandbox listener at 127.0.0.1:2525", "./bin/smtplay -sandbox-smtp 127.0.0.1:2525", "shared mailbox", "it holds nothing private"} {
		if !strings.Contains(dialog, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, dialog)
		}
	}
	b.shot("offline-export", look{width: 1280}, look{width: 375, dark: true})

	formats := []struct{ format, tool, ext string }{
		{"swaks", "swaks", ".sh"}, {"python", "python3", ".py"}, {"php", "php", ".php"}, {"go", "go", ".go"}, {"openssl", "openssl", "openssl.txt"},
	}
	var runs []string
	dir := t.TempDir()
	for i, tc := range formats {
		apptest.NeedTool(t, tc.tool)
		b.eval(fmt.Sprintf(`(() => { const s = document.querySelector("#code-format"); s.value = %q; s.dispatchEvent(new Event("change")); })()`, tc.format), nil)
		b.wait(fmt.Sprintf(`document.querySelector("#code-download").textContent.includes(%q)`, tc.ext), tc.format+" code")
		code := b.text(`document.querySelector("#code-text").textContent`)
		head := commentText(code)
		login := "student"
		if tc.format == "openssl" { // AUTH LOGIN's lines, in base64
			login = apptest.B64(login)
		}
		if !strings.Contains(head, "inside a web page, which programs cannot reach") || !strings.Contains(head, "./bin/smtplay -sandbox-smtp 127.0.0.1:2525") ||
			!strings.Contains(code, "127.0.0.1") || !strings.Contains(code, "2525") || !strings.Contains(code, login) || strings.Contains(code, "student+") {
			t.Fatalf("%s: the code does not start by saying where it goes, or does not go there with the plain practice login:\n%s", tc.format, code)
		}
		runs = append(runs, asShownInShell(t, dir, i, tc.format, code))
	}

	// The Polish page's code says the same in Polish.
	b.eval(`document.querySelector("#lang").value = "pl"; document.querySelector("#lang").dispatchEvent(new Event("change"))`, nil)
	b.wait(`document.querySelector("#code-text").textContent.includes("# Ta sesja odbyła się") && document.querySelector("#code-note").textContent.includes("w Twojej przeglądarce")`, "the code's comment and the note in Polish")

	got := onListener(t, dir, smtplay, runs)
	if len(got) != len(formats) {
		t.Fatalf("the listener's shared mailbox holds %d messages, want %d: %+v", len(got), len(formats), got)
	}
	for i, m := range got {
		if !strings.Contains(m, "\r\nSubject: from the page\r\n") || !strings.Contains(m, "\r\n\r\nZażółć gęślą jaźń\r\n..a line that starts with a dot\r\n") {
			t.Errorf("message %d as the listener stored it:\n%s", i, m)
		}
	}
}

// commentText is the words of the comment lines among the first ten of
// code ("# ", "// "), in one line.
func commentText(code string) string {
	var words []string
	for i, l := range strings.Split(code, "\n") {
		if c, ok := strings.CutPrefix(l, "# "); ok && i < 10 {
			words = append(words, strings.Fields(c)...)
		} else if c, ok := strings.CutPrefix(l, "// "); ok && i < 10 {
			words = append(words, strings.Fields(c)...)
		}
	}
	return strings.Join(words, " ")
}

// buildSmtplay builds smtplay from this tree into a temporary directory.
func buildSmtplay(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "smtplay")
	cmd := exec.Command("go", "build", "-o", bin, "./proxy")
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building smtplay: %v\n%s", err, out)
	}
	return bin
}

// asShownInShell writes an export to dir and returns the shell line that
// runs it as a person would (runAsShown's ways): swaks's text in a shell,
// the PHP and Python scripts from a file, the Go program as a module of
// its own, openssl's command line with the lines after "Then type these
// lines" typed into it. Its output goes to run-N.log.
func asShownInShell(t *testing.T, dir string, n int, format, code string) string {
	t.Helper()
	write := func(name, text string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	log := fmt.Sprintf("> run-%d.log 2>&1", n)
	switch format {
	case "swaks":
		return "sh " + write(fmt.Sprintf("code-%d.sh", n), code) + " " + log
	case "python":
		return "python3 " + write(fmt.Sprintf("code-%d.py", n), code) + " " + log
	case "php":
		return "php " + write(fmt.Sprintf("code-%d.php", n), code) + " " + log
	case "go":
		mod := fmt.Sprintf("code-%d", n)
		if err := os.Mkdir(filepath.Join(dir, mod), 0o755); err != nil {
			t.Fatal(err)
		}
		write(mod+"/go.mod", "module smtplaysession\n\ngo 1.21\n")
		write(mod+"/main.go", code)
		return "(cd " + mod + " && GOWORK=off GOFLAGS=-mod=mod go run .) " + log
	case "openssl":
		command, lines := opensslSteps(t, code)
		return command + " < " + write(fmt.Sprintf("lines-%d.txt", n), lines) + " " + log
	}
	t.Fatalf("no way to run %s", format)
	return ""
}

// listenerScript starts smtplay with the sandbox listener the exports
// name, waits for the line that gives its shared mailbox, runs each
// export in turn ($1…), and writes that mailbox's messages, raw, as JSON
// to mailbox.json.
const listenerScript = `set -u
if [ -n "${PRIVATE_NET:-}" ]; then ip link set lo up || exit 10; fi
"$SMTPLAY" -listen 127.0.0.1:0 -sandbox-smtp 127.0.0.1:2525 2> smtplay.log &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid' EXIT
i=0
until grep -q '#mailbox=' smtplay.log; do
	i=$((i+1)); if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then echo "smtplay did not start"; cat smtplay.log; exit 11; fi
	sleep 0.1
done
n=0
for run in "$@"; do
	sh -c "$run" || { echo "export $n failed: $run"; cat run-$n.log; exit 12; }
	n=$((n+1))
done
url=$(sed -n 's/.* appears at //p' smtplay.log)
python3 - "$url" > mailbox.json <<'EOF'
import json, sys, urllib.request
page, token = sys.argv[1].split("#mailbox=")
api = page.rstrip("/") + "/api/sandbox/" + token + "/messages"
with urllib.request.urlopen(api) as r:
    listed = json.load(r)["messages"]
raws = []
for m in reversed(listed):
    with urllib.request.urlopen(api + "/" + m["id"] + "/raw") as r:
        raws.append(r.read().decode("utf-8"))
json.dump(raws, sys.stdout)
EOF
`

// onListener runs the exports (shell lines in dir) against a real smtplay
// -sandbox-smtp 127.0.0.1:2525 and returns the raw messages of its shared
// mailbox, oldest first. smtplay and the tools run in a new user and
// network namespace (a loopback of their own); where the system allows
// none, on this machine's loopback, whose port 2525 must then be free.
func onListener(t *testing.T, dir, smtplay string, runs []string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := func(private bool) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", listenerScript, "listener"}, runs...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "SMTPLAY="+smtplay)
		if private {
			cmd.Env = append(cmd.Env, "PRIVATE_NET=1")
			cmd.SysProcAttr = &syscall.SysProcAttr{
				Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET,
				UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
				GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
			}
		}
		return cmd.CombinedOutput()
	}
	out, err := run(true)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Logf("no network namespace (%v): the listener runs on this machine's loopback", err)
		out, err = run(false)
	}
	if err != nil {
		t.Fatalf("running the exports against smtplay -sandbox-smtp 127.0.0.1:2525: %v\n%s", err, out)
	}
	var raws []string
	data, err := os.ReadFile(filepath.Join(dir, "mailbox.json"))
	if err == nil {
		err = json.Unmarshal(data, &raws)
	}
	if err != nil {
		t.Fatalf("the listener's mailbox: %v\n%s", err, out)
	}
	return raws
}
