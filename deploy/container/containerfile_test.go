// Package container holds only a test: the image recipe cannot be built in
// CI (no container engine there), so this checks the parts of it that
// matter to a deployment.
package container

import (
	"encoding/json"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/smtplay/smtplay/proxy/server"
)

// instruction is one Containerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
}

func parse(t *testing.T, path string) []instruction {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []instruction
	var cur strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if more, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(more + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

// flagNames are smtplay's flags, as the command defines them, so an env
// entry that is no flag's twin (and would be ignored) fails.
func flagNames(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	new(server.Flags).FlagSet().VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	if !names["listen"] || !names["trust-proxy"] {
		t.Fatalf("smtplay's flags lack -listen or -trust-proxy: %v", names)
	}
	return names
}

func TestContainerfile(t *testing.T) {
	flags := flagNames(t)
	var from, copyDst, user, expose string
	var entry []string
	env := map[string]string{}
	for _, in := range parse(t, "Containerfile") {
		switch in.cmd {
		case "FROM":
			if from != "" {
				t.Errorf("a second FROM %q: the recipe copies a prebuilt binary, one stage is enough", in.args)
			}
			from = in.args
		case "COPY":
			f := strings.Fields(in.args)
			if len(f) == 2 && f[0] == "bin/smtplay" {
				copyDst = f[1]
			}
		case "USER":
			user = in.args
		case "EXPOSE":
			expose = in.args
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Errorf("ENV %q: use key=value", kv)
				}
				env[k] = v
			}
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(in.args), &entry); err != nil {
				t.Errorf("ENTRYPOINT %s: not the exec (JSON) form, so signals would go to a shell: %v", in.args, err)
			}
		}
	}

	// distroless/static has CA certificates and no libc: the binary must be
	// static, which `make image` ensures with CGO_ENABLED=0.
	if !strings.HasPrefix(from, "gcr.io/distroless/static") {
		t.Errorf("FROM %q: want a distroless/static base", from)
	}
	if copyDst == "" {
		t.Error("no COPY bin/smtplay <dest>: the image must carry the binary the Makefile builds")
	}
	if len(entry) == 0 || entry[0] != copyDst {
		t.Errorf("ENTRYPOINT %q does not start the copied binary %q", entry, copyDst)
	}
	for _, arg := range entry[min(1, len(entry)):] {
		name := strings.TrimLeft(arg, "-")
		name, _, _ = strings.Cut(name, "=")
		if strings.HasPrefix(arg, "-") && !flags[name] {
			t.Errorf("ENTRYPOINT flag %q is not one of smtplay's flags", arg)
		}
	}
	// A numeric, non-zero user: Kubernetes' runAsNonRoot refuses to start
	// an image whose user is a name it cannot check.
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER %q: want a numeric non-root user", user)
	}
	for k := range env {
		name, ok := strings.CutPrefix(k, "SMTPLAY_")
		if ok && !flags[strings.ReplaceAll(strings.ToLower(name), "_", "-")] {
			t.Errorf("ENV %s is no flag's twin", k)
		}
	}
	// Inside a container smtplay must listen beyond loopback, on the
	// exposed port.
	if l := env["SMTPLAY_LISTEN"]; l != ":"+expose {
		t.Errorf("SMTPLAY_LISTEN=%q, EXPOSE %q: want :PORT of the exposed port", l, expose)
	}
}
