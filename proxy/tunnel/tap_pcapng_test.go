package tunnel

import (
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/wasm/pcapng"
	"github.com/smtplay/smtplay/wire"
)

// needTshark returns tshark's path; it skips without it, except under
// CI=true, where e2e/deps.sh has installed it.
func needTshark(t *testing.T) string {
	path, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tshark is missing: run e2e/deps.sh")
		}
		t.Skip("tshark is not installed (e2e/deps.sh installs it)")
	}
	return path
}

// tshark runs tshark -r file with args and returns what it printed; a
// warning on stderr or a failed run fails the test.
func tshark(t *testing.T, bin, file string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-r", file, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // no personal preferences
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %q: %v\n%s", args, err, stderr.String())
	}
	if s := strings.TrimSpace(strings.ReplaceAll(stderr.String(), `Running as user "root" and group "root". This could be dangerous.`, "")); s != "" {
		t.Fatalf("tshark %q warned: %s", args, s)
	}
	return string(out)
}

// A STARTTLS session on the sandbox, as its wire messages carry it, makes a
// capture tshark reads cleanly: SMTP in the clear up to STARTTLS, TLS
// only after it, and, with the key log (in the file or beside it), the
// commands inside TLS.
func TestWireCaptureInTshark(t *testing.T) {
	bin := needTshark(t)
	_, url := startSandboxTunnel(t, Limits{})
	w := starttlsSession(t, url, "sandbox", "AHN0dWRlbnQAcHJhY3RpY2U=")
	var chunks []wire.Chunk
	for _, m := range w.wires {
		chunks = append(chunks, m.Chunks...)
	}
	_, _, keyLog := w.streams()
	dir := t.TempDir()
	if d := os.Getenv("SMTPLAY_KEEP_CAPTURE"); d != "" {
		dir = d
	}
	plain := filepath.Join(dir, "plain.pcapng")
	withSecrets := filepath.Join(dir, "secrets.pcapng")
	keys := filepath.Join(dir, "keys.txt")
	for name, data := range map[string][]byte{
		plain:       pcapng.Build(chunks, pcapng.Options{Closed: true}),
		withSecrets: pcapng.Build(chunks, pcapng.Options{Closed: true, KeyLog: []byte(keyLog)}),
		keys:        []byte(keyLog),
	} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// Every packet is well formed, with correct checksums.
	problems := tshark(t, bin, plain, "-Y", "_ws.expert.severity >= warning || _ws.malformed || tcp.checksum.status == 0 || ip.checksum.status == 0 || tcp.analysis.flags")
	if strings.TrimSpace(problems) != "" {
		t.Fatalf("tshark flags packets:\n%s", problems)
	}
	// Without keys: EHLO and STARTTLS readable, then only TLS.
	frames := payloadFrames(tshark(t, bin, plain, rowArgs...))
	var clear []string
	tlsFrom := 0
	for i, f := range frames {
		switch {
		case f.protocol == "SMTP" && tlsFrom == 0:
			if f.command != "" {
				clear = append(clear, f.command)
			}
		case strings.HasPrefix(f.protocol, "TLS") || f.protocol == "TCP" && f.reassembledIn != "":
			tlsFrom = cmp.Or(tlsFrom, i)
		default:
			t.Fatalf("frame %s is %s, after TLS began at %d", f.number, f.protocol, tlsFrom)
		}
	}
	if strings.Join(clear, " ") != "EHLO STAR" || tlsFrom == 0 || len(frames)-tlsFrom < 10 {
		t.Fatalf("without keys: commands %q in the clear, then %d of %d frames TLS", clear, len(frames)-tlsFrom, len(frames))
	}
	if out := tshark(t, bin, plain, "-x"); strings.Contains(out, "MAIL FROM") || strings.Contains(out, "student@") {
		t.Fatal("MAIL FROM readable without keys")
	}

	// With keys, from a file or from the capture itself: the rest too.
	for name, args := range map[string][]string{
		"key log file": {plain, "-o", "tls.keylog_file:" + keys},
		"DSB":          {withSecrets},
	} {
		var commands []string
		for _, f := range payloadFrames(tshark(t, bin, args[0], append(args[1:], rowArgs...)...)) {
			if f.command != "" {
				commands = append(commands, f.command)
			}
		}
		if got := strings.Join(commands, " "); got != "EHLO STAR EHLO AUTH MAIL QUIT" {
			t.Fatalf("with the %s: commands %q", name, got)
		}
	}
}

// rowArgs has tshark print one row per frame with TCP payload, in two passes
// so that a segment knows the frame it is reassembled in.
var rowArgs = []string{"-2", "-Y", "tcp.len > 0", "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "tcp.reassembled_in", "-e", "smtp.req.command"}

// frame is one row of rowArgs. tshark names SMTP commands by their first
// four letters (STARTTLS is "STAR").
type frame struct{ number, protocol, reassembledIn, command string }

func payloadFrames(rows string) []frame {
	var out []frame
	for _, row := range strings.Split(strings.TrimSpace(rows), "\n") {
		f := strings.Split(row, "\t")
		if len(f) == 4 {
			out = append(out, frame{f[0], f[1], f[2], f[3]})
		}
	}
	return out
}
