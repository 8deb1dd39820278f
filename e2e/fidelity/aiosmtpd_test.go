package fidelity

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
)

// aiosmtpdServer is the server the test runs: aiosmtpd's SMTP class with
// STARTTLS, on the listening socket it inherits as fd 3, writing each
// message's DATA, as received, into a directory.
const aiosmtpdServer = `import asyncio, os, socket, ssl, sys
from aiosmtpd.smtp import SMTP

chain, key, outdir = sys.argv[1:4]

class Store:
    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(outdir, "%d.eml" % len(os.listdir(outdir)))
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"

async def main():
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(chain, key)
    sock = socket.socket(fileno=3)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Store(), hostname="mx.smtplay.test", tls_context=tls, enable_SMTPUTF8=True), sock=sock)
    await server.serve_forever()

asyncio.run(main())
`

// needAiosmtpd finds a Python that imports aiosmtpd: Debian's python3 has
// it from python3-aiosmtpd even when another python3 comes first on PATH.
func needAiosmtpd(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import aiosmtpd").Run() == nil {
			return path
		}
	}
	apptest.NeedTool(t, "aiosmtpd (python3-aiosmtpd)") // skips, or fails under CI
	return ""
}

// startAiosmtpd runs aiosmtpd on a loopback port until the test ends and
// returns its address and the directory messages land in.
func startAiosmtpd(t *testing.T) (addr, outdir string) {
	t.Helper()
	py := needAiosmtpd(t)
	dir := t.TempDir()
	outdir = filepath.Join(dir, "messages")
	if err := os.Mkdir(outdir, 0o755); err != nil {
		t.Fatal(err)
	}
	chain, key := tunneltest.NewCA(t).WritePEM(t, dir, "mx.smtplay.test")
	prog := filepath.Join(dir, "server.py")
	if err := os.WriteFile(prog, []byte(aiosmtpdServer), 0o600); err != nil {
		t.Fatal(err)
	}
	ln := apptest.Listen(t)
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(py, prog, chain, key, outdir)
	cmd.ExtraFiles = []*os.File{f}
	log := &apptest.LockedWriter{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("aiosmtpd's output:\n%s", log.String())
		}
	})
	return ln.Addr().String(), outdir
}

// TestAiosmtpd types the seed's flow to aiosmtpd through the tunnel,
// replays what it answered into the engine, and finds the message as typed.
func TestAiosmtpd(t *testing.T) {
	apptest.Short(t)
	t.Parallel()
	addr, outdir := startAiosmtpd(t)
	ws, target := startSmtplay(t, addr, true)
	rec := record(t, ws, target, script())
	// After STARTTLS aiosmtpd offers AUTH but does not require it: MAIL
	// without logging in is accepted, while the engine, taking every real
	// target for a submission server, predicts 530.
	replay(t, rec)

	var got []byte
	apptest.WaitUntil(t, func() bool {
		got, _ = os.ReadFile(filepath.Join(outdir, "0.eml"))
		return got != nil
	})
	// aiosmtpd keeps DATA as it came, CRLF and all, with nothing added.
	checkDelivered(t, got, "\r\n")
}
