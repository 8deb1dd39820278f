// Package validate checks deploy/kubernetes/smtplay.yaml against the
// official Kubernetes API types, offline. It is its own Go module so that
// smtplay's module does not depend on k8s.io.
package validate

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smtplay/smtplay/proxy/server"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

const manifest = "../smtplay.yaml"

// manifests are the documents of smtplay.yaml, decoded.
type manifests struct {
	deploy  *appsv1.Deployment
	service *corev1.Service
	ingress *networkingv1.Ingress
}

// load decodes every document strictly (decodeStrict) into its API type.
func load(t *testing.T) manifests {
	t.Helper()
	raw, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m manifests
	for i, doc := range bytes.Split(raw, []byte("\n---\n")) {
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			t.Fatalf("document %d: %v", i+1, err)
		}
		var obj any
		switch tm.APIVersion + " " + tm.Kind {
		case "apps/v1 Deployment":
			m.deploy = &appsv1.Deployment{}
			obj = m.deploy
		case "v1 Service":
			m.service = &corev1.Service{}
			obj = m.service
		case "networking.k8s.io/v1 Ingress":
			m.ingress = &networkingv1.Ingress{}
			obj = m.ingress
		default:
			t.Fatalf("document %d: unexpected %q %q", i+1, tm.APIVersion, tm.Kind)
		}
		if err := decodeStrict(doc, obj); err != nil {
			t.Fatalf("document %d (%s): %v", i+1, tm.Kind, err)
		}
	}
	if m.deploy == nil || m.service == nil || m.ingress == nil {
		t.Fatal("smtplay.yaml needs a Deployment, a Service and an Ingress")
	}
	for _, meta := range []metav1.ObjectMeta{m.deploy.ObjectMeta, m.service.ObjectMeta, m.ingress.ObjectMeta} {
		for _, msg := range validation.IsDNS1123Subdomain(meta.Name) {
			t.Errorf("name %q: %s", meta.Name, msg)
		}
	}
	return m
}

func TestDeployment(t *testing.T) {
	d := load(t).deploy
	spec := d.Spec.Template.Spec
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("replicas %v: want at least 2", d.Spec.Replicas)
	}
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil || sel.Empty() || !sel.Matches(labelSet(d.Spec.Template.Labels)) {
		t.Errorf("selector %v does not select the pod template's labels %v (%v)", d.Spec.Selector, d.Spec.Template.Labels, err)
	}
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers: want smtplay alone", len(spec.Containers))
	}
	c := spec.Containers[0]
	if c.Image == "" {
		t.Error("no image")
	}
	env := map[string]string{}
	flags := flagNames(t)
	for _, e := range c.Env {
		env[e.Name] = e.Value
		if name, ok := strings.CutPrefix(e.Name, "SMTPLAY_"); ok && !flags[strings.ReplaceAll(strings.ToLower(name), "_", "-")] {
			t.Errorf("env %s is no flag's twin", e.Name)
		}
	}
	for _, name := range []string{"SMTPLAY_PUBLIC_URL", "SMTPLAY_TRUST_PROXY"} {
		if env[name] == "" {
			t.Errorf("%s is not set: behind the Ingress smtplay needs it", name)
		}
	}
	if port := containerPort(c, "http"); port == 0 || env["SMTPLAY_LISTEN"] != ":"+itoa(port) {
		t.Errorf("SMTPLAY_LISTEN=%q, port http %d: want :PORT on all interfaces", env["SMTPLAY_LISTEN"], port)
	}

	// Probes on /healthz through the named port.
	for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" || p.HTTPGet.Port != intstr.FromString("http") {
			t.Errorf("%s probe: want GET /healthz on port http", name)
		}
	}

	// Non-root, nothing to escalate to, nothing writable.
	pod, sc := spec.SecurityContext, c.SecurityContext
	if pod == nil || pod.RunAsNonRoot == nil || !*pod.RunAsNonRoot || pod.RunAsUser == nil || *pod.RunAsUser == 0 {
		t.Error("the pod must set runAsNonRoot and a non-zero runAsUser")
	}
	if pod == nil || pod.SeccompProfile == nil || pod.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Error("the pod must use the RuntimeDefault seccomp profile")
	}
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" || len(sc.Capabilities.Add) > 0 {
		t.Error("the container's securityContext must forbid privilege escalation, make the root read-only and drop ALL capabilities")
	}
	if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().Cmp(*c.Resources.Requests.Memory()) < 0 {
		t.Error("resources: want a memory request and a limit at least as large")
	}
	// smtplay sizes its GOMEMLIMIT and sandbox storage from the limit
	// (-memory-limit); an operator's GOMEMLIMIT would stand beside it.
	memoryFromLimit := false
	for _, e := range c.Env {
		switch {
		case e.Name == "GOMEMLIMIT":
			t.Error("env GOMEMLIMIT: let smtplay set it from SMTPLAY_MEMORY_LIMIT, with room for what the runtime does not count")
		case e.Name == "SMTPLAY_MEMORY_LIMIT":
			memoryFromLimit = e.ValueFrom != nil && e.ValueFrom.ResourceFieldRef != nil &&
				e.ValueFrom.ResourceFieldRef.Resource == "limits.memory" && e.ValueFrom.ResourceFieldRef.Divisor.IsZero()
		}
	}
	if !memoryFromLimit {
		t.Error("SMTPLAY_MEMORY_LIMIT: want it from the container's limits.memory, in bytes")
	}
	if limit := c.Resources.Limits.Memory().Value(); limit < server.MinMemoryLimit {
		t.Errorf("limits.memory %d is below smtplay's least -memory-limit %d", limit, server.MinMemoryLimit)
	}

	// The kubelet's grace covers the preStop pause and smtplay's own
	// shutdown wait, or sessions are killed without their 421.
	wait, err := time.ParseDuration(env["SMTPLAY_SHUTDOWN_WAIT"])
	if err != nil {
		t.Fatalf("SMTPLAY_SHUTDOWN_WAIT: %v (set it, so the grace period can be checked against it)", err)
	}
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		wait += time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	if g := spec.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= wait {
		t.Errorf("terminationGracePeriodSeconds is not more than preStop + SMTPLAY_SHUTDOWN_WAIT = %v", wait)
	}
}

