package test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// repoRoot is the main module's root, relative to this package.
const repoRoot = "../.."

var chartDir = filepath.Join(repoRoot, "deploy", "helm", "picket")

// release is the release every test renders.
const (
	releaseName = "picket"
	namespace   = "security"
	fullname    = "picket" // the release name contains the chart name
)

// rendered is one chart rendering: the objects by kind, strictly decoded
// into the Kubernetes API types (an unknown or misspelt field fails).
type rendered struct {
	deployment     *appsv1.Deployment
	service        *corev1.Service
	secret         *corev1.Secret
	serviceAccount *corev1.ServiceAccount
	pvc            *corev1.PersistentVolumeClaim
	ingress        *networkingv1.Ingress
	pdb            *policyv1.PodDisruptionBudget
	hpa            *autoscalingv2.HorizontalPodAutoscaler
	serviceMonitor map[string]any // a CRD: no typed API here
	kinds          []string
	notes          string
}

// render renders the chart with the given values over its defaults, in
// Helm's strict mode (a reference to a missing value is an error).
func render(t *testing.T, vals map[string]any) (*rendered, error) {
	t.Helper()
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatalf("load chart: %v", err)
	}
	opts := chartutil.ReleaseOptions{Name: releaseName, Namespace: namespace, Revision: 1, IsInstall: true}
	// ToRenderValues also validates the values against values.schema.json.
	rv, err := chartutil.ToRenderValues(ch, vals, opts, chartutil.DefaultCapabilities)
	if err != nil {
		return nil, err
	}
	files, err := engine.Engine{Strict: true}.Render(ch, rv)
	if err != nil {
		return nil, err
	}
	return decodeAll(t, files), nil
}

// mustRender renders and fails the test on a render error.
func mustRender(t *testing.T, vals map[string]any) *rendered {
	t.Helper()
	r, err := render(t, vals)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return r
}

// decodeAll parses every YAML document of every rendered file.
func decodeAll(t *testing.T, files map[string]string) *rendered {
	t.Helper()
	r := &rendered{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		body := files[name]
		if strings.HasSuffix(name, "NOTES.txt") {
			r.notes = body
			continue
		}
		if !strings.HasSuffix(name, ".yaml") {
			continue
		}
		for _, doc := range strings.Split(body, "\n---") {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			var meta struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
				t.Fatalf("%s: not YAML: %v\n%s", name, err, doc)
			}
			r.kinds = append(r.kinds, meta.Kind)
			if err := r.decode(meta.Kind, []byte(doc)); err != nil {
				t.Fatalf("%s: %s: %v\n%s", name, meta.Kind, err, doc)
			}
		}
	}
	sort.Strings(r.kinds)
	return r
}

func (r *rendered) decode(kind string, doc []byte) error {
	var dst any
	switch kind {
	case "Deployment":
		r.deployment = &appsv1.Deployment{}
		dst = r.deployment
	case "Service":
		r.service = &corev1.Service{}
		dst = r.service
	case "Secret":
		r.secret = &corev1.Secret{}
		dst = r.secret
	case "ServiceAccount":
		r.serviceAccount = &corev1.ServiceAccount{}
		dst = r.serviceAccount
	case "PersistentVolumeClaim":
		r.pvc = &corev1.PersistentVolumeClaim{}
		dst = r.pvc
	case "Ingress":
		r.ingress = &networkingv1.Ingress{}
		dst = r.ingress
	case "PodDisruptionBudget":
		r.pdb = &policyv1.PodDisruptionBudget{}
		dst = r.pdb
	case "HorizontalPodAutoscaler":
		r.hpa = &autoscalingv2.HorizontalPodAutoscaler{}
		dst = r.hpa
	case "ServiceMonitor":
		dst = &r.serviceMonitor
	default:
		return fmt.Errorf("unexpected kind %q", kind)
	}
	return yaml.UnmarshalStrict(doc, dst)
}

// container is the Deployment's only container.
func (r *rendered) container(t *testing.T) corev1.Container {
	t.Helper()
	if r.deployment == nil {
		t.Fatal("no Deployment rendered")
	}
	cs := r.deployment.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("containers = %d, want 1", len(cs))
	}
	return cs[0]
}

