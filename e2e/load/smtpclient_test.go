package load

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"
)

// smtpConn is a plain SMTP client over TCP from a chosen local address, as
// swaks would be; it returns replies rather than failing, since a flood
// expects refusals.
type smtpConn struct {
	conn net.Conn
	r    *bufio.Reader
}

// dialSMTP connects from local to addr and says EHLO.
func dialSMTP(local, addr string) (*smtpConn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &smtpConn{conn: conn, r: bufio.NewReader(conn)}
	if _, err := c.reply(); err != nil {
		conn.Close()
		return nil, err
	}
	if got, err := c.cmd("EHLO load.test"); err != nil || !strings.HasPrefix(got, "250 ") {
		conn.Close()
		return nil, fmt.Errorf("EHLO: %q, %v", got, err)
	}
	return c, nil
}

// reply reads one reply and returns its last line.
func (c *smtpConn) reply() (string, error) {
	c.conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if len(line) < 4 || line[3] != '-' {
			return strings.TrimRight(line, "\r\n"), nil
		}
	}
}

func (c *smtpConn) cmd(line string) (string, error) {
	if _, err := c.conn.Write([]byte(line + "\r\n")); err != nil {
		return "", err
	}
	return c.reply()
}

// send runs one mail transaction and returns the reply that ended it: the
// refusal of MAIL, or the reply to the final dot.
func (c *smtpConn) send(body string) (string, error) {
	if got, err := c.cmd("MAIL FROM:<load@example.org>"); err != nil || !strings.HasPrefix(got, "250 ") {
		if err == nil {
			_, err = c.cmd("RSET")
		}
		return got, err
	}
	for _, line := range []string{"RCPT TO:<inbox@example.org>", "DATA"} {
		if got, err := c.cmd(line); err != nil || got[0] > '3' {
			return got, err
		}
	}
	if _, err := c.conn.Write([]byte(body + ".\r\n")); err != nil {
		return "", err
	}
	return c.reply()
}
