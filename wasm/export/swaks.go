package export

import (
	"strconv"
	"strings"
)

// swaksTokens are what swaks replaces inside --data; content holding one of
// them cannot be repeated exactly.
var swaksTokens = []string{`\n`, "%NEWLINE%", "%FROM_ADDRESS%", "%TO_ADDRESS%", "%MESSAGEID%", "%SWAKS_VERSION%", "%DATE%"}

// Swaks returns a swaks command line that repeats s, for a POSIX shell. The
// message goes in --data as it was typed, ending with the "." line (swaks
// removes it, and dot-stuffs the rest itself).
func Swaks(s Session) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("# Repeats an smtplay session with swaks.\n")
	for _, l := range s.commentLines("# ") {
		b.WriteString(l + "\n")
	}
	msg := s.Message()
	tls := s.tlsMode()
	if tls != TLSNone {
		if s.Sandbox {
			b.WriteString("# The sandbox's certificate is self-signed, so it is not verified: swaks checks\n" +
				"# certificates only when asked to.\n")
		} else {
			b.WriteString("# --tls-verify: the server's certificate must be valid.\n")
		}
	}
	if s.Auth != AuthNone && s.Password == "" {
		b.WriteString("# The password is read from $" + PasswordEnv + ": set it first, for example\n" +
			"#   read -rs " + PasswordEnv + " && export " + PasswordEnv + "\n")
	}
	if s.From == "" {
		b.WriteString("# swaks cannot send the null sender MAIL FROM:<>; give a --from.\n")
	}
	if len(msg) > 0 && strings.HasPrefix(msg[0], ".") {
		b.WriteString("# swaks does not dot-stuff the first line: its leading \".\" is lost.\n")
	}
	for _, l := range msg {
		if hasSwaksToken(l) {
			b.WriteString("# The message holds text swaks replaces (" + strings.Join(swaksTokens, " ") + "),\n" +
				"# so what arrives differs from the session.\n")
			break
		}
	}

	b.WriteString("swaks --server " + shQuote(s.Host) + " --port " + strconv.Itoa(s.Port) + " --helo " + shQuote(s.ehlo()))
	switch tls {
	case TLSStartTLS:
		b.WriteString(" --tls")
	case TLSImplicit:
		b.WriteString(" --tls-on-connect")
	}
	if tls != TLSNone && !s.Sandbox {
		b.WriteString(" --tls-verify")
	}
	if s.Auth != AuthNone {
		pw := `"$` + PasswordEnv + `"`
		if s.Password != "" {
			pw = shQuote(s.Password)
		}
		b.WriteString(" \\\n  --auth " + s.Auth + " --auth-user " + shQuote(s.Username) + " --auth-password " + pw)
	}
	b.WriteString(" \\\n  --from " + shQuote(s.From) + " --to " + shQuote(strings.Join(s.To, ",")))
	if len(msg) > 0 && strings.HasPrefix(msg[0], "From ") {
		b.WriteString(" --no-strip-from")
	}
	data := strings.Join(append(msg, "."), "\n")
	if len(msg) == 0 {
		data = "\n." // a newline, or swaks takes the argument for a file name
	}
	b.WriteString(" \\\n  --data " + shQuote(data) + "\n")
	return b.String(), nil
}

func hasSwaksToken(l string) bool {
	for _, t := range swaksTokens {
		if strings.Contains(l, t) {
			return true
		}
	}
	return false
}
