package build

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Pipeline configuration pulled in from elsewhere at pipeline time: GitLab
// CI include: and CircleCI orbs:. Like an unpinned action, an unpinned
// include runs whatever its source holds when the pipeline starts.

var (
	// releaseRe is a version tag with at least a minor part (v1.2, 1.2.3-rc1).
	releaseRe = regexp.MustCompile(`^v?\d+\.\d+(\.\d+)?([-+.][\w.-]+)?$`)
	// commitRe is a full or abbreviated commit SHA.
	commitRe = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	// orbVersionRe is a published orb version pinned to at least a minor (1.2, 1.2.3).
	orbVersionRe = regexp.MustCompile(`^\d+\.\d+(\.\d+)?$`)
)

// gitlabIncludes reports remote includes without integrity and project
// includes that follow a branch.
func (a *analysis) gitlabIncludes(root *yaml.Node) {
	inc := val(root, "include")
	if inc == nil {
		return
	}
	items := []*yaml.Node{inc}
	if inc.Kind == yaml.SequenceNode {
		items = inc.Content
	}
	for _, it := range items {
		switch it.Kind {
		case yaml.ScalarNode: // include: 'https://…' or '/local.yml'
			if isRemoteURL(it.Value) {
				a.addURLHosts(it.Value, it.Line, "include")
				a.remoteInclude(it, nil)
			}
		case yaml.MappingNode:
			if r := val(it, "remote"); r != nil && r.Kind == yaml.ScalarNode {
				a.remoteInclude(r, val(it, "integrity"))
			}
			if p := val(it, "project"); p != nil && p.Kind == yaml.ScalarNode {
				a.projectInclude(it, p)
			}
		}
	}
}

func isRemoteURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

func (a *analysis) remoteInclude(r, integrity *yaml.Node) {
	if integrity != nil && integrity.Kind == yaml.ScalarNode && strings.HasPrefix(integrity.Value, "sha256-") {
		return
	}
	a.add(ruleCIInclude, r.Line, "include-remote:"+r.Value,
		"The pipeline includes `%s`, fetched when each pipeline starts with no integrity check: whoever controls that URL controls the pipeline.", r.Value)
}

func (a *analysis) projectInclude(it, p *yaml.Node) {
	if strings.Contains(p.Value, "$") {
		return // the project itself or a variable: not decidable here
	}
	ref := val(it, "ref")
	if ref == nil || ref.Kind != yaml.ScalarNode || ref.Value == "" {
		a.add(ruleCIInclude, p.Line, "include-project:"+p.Value+"@",
			"The pipeline includes files from project `%s` without `ref:`, so it follows that project's default branch.", p.Value)
		return
	}
	if strings.Contains(ref.Value, "$") || commitRe.MatchString(ref.Value) || releaseRe.MatchString(ref.Value) {
		return
	}
	a.add(ruleCIInclude, ref.Line, "include-project:"+p.Value+"@"+ref.Value,
		"The pipeline includes files from project `%s` at `%s`, which looks like a branch: every push to it changes this pipeline.", p.Value, ref.Value)
}

// circleOrbs reports orbs referenced without a pinned version.
func (a *analysis) circleOrbs(root *yaml.Node) {
	each(val(root, "orbs"), func(k, v *yaml.Node) {
		if v.Kind != yaml.ScalarNode || strings.Contains(v.Value, "<<") { // inline orb or parameter
			return
		}
		name, version, ok := strings.Cut(v.Value, "@")
		switch {
		case !ok:
			a.add(ruleCIInclude, v.Line, "orb:"+v.Value, "Orb `%s` has no version: it runs whatever the publisher releases next.", v.Value)
		case version == "volatile" || strings.HasPrefix(version, "dev:"):
			a.add(ruleCIInclude, v.Line, "orb:"+v.Value, "Orb `%s` is pinned to `%s`, which follows the publisher's latest (or mutable development) release.", name, version)
		case !orbVersionRe.MatchString(version):
			a.add(ruleCIInclude, v.Line, "orb:"+v.Value, "Orb `%s@%s` names only a major version: any new minor release the publisher pushes runs in this pipeline.", name, version)
		}
	})
}
