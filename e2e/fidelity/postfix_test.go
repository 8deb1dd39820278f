package fidelity

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/e2e/apptest"
	"github.com/smtplay/smtplay/proxy/tunnel/tunneltest"
)

// postfixMaster is master.cf for a private instance: smtpd on one loopback
// address, and only the daemons that receive and deliver locally; nothing
// chrooted, so the instance needs no copy of /etc.
const postfixMaster = `%s inet n - n - - smtpd
cleanup   unix n - n -    0 cleanup
qmgr      unix n - n 300  1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n -    - trivial-rewrite
bounce    unix - - n -    0 bounce
defer     unix - - n -    0 bounce
trace     unix - - n -    0 bounce
verify    unix - - n -    1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n -    - proxymap
error     unix - - n -    - error
retry     unix - - n -    - error
discard   unix - - n -    - discard
virtual   unix - n n -    - virtual
anvil     unix - - n -    1 anvil
scache    unix - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
`

// postfixMain is main.cf: everything under the test's directory D, the
// log in D/maillog, mail for alice@smtplay.test into the Maildir
// D/mail/alice/, every other destination refused (the error transport), so
// the instance can never relay; STARTTLS offered with a test certificate.
const postfixMain = `compatibility_level = 3.6
queue_directory = {D}/queue
data_directory = {D}/data
maillog_file = {D}/maillog
maillog_file_prefixes = {D}
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.smtplay.test
mydomain = smtplay.test
myorigin = smtplay.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost =
default_transport = error:this test instance never relays
relay_transport = error:this test instance never relays
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = smtplay.test
virtual_mailbox_base = {D}/mail
virtual_mailbox_maps = texthash:{D}/conf/vmailbox
virtual_uid_maps = static:{UID}
virtual_gid_maps = static:{GID}
smtpd_tls_security_level = may
smtpd_tls_cert_file = {D}/fullchain.pem
smtpd_tls_key_file = {D}/privkey.pem
`

// needPostfix finds the postfix command (in /usr/sbin, which a user's PATH
// may lack). A private instance is started as root, as CI runs the tests.
func needPostfix(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("postfix")
	if err != nil {
		if _, err := os.Stat("/usr/sbin/postfix"); err != nil {
			return apptest.NeedTool(t, "postfix")
		}
		path = "/usr/sbin/postfix"
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("a Postfix instance starts as root only")
		}
		t.Skip("a Postfix instance starts as root only")
	}
	return path
}

// freePort is a loopback port nobody listens on now. Postfix's master opens
// its own listener, so, unlike apptest.Listen's, this one is closed first.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startPostfix starts a private Postfix instance (postfix -c DIR start) on
// a loopback port, stopped when the test ends, and returns its address and
// alice's Maildir.
func startPostfix(t *testing.T) (addr, maildir string) {
	t.Helper()
	postfix := needPostfix(t)
	owner, err := user.Lookup("postfix")
	if err != nil {
		t.Fatalf("the postfix package makes the user postfix: %v", err)
	}
	uid, _ := strconv.Atoi(owner.Uid)
	gid, _ := strconv.Atoi(owner.Gid)
	dir := t.TempDir()
	// The daemons run as postfix: they must reach the queue and the mail.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "conf")
	for _, d := range []string{conf, filepath.Join(dir, "queue"), filepath.Join(dir, "mail")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(filepath.Join(dir, "mail"), uid, gid); err != nil {
		t.Fatal(err)
	}
	tunneltest.NewCA(t).WritePEM(t, dir, "mail.smtplay.test")
	addr = freePort(t)
	main := strings.NewReplacer("{D}", dir, "{UID}", owner.Uid, "{GID}", owner.Gid).Replace(postfixMain)
	for name, text := range map[string]string{
		"main.cf":   main,
		"master.cf": fmt.Sprintf(postfixMaster, addr),
		"vmailbox":  "alice@" + Domain + " alice/\n", // the slash: a Maildir
	} {
		if err := os.WriteFile(filepath.Join(conf, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	maillog := func() string { b, _ := os.ReadFile(filepath.Join(dir, "maillog")); return string(b) }
	if out, err := exec.Command(postfix, "-c", conf, "start").CombinedOutput(); err != nil {
		t.Fatalf("postfix start: %v\n%s\nmaillog:\n%s", err, out, maillog())
	}
	t.Cleanup(func() {
		stopPostfix(t, postfix, conf, filepath.Join(dir, "queue", "pid", "master.pid"))
		if t.Failed() {
			t.Logf("Postfix's maillog:\n%s", maillog())
		}
	})
	apptest.WaitUntil(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return addr, filepath.Join(dir, "mail", "alice")
}

// stopPostfix stops the instance and waits for its master to end, so the
// test's directory can go.
func stopPostfix(t *testing.T, postfix, conf, pidfile string) {
	b, _ := os.ReadFile(pidfile)
	pid := strings.TrimSpace(string(b))
	if out, err := exec.Command(postfix, "-c", conf, "stop").CombinedOutput(); err != nil {
		t.Errorf("postfix stop: %v\n%s", err, out)
	}
	if pid == "" {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			t.Errorf("Postfix's master (pid %s) still runs 10 s after postfix stop", pid)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// running reports whether the process pid runs: it exists and is not a
// zombie left for an init that does not reap.
func running(pid string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(after, "Z")
}

// TestPostfix types the seed's flow to a private Postfix through the
// tunnel, with STARTTLS, replays what it answered into the engine, and
// finds the message in alice's Maildir.
func TestPostfix(t *testing.T) {
	apptest.Short(t)
	t.Parallel()
	addr, maildir := startPostfix(t)
	ws, target := startSmtplay(t, addr, true)
	rec := record(t, ws, target, script())
	replay(t, rec)

	var got []byte
	apptest.WaitUntil(t, func() bool {
		files, _ := filepath.Glob(filepath.Join(maildir, "new", "*"))
		if len(files) == 0 {
			return false
		}
		got, _ = os.ReadFile(files[0])
		return true
	})
	// Maildir stores lines ending in LF; Postfix adds trace headers above.
	checkDelivered(t, got, "\n")
}
