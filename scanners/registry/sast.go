package registry

import (
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/sast"
)

// newSAST builds the static-analysis scanner limited to the configured
// languages (all when none are).
func newSAST(cfg *config.Config, _ *options) (scanners.Scanner, error) {
	s, err := sast.New(sast.Options{Config: cfg.SAST})
	if err != nil {
		return nil, err
	}
	return s, nil
}
