package server

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/picketsec/picket/app/event"
)

// manifest is the part of app.yml GitHub reads.
type manifest struct {
	Name           string               `yaml:"name"`
	Description    string               `yaml:"description"`
	URL            string               `yaml:"url"`
	Public         bool                 `yaml:"public"`
	HookAttributes struct{ URL string } `yaml:"hook_attributes"`
	Permissions    map[string]string    `yaml:"default_permissions"`
	Events         []string             `yaml:"default_events"`
}

func loadManifest(t *testing.T) manifest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "app.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("app.yml: %v", err)
	}
	return m
}

func TestManifestLeastPermissions(t *testing.T) {
	m := loadManifest(t)
	if m.Name == "" || m.Description == "" || m.URL == "" || m.Public {
		t.Errorf("name, description, url required and the app private by default: %+v", m)
	}
	if filepath.Base(m.HookAttributes.URL) != "webhook" {
		t.Errorf("hook_attributes.url %q: the webhook path is /webhook", m.HookAttributes.URL)
	}
	// The least the features need: any addition or upgrade must be a
	// deliberate change of this table and of app.yml's comments.
	least := map[string]string{
		"checks":        "write", // check runs, annotations, Re-run and Re-scan
		"pull_requests": "write", // reviews, inline comments, command replies and reactions
		"contents":      "read",  // changed blobs and .github/picket.yml at base
		"metadata":      "read",  // mandatory; collaborator permission
		"issues":        "read",  // issue_comment events (commands)
	}
	if d := cmp.Diff(least, m.Permissions); d != "" {
		t.Errorf("default_permissions differ from the least needed (-want +got):\n%s", d)
	}
	if d := cmp.Diff(Permissions, m.Permissions); d != "" {
		t.Errorf("the home page's permissions differ from app.yml (-home +app.yml):\n%s", d)
	}
}

func TestManifestEvents(t *testing.T) {
	m := loadManifest(t)
	// Subscribable events Picket handles; installation and
	// installation_repositories are sent to every app unsubscribed.
	subscribable := []string{"pull_request", "issue_comment", "check_run", "check_suite"}
	for _, e := range m.Events {
		if !slices.Contains(subscribable, e) {
			t.Errorf("default_events lists %q, which Picket does not handle or an app cannot subscribe to", e)
		}
	}
	if d := cmp.Diff(Events, m.Events); d != "" {
		t.Errorf("the home page's events differ from app.yml (-home +app.yml):\n%s", d)
	}
	// Every event the router records must be delivered: subscribed, or
	// one GitHub always sends.
	always := []string{"ping", "installation", "installation_repositories"}
	for _, e := range event.Events {
		if !slices.Contains(m.Events, e) && !slices.Contains(always, e) {
			t.Errorf("event.Events handles %q but app.yml does not subscribe to it", e)
		}
	}
}
