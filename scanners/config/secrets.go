package config

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picketsec/picket/scanners"
)

// DefaultSecretSeverity is the severity of a custom secret rule that sets none.
const DefaultSecretSeverity = scanners.High

func secretsFields(s *SecretsConfig) map[string]field {
	return map[string]field{
		"rules": func(d *decoder, n *yaml.Node, key string) error {
			seen := map[string]bool{}
			return d.seq(n, key, func(i int, n *yaml.Node, key string) error {
				r := SecretRule{Severity: DefaultSecretSeverity}
				if err := d.mapping(n, key, secretRuleFields(&r)); err != nil {
					return err
				}
				if n.Kind != yaml.MappingNode {
					return d.errf(n, key, "expected a rule mapping with id and regex, got %s", describe(n))
				}
				switch {
				case r.ID == "":
					return d.errf(n, key+".id", "is required")
				case r.Regex == "":
					return d.errf(n, key+".regex", "is required")
				case seen[r.ID]:
					return d.errf(n, key+".id", "duplicate custom rule id %q", r.ID)
				}
				seen[r.ID] = true
				s.Rules = append(s.Rules, r)
				return nil
			})
		},
		"gitleaks_config": func(d *decoder, n *yaml.Node, key string) error {
			p, err := d.str(n, key)
			if err != nil {
				return err
			}
			if p == "" || path.IsAbs(p) || strings.HasPrefix(path.Clean(p), "../") || path.Clean(p) == ".." {
				return d.errf(n, key, "must be a path inside the repository, got %q", p)
			}
			s.GitleaksConfig = path.Clean(p)
			return nil
		},
	}
}

func secretRuleFields(r *SecretRule) map[string]field {
	var re *regexp.Regexp
	return map[string]field{
		"id": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.str(n, key)
			if err != nil {
				return err
			}
			if !idPattern.MatchString(v) {
				return d.errf(n, key, "%q must be lower-case letters, digits, '.', '_' or '-'", v)
			}
			r.ID = v
			return nil
		},
		"description": func(d *decoder, n *yaml.Node, key string) (err error) {
			r.Description, err = d.str(n, key)
			return err
		},
		"regex": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.str(n, key)
			if err != nil {
				return err
			}
			if re, err = regexp.Compile(v); err != nil {
				return d.errf(n, key, "invalid regular expression: %v", err)
			}
			if r.SecretGroup > re.NumSubexp() {
				return d.errf(n, key, "has %d groups but secret_group is %d", re.NumSubexp(), r.SecretGroup)
			}
			r.Regex = v
			return nil
		},
		"keywords": func(d *decoder, n *yaml.Node, key string) (err error) {
			r.Keywords, err = d.strList(n, key)
			return err
		},
		"entropy": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.float(n, key)
			if err != nil {
				return err
			}
			if v < 0 || v > 8 {
				return d.errf(n, key, "must be between 0 and 8 bits per character, got %g", v)
			}
			r.Entropy = v
			return nil
		},
		"secret_group": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.int(n, key)
			if err != nil {
				return err
			}
			if v < 0 || re != nil && int(v) > re.NumSubexp() {
				return d.errf(n, key, "no capture group %d in regex", v)
			}
			r.SecretGroup = int(v)
			return nil
		},
		"severity": func(d *decoder, n *yaml.Node, key string) (err error) {
			r.Severity, err = d.severity(n, key)
			return err
		},
		"allowlist": func(d *decoder, n *yaml.Node, key string) error {
			return d.mapping(n, key, map[string]field{
				"regexes": func(d *decoder, n *yaml.Node, key string) error {
					v, err := d.regexList(n, key)
					r.Allowlist.Regexes = v
					return err
				},
				"paths": func(d *decoder, n *yaml.Node, key string) error {
					v, err := d.regexList(n, key)
					r.Allowlist.Paths = v
					return err
				},
				"stop_words": func(d *decoder, n *yaml.Node, key string) (err error) {
					r.Allowlist.StopWords, err = d.strList(n, key)
					return err
				},
			})
		},
	}
}

// regexList decodes a list of regular expressions, compiling each to check it.
func (d *decoder) regexList(n *yaml.Node, key string) ([]string, error) {
	list, err := d.strList(n, key)
	if err != nil {
		return nil, err
	}
	for i, s := range list {
		if _, err := regexp.Compile(s); err != nil {
			return nil, d.errf(elem(n, i), fmt.Sprintf("%s[%d]", key, i), "invalid regular expression: %v", err)
		}
	}
	return list, nil
}