func TestServiceAndIngress(t *testing.T) {
	m := load(t)
	s, ing := m.service, m.ingress
	if len(s.Spec.Selector) == 0 || !labelSet(s.Spec.Selector).AsSelector().Matches(labelSet(m.deploy.Spec.Template.Labels)) {
		t.Errorf("the Service's selector %v does not select the pods %v", s.Spec.Selector, m.deploy.Spec.Template.Labels)
	}
	c := m.deploy.Spec.Template.Spec.Containers[0]
	for _, p := range s.Spec.Ports {
		if p.TargetPort.Type == intstr.String && containerPort(c, p.TargetPort.StrVal) == 0 {
			t.Errorf("Service port %q targets %q, which the container does not name", p.Name, p.TargetPort.StrVal)
		}
	}
	a := ing.Annotations
	for k, want := range map[string]string{
		"nginx.ingress.kubernetes.io/proxy-read-timeout": "1200",
		"nginx.ingress.kubernetes.io/proxy-send-timeout": "1200",
		"nginx.ingress.kubernetes.io/affinity":           "cookie",
	} {
		if a[k] != want {
			t.Errorf("Ingress annotation %s = %q, want %q", k, a[k], want)
		}
	}
	if len(ing.Spec.TLS) == 0 {
		t.Error("the Ingress terminates no TLS: the page's origin must be https")
	}
	if len(ing.Spec.Rules) == 0 {
		t.Fatal("the Ingress has no rules")
	}
	for _, r := range ing.Spec.Rules {
		if r.HTTP == nil || len(r.HTTP.Paths) == 0 {
			t.Errorf("rule %q: no paths", r.Host)
			continue
		}
		for _, p := range r.HTTP.Paths {
			b := p.Backend.Service
			if p.PathType == nil || b == nil || b.Name != s.Name || !servicePort(s, b.Port) {
				t.Errorf("rule %q path %q: want a pathType and the backend Service %q on one of its ports", r.Host, p.Path, s.Name)
			}
		}
		if pub := envValue(c, "SMTPLAY_PUBLIC_URL"); pub != "https://"+r.Host {
			t.Errorf("SMTPLAY_PUBLIC_URL %q does not match the Ingress host %q", pub, r.Host)
		}
	}
}
