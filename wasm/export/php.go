package export

import (
	"strconv"
	"strings"

	"github.com/smtplay/smtplay/wasm/session"
)

// phpFunctions are the two helpers every PHP export defines: the classic
// telnet tutorials' CheckResponse, reading multi-line replies, and a write that does not
// lose a partial write.
const phpFunctions = `// check_response reads one reply, every line of it (a "-" after the code
// means more lines follow), and stops the script unless its code is one of
// $expected, like the CheckResponse of the classic PHP SMTP tutorials.
function check_response($conn, array $expected): string
{
    $reply = '';
    do {
        $line = fgets($conn);
        if ($line === false) {
            throw new RuntimeException('no reply from the server (expected ' . implode(' or ', $expected) . ')');
        }
        echo 'S: ', $line;
        $reply .= $line;
    } while (substr($line, 3, 1) === '-');
    if (!in_array((int) substr($line, 0, 3), $expected, true)) {
        throw new RuntimeException('expected ' . implode(' or ', $expected) . ', got: ' . rtrim($line));
    }
    return $reply;
}

// send writes one line and its CRLF; $shown is what the script prints.
function send($conn, string $line, ?string $shown = null): void
{
    echo 'C: ', $shown ?? $line, "\n";
    $buf = $line . "\r\n";
    while ($buf !== '') {
        $n = fwrite($conn, $buf);
        if ($n === false || $n === 0) {
            throw new RuntimeException('cannot write to the server');
        }
        $buf = substr($buf, $n);
    }
}
`

// PHP returns a PHP script that repeats s over fsockopen, upgrading with
// stream_socket_enable_crypto on STARTTLS (and at once for implicit TLS, so
// that the TLS options can be set on the connection first), and checks the
// code of every reply. The message is written as it went on the wire,
// dot-stuffed.
func PHP(s Session) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	tls := s.tlsMode()
	var b script
	w := b.line
	w("<?php",
		"// Repeats an smtplay session: SMTP by hand over fsockopen, every reply checked.")
	// "?>" would end the PHP code even inside a comment.
	for _, l := range s.commentLines("// ") {
		w(strings.ReplaceAll(l, "?>", "? >"))
	}
	w("",
		"$host = "+phpQuote(s.Host)+";",
		"$port = "+strconv.Itoa(s.Port)+";",
		"$ehlo = "+phpQuote(s.ehlo())+";")
	if s.Auth != AuthNone {
		w("$username = " + phpQuote(s.Username) + ";")
		if s.Password != "" {
			w("$password = " + phpQuote(s.Password) + ";")
		} else {
			w("// The password was not revealed: the script reads it from the environment.",
				"$password = getenv('"+PasswordEnv+"');",
				"if ($password === false) {",
				"    throw new RuntimeException('set "+PasswordEnv+" to the password first');",
				"}")
		}
	}
	w("$from = " + phpQuote(s.From) + ";")
	to := make([]string, len(s.To))
	for i, t := range s.To {
		to[i] = phpQuote(t)
	}
	w("$to = ["+strings.Join(to, ", ")+"];",
		"// The message as it goes after DATA: lines starting with \".\" are doubled (dot-stuffing).",
		"$data = [")
	for _, l := range s.Data {
		w("    " + phpQuote(l) + ",")
	}
	w("];", "")
	b.WriteString(phpFunctions)
	host := "$host"
	if strings.Contains(s.Host, ":") {
		host = "'[' . $host . ']'"
	}
	w("",
		"$conn = fsockopen('tcp://' . "+host+", $port, $errno, $errstr, 30);",
		"if ($conn === false) {",
		"    throw new RuntimeException(\"cannot connect to $host:$port: $errstr ($errno)\");",
		"}",
		"stream_set_timeout($conn, 30);")
	if tls != TLSNone {
		if s.Sandbox {
			w("// The sandbox's certificate is self-signed, so it is not verified.",
				"// Never turn verification off for a real server.",
				"stream_context_set_option($conn, ['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]]);")
		} else {
			w("// The server's certificate must be valid for $host.",
				"stream_context_set_option($conn, ['ssl' => ['verify_peer' => true, 'verify_peer_name' => true, 'peer_name' => $host]]);")
		}
	}
	if tls == TLSImplicit {
		w("// Implicit TLS: the handshake comes first, before the greeting.",
			"if (!stream_socket_enable_crypto($conn, true, STREAM_CRYPTO_METHOD_TLS_CLIENT)) {",
			"    throw new RuntimeException('the TLS handshake failed');",
			"}")
	}
	w("check_response($conn, [220]);",
		"send($conn, 'EHLO ' . $ehlo);",
		"check_response($conn, [250]);")
	if tls == TLSStartTLS {
		w("send($conn, 'STARTTLS');",
			"check_response($conn, [220]);",
			"if (!stream_socket_enable_crypto($conn, true, STREAM_CRYPTO_METHOD_TLS_CLIENT)) {",
			"    throw new RuntimeException('the TLS handshake failed');",
			"}",
			"// After STARTTLS the server forgets the session: EHLO again.",
			"send($conn, 'EHLO ' . $ehlo);",
			"check_response($conn, [250]);")
	}
	switch s.Auth {
	case AuthPlain:
		w("send($conn, 'AUTH PLAIN ' . base64_encode(\"\\0\" . $username . \"\\0\" . $password), 'AUTH PLAIN "+session.Mask+"');",
			"check_response($conn, [235]);")
	case AuthLogin:
		w("send($conn, 'AUTH LOGIN');",
			"check_response($conn, [334]);",
			"send($conn, base64_encode($username));",
			"check_response($conn, [334]);",
			"send($conn, base64_encode($password), '"+session.Mask+"');",
			"check_response($conn, [235]);")
	}
	w("send($conn, 'MAIL FROM:<' . $from . '>');",
		"check_response($conn, [250]);",
		"foreach ($to as $rcpt) {",
		"    send($conn, 'RCPT TO:<' . $rcpt . '>');",
		"    check_response($conn, [250, 251]);",
		"}",
		"send($conn, 'DATA');",
		"check_response($conn, [354]);",
		"foreach ($data as $line) {",
		"    send($conn, $line);",
		"}",
		"send($conn, '.');",
		"check_response($conn, [250]);",
		"send($conn, 'QUIT');",
		"check_response($conn, [221]);",
		"fclose($conn);")
	return b.String(), nil
}
