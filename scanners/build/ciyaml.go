package build

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// shellKeys hold shell scripts in CI YAML files.
var shellKeys = map[string]bool{
	"run": true, "script": true, "before_script": true, "after_script": true, "cmd": true, "cmds": true,
	"command": true, "bash": true, "sh": true, "inlineScript": true,
}

// envKeys hold environment variables.
var envKeys = map[string]bool{"env": true, "environment": true, "variables": true, "vars": true}

// ciYAML walks GitLab CI, CircleCI, Azure Pipelines, Bitbucket Pipelines
// and Taskfile files: scripts go through the shell parser, variables
// through the environment checks.
func (a *analysis) ciYAML() {
	root := a.yamlRoot()
	if root == nil {
		return
	}
	a.walkCI(root, map[string]string{})
	switch a.kind {
	case kindGitLab:
		a.gitlabIncludes(root)
	case kindCircle:
		a.circleOrbs(root)
	}
	// Trigger changes, listed like a workflow's `on:`.
	triggers := map[kind][]string{kindAzure: {"trigger", "pr", "schedules"}, kindGitLab: {"workflow"}}
	for _, key := range triggers[a.kind] {
		if k, v := get(root, key); k != nil {
			a.pipelineItem(k.Line, "trigger:"+key+":"+flatText(v), "This change adds or changes the pipeline's `%s:` triggers.", key)
		}
	}
}

func (a *analysis) walkCI(n *yaml.Node, env map[string]string) {
	if a.ctx.Err() != nil || n == nil {
		return
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			a.walkCI(c, env)
		}
	case yaml.MappingNode:
		local := env
		each(n, func(k, v *yaml.Node) {
			if envKeys[k.Value] {
				local = merge(env, a.envNode(v))
			}
		})
		each(n, func(k, v *yaml.Node) {
			switch {
			case envKeys[k.Value]:
			case shellKeys[k.Value]:
				a.ciScripts(v, local)
			case k.Value == "image":
				img := v
				if v.Kind == yaml.MappingNode {
					img = val(v, "name")
				}
				if img != nil && img.Kind == yaml.ScalarNode && img.Value != "" && !strings.ContainsAny(img.Value, "$<{") && unpinnedImage(img.Value) {
					a.add(ruleDockerUnpinned, img.Line, "image:"+img.Value, "CI job image `%s` is not pinned to a version: it can change under the build.", img.Value)
				}
			case k.Value == "remote" || k.Value == "url":
				if v.Kind == yaml.ScalarNode {
					a.addURLHosts(v.Value, v.Line, k.Value)
				}
			default:
				a.walkCI(v, local)
			}
		})
	}
}

// ciScripts analyses a script value: a string, a list of strings or a
// mapping (CircleCI's run: {command: …}).
func (a *analysis) ciScripts(v *yaml.Node, env map[string]string) {
	switch v.Kind {
	case yaml.ScalarNode:
		a.ciScript(v, env)
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if c.Kind == yaml.ScalarNode {
				a.ciScript(c, env)
			} else {
				a.walkCI(c, env)
			}
		}
	case yaml.MappingNode:
		a.walkCI(v, env)
	}
}

func (a *analysis) ciScript(v *yaml.Node, env map[string]string) {
	text, lineOf := a.scalarText(v)
	for i, l := range strings.Split(text, "\n") {
		if a.kind == kindAzure {
			for _, m := range untrustedAzureRe.FindAllString(l, -1) {
				a.add(ruleInjection, lineOf(i+1), "inject:"+m+":"+l, "The macro `%s` is pasted into the script before it runs; whoever opens the pull request controls it.", m)
			}
		}
		if a.kind == kindCircle {
			for _, m := range circleRe.FindAllStringSubmatch(l, -1) {
				if isUntrustedExpr(m[1]) {
					a.add(ruleInjection, lineOf(i+1), "inject:"+m[1]+":"+l, "`<< %s >>` is pasted into the script before it runs; whoever pushes the branch controls it.", m[1])
				}
			}
		}
	}
	src, exprs := placeholders(text, a.kind == kindCircle)
	if a.kind == kindAzure {
		src = strings.NewReplacer("$(", "${AZ_", ")", "}").Replace(src)
		src = azureFix(text, src)
	}
	a.shell(&snippet{src: src, line: lineOf, exprs: exprs, env: env})
}

// azureFix keeps the original script when it has no Azure macros: the
// macro rewrite is only for scripts whose $(…) are macros, not shell.
func azureFix(orig, rewritten string) string {
	if !strings.Contains(orig, "$(Build.") && !strings.Contains(orig, "$(System.") && !strings.Contains(orig, "$(Agent.") {
		return orig
	}
	return rewritten
}
