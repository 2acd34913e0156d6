package githubtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Webhooks builds webhook payloads from the recorded examples in
// <spec dir>/webhooks and checks them against GitHub's own payload
// schemas in webhooks-openapi-subset.json.
type Webhooks struct {
	t   testing.TB
	dir string
	doc *openapi3.T
}

// LoadWebhooks loads the webhook contract from dir (SpecDir() if empty).
func LoadWebhooks(t testing.TB, dir string) *Webhooks {
	t.Helper()
	if dir == "" {
		d, err := SpecDir()
		if err != nil {
			t.Fatalf("githubtest: %v", err)
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("githubtest: load webhook contract: %v", err)
	}
	v, _ := webhookDocs.LoadOrStore(abs, &docOnce{})
	d := v.(*docOnce)
	d.once.Do(func() {
		d.doc, d.err = openapi3.NewLoader().LoadFromFile(filepath.Join(abs, "webhooks-openapi-subset.json"))
	})
	if d.err != nil {
		webhookDocs.CompareAndDelete(abs, d)
		t.Fatalf("githubtest: load webhook contract: %v", d.err)
	}
	return &Webhooks{t: t, dir: abs, doc: d.doc}
}

// webhookDocs caches the webhook contract per directory; like specs, it
// is read-only once loaded.
var webhookDocs sync.Map // absolute dir → *docOnce

type docOnce struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// WebhookPatch says what to write into an example payload. Zero fields leave
// the example's value alone.
type WebhookPatch struct {
	InstallationID   int64
	Repo             string // owner/name
	RepoID           int64
	PR               int
	HeadSHA, BaseSHA string
	HeadRef, BaseRef string
	HeadRepo         string // owner/name of a fork
	Sender           string // login of who caused the event
	CommentID        int64
	CommentBody      string
	CheckRunID       int64
	CheckRunName     string
	Identifier       string // requested_action.identifier
	ChangedFiles     int    // pull_request.changed_files; 0 keeps the example's
}

// Payload loads webhooks/<event>/<file>.json (file is the action, with
// an optional variant: "opened", "ready_for_review.with-installation";
// "event" for ping), applies p, brings the older captures up to the
// current schema, checks the result against the official schema and
// returns its bytes. A payload that does not validate fails the test.
func (w *Webhooks) Payload(event, file string, p WebhookPatch) []byte {
	w.t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.dir, "webhooks", event, file+".json"))
	if err != nil {
		w.t.Fatalf("githubtest: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		w.t.Fatalf("githubtest: parse %s/%s: %v", event, file, err)
	}
	modernize(m)
	applyPatch(m, event, p)
	out, err := json.Marshal(m)
	if err != nil {
		w.t.Fatalf("githubtest: encode %s/%s: %v", event, file, err)
	}
	if err := w.Validate(event, out); err != nil {
		w.t.Errorf("githubtest: payload %s/%s breaks GitHub's schema: %v", event, file, err)
	}
	return out
}

// Validate checks a payload of event against the official schema for its
// action.
func (w *Webhooks) Validate(event string, payload []byte) error {
	var v map[string]any
	if err := json.Unmarshal(payload, &v); err != nil {
		return fmt.Errorf("validate %s payload: %w", event, err)
	}
	name := "webhook-" + strings.ReplaceAll(event, "_", "-")
	if a, ok := v["action"].(string); ok && event != "ping" {
		name += "-" + strings.ReplaceAll(a, "_", "-")
	}
	ref, ok := w.doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		return fmt.Errorf("validate %s payload: no schema %s", event, name)
	}
	var anyV any = v
	if err := ref.Value.VisitJSON(anyV, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("validate %s payload against %s: %w", event, name, err)
	}
	return nil
}

var spaceDate = regexp.MustCompile(`^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$`)

// modernize patches the older captures to today's schema
// (shared/github/README.md, "Webhook payloads"): Unix-integer and
// space-separated dates of installations and apps become RFC 3339,
// apps gain permissions and events, installations app_slug,
// repositories has_discussions and disabled, check runs node_id and
// details_url.
func modernize(m map[string]any) {
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if key == "installation" || key == "app" {
				for _, k := range []string{"created_at", "updated_at"} {
					switch d := x[k].(type) {
					case float64:
						x[k] = time.Unix(int64(d), 0).UTC().Format(time.RFC3339)
					case string:
						if sm := spaceDate.FindStringSubmatch(d); sm != nil {
							x[k] = sm[1] + "T" + sm[2] + "Z"
						}
					}
				}
			}
			if key == "installation" {
				if _, ok := x["account"]; ok {
					if _, ok := x["app_slug"]; !ok {
						x["app_slug"] = "picket"
					}
				}
			}
			if key == "app" {
				if _, ok := x["permissions"]; !ok {
					x["permissions"] = map[string]any{}
				}
				if _, ok := x["events"]; !ok {
					x["events"] = []any{}
				}
			}
			if key == "repo" {
				if _, ok := x["has_discussions"]; !ok {
					x["has_discussions"] = false
				}
			}
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		}
	}
	walk("", m)
	// check_run/rerequested predates check_run.node_id and details_url
	// and repository.disabled.
	if c := obj(m, "check_run"); c != nil {
		if _, ok := c["node_id"]; !ok {
			c["node_id"] = nodeID("CR", 1)
		}
		if _, ok := c["details_url"]; !ok {
			c["details_url"] = "https://example.invalid/picket"
		}
	}
	if r := obj(m, "repository"); r != nil {
		if _, ok := r["disabled"]; !ok {
			r["disabled"] = false
		}
	}
}

