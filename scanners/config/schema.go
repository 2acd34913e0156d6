package config

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/picketsec/picket/scanners"
)

// MaxReviewComments is GitHub's practical cap on inline comments per review
// before its secondary rate limits ("abuse detection") reject reviews;
// reviewdog keeps the same limit.
const MaxReviewComments = 30

// topLevel is the schema of the whole file.
func topLevel(c *Config) map[string]field {
	return map[string]field{
		"fail_on": func(d *decoder, n *yaml.Node, key string) error {
			s, err := d.severity(n, key)
			c.FailOn = s
			return err
		},
		"exclude": func(d *decoder, n *yaml.Node, key string) error {
			globs, err := d.strList(n, key)
			if err != nil {
				return err
			}
			for i, g := range globs {
				if g == "" || !doublestar.ValidatePattern(g) {
					return d.errf(elem(n, i), fmt.Sprintf("%s[%d]", key, i), "invalid glob %q", g)
				}
			}
			c.Exclude = globs
			return nil
		},
		"max_file_size": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.int(n, key)
			if err != nil {
				return err
			}
			if v < 1 {
				return d.errf(n, key, "must be a positive number of bytes, got %d", v)
			}
			c.MaxFileSize = v
			return nil
		},
		"rules": func(d *decoder, n *yaml.Node, key string) error {
			return d.mapping(n, key, rulesFields(&c.Rules))
		},
		"secrets": func(d *decoder, n *yaml.Node, key string) error {
			return d.mapping(n, key, secretsFields(&c.Secrets))
		},
		"build": func(d *decoder, n *yaml.Node, key string) error {
			return d.mapping(n, key, buildFields(&c.Build))
		},
		"sast": func(d *decoder, n *yaml.Node, key string) error {
			return d.mapping(n, key, map[string]field{
				"languages": func(d *decoder, n *yaml.Node, key string) error {
					langs, err := d.strList(n, key)
					for i, l := range langs {
						if !langPattern.MatchString(l) {
							return d.errf(elem(n, i), fmt.Sprintf("%s[%d]", key, i), "invalid language name %q", l)
						}
						langs[i] = strings.ToLower(l)
					}
					c.SAST.Languages = langs
					return err
				},
			})
		},
		"review": func(d *decoder, n *yaml.Node, key string) error {
			return d.mapping(n, key, reviewFields(&c.Review))
		},
	}
}

var (
	langPattern  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+#-]{0,30}$`)
	ownerPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	hostPattern  = regexp.MustCompile(`^(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$`)
	idPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
)

// elem returns the i-th element of a sequence node for its line number.
func elem(n *yaml.Node, i int) *yaml.Node {
	if n.Kind == yaml.SequenceNode && i < len(n.Content) {
		return n.Content[i]
	}
	return n
}

// severity decodes a severity name.
func (d *decoder) severity(n *yaml.Node, key string) (scanners.Severity, error) {
	s, err := d.str(n, key)
	if err != nil {
		return 0, err
	}
	v, err := scanners.ParseSeverity(s)
	if err != nil {
		return 0, d.errf(n, key, "%v", err)
	}
	return v, nil
}

func rulesFields(r *RulesConfig) map[string]field {
	return map[string]field{
		"disable": func(d *decoder, n *yaml.Node, key string) error {
			ids, err := d.strList(n, key)
			if err != nil {
				return err
			}
			for i, id := range ids {
				if err := checkRulePattern(id); err != nil {
					return d.errf(elem(n, i), fmt.Sprintf("%s[%d]", key, i), "%v", err)
				}
			}
			r.Disable = ids
			return nil
		},
		"severity": func(d *decoder, n *yaml.Node, key string) error {
			if isNull(n) {
				return nil
			}
			if n.Kind != yaml.MappingNode {
				return d.errf(n, key, "expected a mapping of rule id to severity, got %s", describe(n))
			}
			r.Severity = map[string]scanners.Severity{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
				id, err := d.str(k, key)
				if err != nil {
					return err
				}
				if !strings.Contains(id, "/") {
					return d.errf(k, key, "%q is not a rule id (<scanner>/<name>, see `picket rules`)", id)
				}
				if _, dup := r.Severity[id]; dup {
					return d.errf(k, key, "duplicate rule id %q", id)
				}
				s, err := d.severity(v, key+"."+id)
				if err != nil {
					return err
				}
				r.Severity[id] = s
			}
			return nil
		},
	}
}

// checkRulePattern accepts a rule id or a path.Match pattern over ids.
func checkRulePattern(p string) error {
	if p == "" {
		return fmt.Errorf("empty rule id")
	}
	if !strings.Contains(p, "/") && p != "*" {
		return fmt.Errorf("%q is not a rule id or pattern (<scanner>/<name>, e.g. secrets/generic-*)", p)
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("invalid pattern %q: %w", p, err)
	}
	return nil
}

func buildFields(b *BuildConfig) map[string]field {
	return map[string]field{
		"allowed_hosts": func(d *decoder, n *yaml.Node, key string) error {
			hosts, err := d.strList(n, key)
			if err != nil {
				return err
			}
			for i, h := range hosts {
				if !hostPattern.MatchString(h) {
					return d.errf(elem(n, i), fmt.Sprintf("%s[%d]", key, i),
						"%q is not a host name or *.domain pattern (no scheme, no path)", h)
				}
				hosts[i] = strings.ToLower(h)
			}
			b.AllowedHosts = hosts
			return nil
		},
		"tag_owners": func(d *decoder, n *yaml.Node, key string) error {
			owners, err := d.strList(n, key)
			if err != nil {
				return err
			}
			for i, o := range owners {
				if !ownerPattern.MatchString(o) {
					return d.errf(elem(n, i), fmt.Sprintf("%s[%d]", key, i), "%q is not a GitHub user or organisation name", o)
				}
			}
			b.TagOwners = owners
			return nil
		},
	}
}

func reviewFields(r *ReviewConfig) map[string]field {
	return map[string]field{
		"event": func(d *decoder, n *yaml.Node, key string) error {
			s, err := d.str(n, key)
			if err != nil {
				return err
			}
			switch up := strings.ToUpper(s); up {
			case "COMMENT", "REQUEST_CHANGES":
				r.Event = up
				return nil
			}
			return d.errf(n, key, "unknown review event %q (want COMMENT or REQUEST_CHANGES)", s)
		},
		"drafts": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.bool(n, key)
			r.Drafts = v
			return err
		},
		"max_comments": func(d *decoder, n *yaml.Node, key string) error {
			v, err := d.int(n, key)
			if err != nil {
				return err
			}
			if v < 1 || v > MaxReviewComments {
				return d.errf(n, key, "must be between 1 and %d, got %d", MaxReviewComments, v)
			}
			r.MaxComments = int(v)
			return nil
		},
	}
}
