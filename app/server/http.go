package server

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// routes registers the endpoints on a new mux.
func (s *Server) routes(hook http.Handler) {
	mux := http.NewServeMux()
	mux.Handle("POST /webhook", hook)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.Handler())
	mux.HandleFunc("GET /{$}", s.home)
	s.mux = mux
}

func plain(w http.ResponseWriter, status int, format string, args ...any) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, format+"\n", args...)
}

// healthz answers while the process is up.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) { plain(w, http.StatusOK, "ok") }

// readyz answers 200 when webhooks can be taken: the app is configured,
// the queue started and the database answers a ping.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.Configured() {
		plain(w, http.StatusServiceUnavailable, "not ready: not configured (missing %v)", s.cfg.Missing())
		return
	}
	if !s.ready.Load() {
		plain(w, http.StatusServiceUnavailable, "not ready: queue not started or shutting down")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		s.log.Warn("readiness: database ping failed", "err", err)
		plain(w, http.StatusServiceUnavailable, "not ready: database unreachable")
		return
	}
	plain(w, http.StatusOK, "ready")
}

// unconfigured refuses webhooks while the app credentials are missing.
func (s *Server) unconfigured() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.metrics.Webhook(r.Header.Get("X-GitHub-Event"), "unconfigured")
		plain(w, http.StatusServiceUnavailable, "picket is not configured: missing %v; see the home page", s.cfg.Missing())
	})
}

// Permissions and Events are the app's registration, kept equal to
// app.yml by a test; the home page lists them for GitHub's New GitHub App
// form.
var (
	Permissions = map[string]string{"checks": "write", "pull_requests": "write", "contents": "read",
		"metadata": "read", "issues": "read"}
	Events = []string{"pull_request", "issue_comment", "check_run", "check_suite"}
)

// permissionList renders Permissions in a stable order.
func permissionList() []string {
	var out []string
	for _, k := range []string{"checks", "pull_requests", "contents", "metadata", "issues"} {
		out = append(out, k+": "+Permissions[k])
	}
	return out
}

var homeTmpl = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Picket</title></head>
<body>
<h1>Picket</h1>
<p>Security review of pull requests: only what a change introduces.</p>
{{if .Missing}}
<h2>Not configured</h2>
<p>Picket is running, but it cannot take webhooks until the GitHub App's credentials are set. Missing:</p>
<ul>{{range .Missing}}<li><code>{{.}}</code></li>{{end}}</ul>
<h2>Register the app</h2>
<ol>
<li>Either create the app from the manifest <code>app.yml</code> (GitHub's app-manifest flow), or open GitHub's
<em>Settings → Developer settings → GitHub Apps → New GitHub App</em> form and fill it in:
<ul>
<li>Webhook URL: <code>https://{{.Host}}/webhook</code> (content type <code>application/json</code>) and a random webhook secret</li>
<li>Repository permissions: {{range $i, $p := .Permissions}}{{if $i}}, {{end}}{{$p}}{{end}}</li>
<li>Subscribe to events: {{range $i, $e := .Events}}{{if $i}}, {{end}}{{$e}}{{end}}</li>
</ul></li>
<li>Generate a private key on the app's page and note its App ID.</li>
<li>Restart Picket with <code>PICKET_APP_ID</code>, <code>PICKET_PRIVATE_KEY_FILE</code> (or <code>PICKET_PRIVATE_KEY</code>)
and <code>PICKET_WEBHOOK_SECRET</code> set (see <code>docs/configuration.md</code>), then install the app on your repositories.</li>
</ol>
{{else}}
<p>Configured as GitHub App {{.AppID}}; webhooks are taken at <code>https://{{.Host}}/webhook</code>.</p>
{{end}}
<p><a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
</body></html>
`))

// home says what is configured or missing and how to register the app.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	host := r.Host
	if host == "" {
		host = "your-host"
	}
	err := homeTmpl.Execute(w, map[string]any{
		"Missing": s.cfg.Missing(), "Host": host, "AppID": s.cfg.AppID,
		"Permissions": permissionList(), "Events": Events,
	})
	if err != nil {
		s.log.Warn("home page", "err", err)
	}
}