// env returns the container's variable by name.
func env(t *testing.T, c corev1.Container, name string) corev1.EnvVar {
	t.Helper()
	for _, e := range c.Env {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("env %s not set", name)
	return corev1.EnvVar{}
}

// productionValues reads testdata/production-values.yaml.
func productionValues(t *testing.T) map[string]any {
	t.Helper()
	v, err := chartutil.ReadValuesFile(filepath.Join("testdata", "production-values.yaml"))
	if err != nil {
		t.Fatalf("read production values: %v", err)
	}
	return v
}

// checkPodHardening asserts what both renderings must have: probes,
// non-root, read-only root, no capabilities, the secrets from the Secret.
func checkPodHardening(t *testing.T, r *rendered) {
	t.Helper()
	c := r.container(t)
	pod := r.deployment.Spec.Template.Spec

	probes := map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe}
	wantPath := map[string]string{"liveness": "/healthz", "readiness": "/readyz", "startup": "/healthz"}
	for name, p := range probes {
		if p == nil || p.HTTPGet == nil {
			t.Errorf("%s probe: not an HTTP probe", name)
			continue
		}
		if p.HTTPGet.Path != wantPath[name] || p.HTTPGet.Port.String() != "http" {
			t.Errorf("%s probe = %s on %s, want %s on http", name, p.HTTPGet.Path, p.HTTPGet.Port.String(), wantPath[name])
		}
	}
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8080 {
		t.Errorf("ports = %+v, want http on 8080", c.Ports)
	}
	if got := env(t, c, "PICKET_LISTEN").Value; got != ":8080" {
		t.Errorf("PICKET_LISTEN = %q, want :8080 (the port the probes use)", got)
	}

	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("pod securityContext = %+v, want runAsNonRoot and a non-zero runAsUser", psc)
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod seccompProfile not RuntimeDefault")
	}
	sc := c.SecurityContext
	switch {
	case sc == nil:
		t.Fatal("container securityContext missing")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Error("allowPrivilegeEscalation is not false")
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Error("readOnlyRootFilesystem is not true")
	case sc.Capabilities == nil || !cmp.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) != 0:
		t.Errorf("capabilities = %+v, want drop ALL and nothing added", sc.Capabilities)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token; Picket never calls the Kubernetes API")
	}

	// With a read-only root, the writable mounts are exactly /tmp (an
	// emptyDir) and, for SQLite, /data.
	vols := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		vols[v.Name] = v
	}
	for _, m := range c.VolumeMounts {
		if m.MountPath != "/tmp" && m.MountPath != "/data" {
			t.Errorf("unexpected mount %s", m.MountPath)
		}
		if m.MountPath == "/tmp" && vols[m.Name].EmptyDir == nil {
			t.Errorf("/tmp is not an emptyDir")
		}
	}

	for variable, key := range map[string]string{"PICKET_PRIVATE_KEY": "private-key", "PICKET_WEBHOOK_SECRET": "webhook-secret"} {
		e := env(t, c, variable)
		if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("%s is not read from a Secret", variable)
			continue
		}
		if ref := e.ValueFrom.SecretKeyRef; ref.Name != fullname || ref.Key != key {
			t.Errorf("%s from secret %s key %s, want %s key %s", variable, ref.Name, ref.Key, fullname, key)
		}
	}

	req, lim := c.Resources.Requests, c.Resources.Limits
	if req.Cpu().IsZero() || req.Memory().IsZero() || lim.Memory().IsZero() {
		t.Errorf("resources = %+v, want CPU and memory requests and a memory limit", c.Resources)
	}

	// The grace period must outlast Picket's shutdown: the timeout, then
	// up to 5 s cancelling jobs (app/server/server.go).
	timeout, err := time.ParseDuration(env(t, c, "PICKET_SHUTDOWN_TIMEOUT").Value)
	if err != nil {
		t.Fatalf("PICKET_SHUTDOWN_TIMEOUT: %v", err)
	}
	grace := pod.TerminationGracePeriodSeconds
	if grace == nil || time.Duration(*grace)*time.Second <= timeout+5*time.Second {
		t.Errorf("terminationGracePeriodSeconds = %v, want above %v + 5s", grace, timeout)
	}
	if sel := r.deployment.Spec.Selector.MatchLabels; !subset(sel, r.deployment.Spec.Template.Labels) {
		t.Errorf("selector %v does not select the pod labels %v", sel, r.deployment.Spec.Template.Labels)
	}
	if r.service == nil || r.service.Spec.Ports[0].TargetPort.String() != "http" || !subset(r.service.Spec.Selector, r.deployment.Spec.Template.Labels) {
		t.Errorf("the Service does not route to the pods' http port")
	}
}