func obj(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

func setRepo(r map[string]any, full string, id int64) {
	if r == nil || full == "" {
		return
	}
	owner, name, _ := strings.Cut(full, "/")
	r["name"], r["full_name"] = name, full
	if id != 0 {
		r["id"] = id
	}
	if o := obj(r, "owner"); o != nil {
		o["login"] = owner
	}
}

func setSHAs(pr map[string]any, p WebhookPatch) {
	if pr == nil {
		return
	}
	if p.PR != 0 {
		pr["number"] = p.PR
	}
	if p.ChangedFiles != 0 {
		pr["changed_files"] = p.ChangedFiles
	}
	for _, side := range []struct {
		key, sha, ref, repo string
	}{{"head", p.HeadSHA, p.HeadRef, p.HeadRepo}, {"base", p.BaseSHA, p.BaseRef, ""}} {
		b := obj(pr, side.key)
		if b == nil {
			continue
		}
		if side.sha != "" {
			b["sha"] = side.sha
		}
		if side.ref != "" {
			b["ref"] = side.ref
		}
		repo := side.repo
		if repo == "" {
			repo = p.Repo
		}
		setRepo(obj(b, "repo"), repo, 0)
		if r := obj(b, "repo"); r != nil && side.repo != "" {
			r["fork"] = true
		}
	}
}

func applyPatch(m map[string]any, event string, p WebhookPatch) {
	if p.InstallationID != 0 {
		if in := obj(m, "installation"); in != nil {
			in["id"] = p.InstallationID
		} else {
			m["installation"] = map[string]any{"id": p.InstallationID, "node_id": nodeID("I", p.InstallationID)}
		}
	}
	setRepo(obj(m, "repository"), p.Repo, p.RepoID)
	if p.Sender != "" {
		if s := obj(m, "sender"); s != nil {
			s["login"] = p.Sender
			s["id"] = userID(p.Sender)
		}
	}
	if p.PR != 0 && m["number"] != nil {
		m["number"] = p.PR
	}
	setSHAs(obj(m, "pull_request"), p)
	if is := obj(m, "issue"); is != nil && event == "issue_comment" {
		if p.PR != 0 {
			is["number"] = p.PR
		}
		if is["pull_request"] == nil {
			u := fmt.Sprintf("https://api.github.com/repos/%s/pulls/%v", p.Repo, is["number"])
			is["pull_request"] = map[string]any{"url": u, "html_url": u, "diff_url": u + ".diff", "patch_url": u + ".patch"}
		}
	}
	if c := obj(m, "comment"); c != nil {
		if p.CommentID != 0 {
			c["id"] = p.CommentID
		}
		if p.CommentBody != "" {
			c["body"] = p.CommentBody
		}
		if u := obj(c, "user"); u != nil && p.Sender != "" {
			u["login"] = p.Sender
			u["id"] = userID(p.Sender)
		}
	}
	for _, k := range []string{"check_run", "check_suite"} {
		c := obj(m, k)
		if c == nil {
			continue
		}
		if k == "check_run" && p.CheckRunID != 0 {
			c["id"] = p.CheckRunID
		}
		if k == "check_run" && p.CheckRunName != "" {
			c["name"] = p.CheckRunName
		}
		if p.HeadSHA != "" {
			c["head_sha"] = p.HeadSHA
			if cs := obj(c, "check_suite"); cs != nil {
				cs["head_sha"] = p.HeadSHA
			}
		}
		if prs, ok := c["pull_requests"].([]any); ok {
			if p.HeadRepo != "" {
				c["pull_requests"] = []any{} // fork heads carry no pull requests
			} else if p.PR != 0 && len(prs) > 0 {
				setSHAs(prs[0].(map[string]any), p)
				c["pull_requests"] = prs[:1]
			}
		}
	}
	if ra := obj(m, "requested_action"); ra != nil && p.Identifier != "" {
		ra["identifier"] = p.Identifier
	}
}
