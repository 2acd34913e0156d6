package registry

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/picketsec/picket/scanners/config"
)

func TestGitleaksConfigIsRead(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Secrets.GitleaksConfig = ".gitleaks.toml"
	if _, err := Scanners(cfg); err == nil {
		t.Error("Scanners with gitleaks_config but no way to read it succeeded")
	}
	if _, err := Scanners(cfg, WithReadFile(context.Background(), func(context.Context, string) ([]byte, error) {
		return nil, errors.New("no such file")
	})); err == nil {
		t.Error("Scanners succeeded though the gitleaks file could not be read")
	}

	var asked string
	read := func(_ context.Context, p string) ([]byte, error) {
		asked = p
		return []byte("[[rules]]\nid = \"acme\"\ndescription = \"ACME token\"\nregex = '''acme_[a-z0-9]{32}'''\nkeywords = [\"acme_\"]\n"), nil
	}
	e, err := Engine(cfg, WithReadFile(context.Background(), read))
	if err != nil {
		t.Fatal(err)
	}
	if asked != ".gitleaks.toml" {
		t.Errorf("read %q, want .gitleaks.toml", asked)
	}
	var ids []string
	for _, r := range e.Rules() {
		ids = append(ids, r.ID)
	}
	if !slices.Contains(ids, "secrets/custom-acme") {
		t.Errorf("rules lack the gitleaks rule secrets/custom-acme: %v", ids)
	}
}