func subset(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func TestChartDefaults(t *testing.T) {
	t.Parallel()
	r := mustRender(t, nil)
	want := []string{"Deployment", "PersistentVolumeClaim", "Secret", "Service", "ServiceAccount"}
	if diff := cmp.Diff(want, r.kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	checkPodHardening(t, r)
	c := r.container(t)
	d := r.deployment
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
		t.Errorf("replicas = %v, want 1", d.Spec.Replicas)
	}
	if d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		t.Errorf("strategy = %s, want Recreate (one writer of the SQLite volume)", d.Spec.Strategy.Type)
	}
	if got := env(t, c, "PICKET_DATABASE_URL").Value; got != "sqlite:/data/picket.db" {
		t.Errorf("PICKET_DATABASE_URL = %q, want sqlite:/data/picket.db", got)
	}
	var dataClaim string
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Name == "data" && v.PersistentVolumeClaim != nil {
			dataClaim = v.PersistentVolumeClaim.ClaimName
		}
	}
	if r.pvc == nil || dataClaim != r.pvc.Name {
		t.Errorf("the data volume claims %q, want the chart's claim", dataClaim)
	}
	// No credentials given: the Secret has no keys, and the refs are
	// optional so that Picket starts and says what is missing.
	if len(r.secret.Data) != 0 {
		t.Errorf("secret keys = %v, want none without credentials", keys(r.secret.Data))
	}
	if ref := env(t, c, "PICKET_PRIVATE_KEY").ValueFrom.SecretKeyRef; ref.Optional == nil || !*ref.Optional {
		t.Error("PICKET_PRIVATE_KEY ref is not optional: the pod would not start before registration")
	}
	if !strings.Contains(r.notes, "not configured") {
		t.Errorf("NOTES do not say the app is not configured:\n%s", r.notes)
	}
	// The chart's default timeout is Picket's.
	if got, want := env(t, c, "PICKET_SHUTDOWN_TIMEOUT").Value, defaultShutdownTimeout(t).String(); got != want {
		t.Errorf("PICKET_SHUTDOWN_TIMEOUT = %s, want Picket's default %s", got, want)
	}
	// Every variable the chart sets is one Picket reads.
	known := configVariables(t)
	for _, e := range c.Env {
		if !known[e.Name] {
			t.Errorf("the chart sets %s, which app/server does not define", e.Name)
		}
	}
}

