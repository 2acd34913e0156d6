package registry

import (
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/build"
	"github.com/picketsec/picket/scanners/config"
)

// newBuild builds the build-script and CI-pipeline scanner with the
// configuration's allowed hosts and tag owners.
func newBuild(cfg *config.Config, _ *options) (scanners.Scanner, error) {
	s, err := build.New(build.Options{Config: cfg.Build})
	if err != nil {
		return nil, err
	}
	return s, nil
}
