package registry

import (
	"fmt"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/secrets"
)

// newSecrets builds the secret scanner with the configuration's custom
// rules and, when secrets.gitleaks_config names one, a gitleaks file read
// from the repository.
func newSecrets(cfg *config.Config, o *options) (scanners.Scanner, error) {
	opts := secrets.Options{Rules: cfg.Secrets.Rules}
	if p := cfg.Secrets.GitleaksConfig; p != "" {
		if o.read == nil {
			return nil, fmt.Errorf("secrets.gitleaks_config %s: no repository to read it from", p)
		}
		data, err := o.read(o.ctx, p)
		if err != nil {
			return nil, fmt.Errorf("secrets.gitleaks_config %s: %w", p, err)
		}
		opts.Gitleaks = data
	}
	s, err := secrets.New(opts)
	if err != nil {
		return nil, err
	}
	return s, nil
}
