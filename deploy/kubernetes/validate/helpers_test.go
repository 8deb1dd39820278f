package validate

import (
	"errors"
	"flag"
	"strconv"
	"testing"

	"github.com/smtplay/smtplay/proxy/server"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// decodeStrict decodes one YAML document into an API type as the API
// server's strict field validation does (kubectl apply --validate=strict):
// an unknown field (a typo, a wrong indentation level), a field in the
// wrong case, a duplicate field or a value of the wrong type fails.
// sigs.k8s.io/yaml's own UnmarshalStrict would not do: encoding/json
// matches field names case-insensitively, so "pathtype" would pass.
func decodeStrict(doc []byte, obj any) error {
	j, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	strict, err := sigsjson.UnmarshalStrict(j, obj, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

func labelSet(m map[string]string) labels.Set { return labels.Set(m) }

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// containerPort is the number of the container's port with that name, or 0.
func containerPort(c corev1.Container, name string) int32 {
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	return 0
}

func envValue(c corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// servicePort says whether an Ingress backend port names one of the
// Service's ports, by name or number.
func servicePort(s *corev1.Service, p networkingv1.ServiceBackendPort) bool {
	for _, sp := range s.Spec.Ports {
		if (p.Name != "" && p.Name == sp.Name) || (p.Number != 0 && p.Number == sp.Port) {
			return true
		}
	}
	return false
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