func TestChartProduction(t *testing.T) {
	t.Parallel()
	vals := productionValues(t)
	r := mustRender(t, vals)
	want := []string{"Deployment", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount", "ServiceMonitor"}
	if diff := cmp.Diff(want, r.kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	checkPodHardening(t, r)
	c := r.container(t)
	d := r.deployment
	if d.Spec.Replicas != nil {
		t.Errorf("replicas = %d with an HPA; the HPA owns the count", *d.Spec.Replicas)
	}
	if s := d.Spec.Strategy; s.Type != appsv1.RollingUpdateDeploymentStrategyType || s.RollingUpdate == nil || s.RollingUpdate.MaxUnavailable.IntValue() != 0 {
		t.Errorf("strategy = %+v, want RollingUpdate with maxUnavailable 0", s)
	}
	if want := "registry.example.com/security/picket@sha256:" + strings.Repeat("0", 64); c.Image != want {
		t.Errorf("image = %s, want %s", c.Image, want)
	}
	db := env(t, c, "PICKET_DATABASE_URL")
	if db.ValueFrom == nil || db.ValueFrom.SecretKeyRef == nil || db.ValueFrom.SecretKeyRef.Key != "database-url" {
		t.Fatalf("PICKET_DATABASE_URL = %+v, want it from the Secret's database-url", db)
	}
	wantURL := vals["database"].(map[string]any)["url"].(string)
	if got := string(r.secret.Data["database-url"]); got != wantURL {
		t.Errorf("secret database-url = %q, want %q", got, wantURL)
	}
	if diff := cmp.Diff([]string{"database-url", "private-key", "webhook-secret"}, keys(r.secret.Data)); diff != "" {
		t.Errorf("secret keys (-want +got):\n%s", diff)
	}
	if got := env(t, c, "PICKET_APP_ID").Value; got != "123456" {
		t.Errorf("PICKET_APP_ID = %q, want 123456", got)
	}
	if got := env(t, c, "PICKET_INSTALLATION_CONCURRENCY").Value; got != "2" {
		t.Errorf("extraEnv not passed: PICKET_INSTALLATION_CONCURRENCY = %q", got)
	}
	known := configVariables(t)
	for _, e := range c.Env {
		if !known[e.Name] {
			t.Errorf("the production example sets %s, which app/server does not define", e.Name)
		}
	}
	if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g == nil || *g != 75 {
		t.Errorf("terminationGracePeriodSeconds = %v, want 60 + 15", g)
	}
	if ps := c.Lifecycle; ps == nil || ps.PreStop == nil || ps.PreStop.Sleep == nil || ps.PreStop.Sleep.Seconds != 5 {
		t.Errorf("preStop = %+v, want sleep 5", c.Lifecycle)
	}
	if _, ok := d.Spec.Template.Annotations["checksum/secret"]; !ok {
		t.Error("no checksum/secret annotation: a changed key would not roll the pods")
	}

	hpa := r.hpa.Spec
	if hpa.ScaleTargetRef.Kind != "Deployment" || hpa.ScaleTargetRef.Name != d.Name {
		t.Errorf("HPA targets %s/%s, want Deployment/%s", hpa.ScaleTargetRef.Kind, hpa.ScaleTargetRef.Name, d.Name)
	}
	if hpa.MinReplicas == nil || *hpa.MinReplicas != 3 || hpa.MaxReplicas != 10 {
		t.Errorf("HPA replicas = %v..%d, want 3..10", hpa.MinReplicas, hpa.MaxReplicas)
	}
	if len(hpa.Metrics) != 1 || hpa.Metrics[0].Resource == nil || hpa.Metrics[0].Resource.Name != corev1.ResourceCPU ||
		hpa.Metrics[0].Resource.Target.AverageUtilization == nil || *hpa.Metrics[0].Resource.Target.AverageUtilization != 65 {
		t.Errorf("HPA metrics = %+v, want CPU at 65%%", hpa.Metrics)
	}

	pdb := r.pdb.Spec
	if pdb.MinAvailable == nil || pdb.MinAvailable.IntValue() != 2 || pdb.MaxUnavailable != nil {
		t.Errorf("PDB = min %v max %v, want minAvailable 2 only", pdb.MinAvailable, pdb.MaxUnavailable)
	}
	if pdb.Selector == nil || !subset(pdb.Selector.MatchLabels, d.Spec.Template.Labels) {
		t.Error("the PDB does not select the pods")
	}

	ing := r.ingress.Spec
	if ing.IngressClassName == nil || *ing.IngressClassName != "nginx" || len(ing.TLS) != 1 || ing.TLS[0].SecretName != "picket-tls" {
		t.Errorf("ingress class/TLS = %v %+v", ing.IngressClassName, ing.TLS)
	}
	if len(ing.Rules) != 1 || len(ing.Rules[0].HTTP.Paths) != 1 {
		t.Fatalf("ingress rules = %+v, want one host with one path", ing.Rules)
	}
	p := ing.Rules[0].HTTP.Paths[0]
	if p.Path != "/webhook" || p.PathType == nil || *p.PathType != networkingv1.PathTypeExact ||
		p.Backend.Service.Name != r.service.Name || p.Backend.Service.Port.Name != "http" {
		t.Errorf("ingress path = %+v, want exactly /webhook to the Service's http port", p)
	}
	if !strings.Contains(r.notes, "https://picket.example.com/webhook") {
		t.Errorf("NOTES lack the webhook URL:\n%s", r.notes)
	}

	eps, _ := r.serviceMonitor["spec"].(map[string]any)["endpoints"].([]any)
	if len(eps) != 1 {
		t.Fatalf("ServiceMonitor endpoints = %v", eps)
	}
	ep := eps[0].(map[string]any)
	if ep["port"] != "http" || ep["path"] != "/metrics" {
		t.Errorf("ServiceMonitor endpoint = %v, want /metrics on http", ep)
	}
}

// TestChartGuards renders settings that cannot work: each must fail with
// a message naming what to change, and the neighbouring valid settings
// must render.
func TestChartGuards(t *testing.T) {
	t.Parallel()
	pg := map[string]any{"driver": "postgres", "url": "postgres://u:p@db:5432/picket"}
	tests := []struct {
		name    string
		vals    map[string]any
		wantErr string // empty: must render
	}{
		{"two replicas on sqlite", map[string]any{"replicaCount": 2}, `need database.driver "postgres"`},
		{"autoscaling on sqlite", map[string]any{"autoscaling": map[string]any{"enabled": true}}, `need database.driver "postgres"`},
		{"three replicas on postgres", map[string]any{"replicaCount": 3, "database": pg}, ""},
		{"autoscaling on postgres", map[string]any{"autoscaling": map[string]any{"enabled": true}, "database": pg}, ""},
		{"postgres without a url", map[string]any{"database": map[string]any{"driver": "postgres"}}, "needs database.url"},
		{"postgres url from an existing secret", map[string]any{"database": map[string]any{"driver": "postgres"}, "existingSecret": "mine"}, ""},
		{"not a postgres url", map[string]any{"database": map[string]any{"driver": "postgres", "url": "mysql://db/picket"}}, "must start with postgres://"},
		{"unknown driver", map[string]any{"database": map[string]any{"driver": "mysql"}}, "value must be one of 'sqlite', 'postgres'"},
		{"misspelt key", map[string]any{"replicaCont": 3}, "replicaCont"},
		{"misspelt nested key", map[string]any{"database": map[string]any{"uri": "postgres://db/picket"}}, "uri"},
		{"wrong type", map[string]any{"config": map[string]any{"concurrency": "four"}}, "/config/concurrency"},
		{"tag-like digest", map[string]any{"image": map[string]any{"digest": "v1.2.3"}}, "/image/digest"},
		{"grace period too short", map[string]any{"terminationGracePeriodSeconds": 35}, "must exceed config.shutdownTimeoutSeconds + 5"},
		{"grace period long enough", map[string]any{"terminationGracePeriodSeconds": 36}, ""},
		{"autoscaling min above max", map[string]any{"database": pg, "autoscaling": map[string]any{"enabled": true, "minReplicas": 5, "maxReplicas": 2}}, "minReplicas must not exceed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := render(t, tc.vals)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("render: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("render succeeded, want an error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("render error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

// TestChartExistingSecret: with existingSecret the chart creates no
// Secret and every ref names the user's.
func TestChartExistingSecret(t *testing.T) {
	t.Parallel()
	r := mustRender(t, map[string]any{"existingSecret": "picket-creds", "database": map[string]any{"driver": "postgres"}, "replicaCount": 2})
	if r.secret != nil {
		t.Error("a Secret was rendered despite existingSecret")
	}
	c := r.container(t)
	for _, name := range []string{"PICKET_PRIVATE_KEY", "PICKET_WEBHOOK_SECRET", "PICKET_DATABASE_URL"} {
		if ref := env(t, c, name).ValueFrom.SecretKeyRef; ref.Name != "picket-creds" {
			t.Errorf("%s from secret %s, want picket-creds", name, ref.Name)
		}
	}
	if _, ok := r.deployment.Spec.Template.Annotations["checksum/secret"]; ok {
		t.Error("checksum/secret set for a Secret the chart does not render")
	}
	if r.pdb == nil || r.pdb.Spec.MaxUnavailable == nil || r.pdb.Spec.MaxUnavailable.IntValue() != 1 {
		t.Errorf("PDB = %+v, want the default maxUnavailable 1 with two replicas", r.pdb)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// configSource is app/server/config.go, where Picket's variables and
// defaults are defined.
func configSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "app", "server", "config.go"))
	if err != nil {
		t.Fatalf("read config.go: %v", err)
	}
	return string(b)
}

// configVariables are the PICKET_* names the server defines as string
// constants, in config.go and the wire_*.go files beside it.
func configVariables(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "app", "server", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	name := regexp.MustCompile(`"(PICKET_[A-Z0-9_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = true
		}
	}
	if !out["PICKET_DATABASE_URL"] {
		t.Fatalf("PICKET_DATABASE_URL not among the variables found in app/server (%v): is the pattern still right?", keys(out))
	}
	return out
}

// defaultShutdownTimeout is DefaultShutdownTimeout from config.go.
func defaultShutdownTimeout(t *testing.T) time.Duration {
	t.Helper()
	m := regexp.MustCompile(`DefaultShutdownTimeout\s*=\s*(\d+)\s*\*\s*time\.Second`).FindStringSubmatch(configSource(t))
	if m == nil {
		t.Fatal("DefaultShutdownTimeout = N * time.Second not found in config.go")
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatalf("DefaultShutdownTimeout: %v", err)
	}
	return time.Duration(n) * time.Second
}
