package build

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/secrets"
)

var (
	shaRe     = regexp.MustCompile(`^[0-9a-f]{40}$`)
	prFetchRe = regexp.MustCompile(`gh pr checkout|git fetch[^\n]*pull/`)
)

// prHeadRe matches references to a pull request's own code.
var prHeadRe = regexp.MustCompile(`github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|refs/pull/|pull_request\.number|github\.event\.issue\.number|github\.event\.pull_request\.head\.repo`)

// workflow analyses a GitHub Actions workflow or composite action.
func (a *analysis) workflow() {
	root := a.yamlRoot()
	if root == nil {
		return
	}
	onKey, onVal := get(root, "on")
	if onKey == nil {
		onKey, onVal = get(root, "true") // YAML 1.1 readers turn `on` into true
	}
	triggers := map[string]*yaml.Node{}
	switch {
	case onVal == nil:
	case onVal.Kind == yaml.ScalarNode:
		triggers[onVal.Value] = onVal
	case onVal.Kind == yaml.SequenceNode:
		for _, t := range onVal.Content {
			triggers[t.Value] = t
		}
	case onVal.Kind == yaml.MappingNode:
		each(onVal, func(k, v *yaml.Node) { triggers[k.Value] = k })
	}
	for name, n := range triggers {
		var cfg *yaml.Node
		if onVal != nil && onVal.Kind == yaml.MappingNode {
			cfg = val(onVal, name)
		}
		a.pipelineItem(n.Line, "trigger:"+name+":"+flatText(cfg), "This change adds or changes the workflow trigger `%s`.", name)
	}
	privileged := triggers["pull_request_target"] != nil || triggers["workflow_run"] != nil || triggers["issue_comment"] != nil
	prTrigger := triggers["pull_request"] != nil || triggers["pull_request_target"] != nil
	wfEnv := a.envNode(val(root, "env"))
	topPerm := val(root, "permissions")
	a.permissions(topPerm, "workflow")

	w := &wfContext{privileged: privileged, prTrigger: prTrigger, topPerm: topPerm, onLine: 1}
	if onKey != nil {
		w.onLine = onKey.Line
	}
	if a.kind == kindAction {
		if runs := val(root, "runs"); runs != nil {
			a.steps(w, "action", val(runs, "steps"), wfEnv)
		}
		return
	}
	each(val(root, "jobs"), func(k, job *yaml.Node) { a.job(w, k, job, wfEnv) })
}

// wfContext is what a job needs to know about its workflow.
type wfContext struct {
	privileged, prTrigger bool
	topPerm               *yaml.Node
	onLine                int
}

// permissions reports write-all and lists write scopes as pipeline changes.
func (a *analysis) permissions(p *yaml.Node, scope string) {
	if p == nil {
		return
	}
	if p.Kind == yaml.ScalarNode {
		if p.Value == "write-all" {
			a.add(rulePermissions, p.Line, "write-all:"+scope, "`permissions: write-all` for %s gives every step a token that can push code and change releases.", scope)
		}
		return
	}
	each(p, func(k, v *yaml.Node) {
		if v.Value == "write" {
			a.pipelineItem(k.Line, "perm:"+scope+":"+k.Value+"=write", "This change grants `%s: write` to %s.", k.Value, scope)
		}
	})
}

// job analyses one job.
func (a *analysis) job(w *wfContext, k, job *yaml.Node, wfEnv map[string]string) {
	name := k.Value
	perm := val(job, "permissions")
	a.permissions(perm, "job "+name)
	if w.privileged && w.topPerm == nil && perm == nil {
		a.add(rulePermissions, k.Line, "missing-permissions:"+name,
			"Job `%s` runs on a privileged trigger without `permissions:`, so it gets the repository's default token scopes.", name)
	}
	if ro := val(job, "runs-on"); ro != nil && w.prTrigger && strings.Contains(strings.ToLower(flatText(ro)), "self-hosted") {
		a.add(ruleSelfHosted, ro.Line, "self-hosted:"+name, "Job `%s` runs pull-request code on a self-hosted runner; in a public repository anyone can run code there.", name)
	}
	if u := val(job, "uses"); u != nil {
		a.actionRef(u)
		// Only a local (./) call is known to stay in the repository. A call
		// to owner/repo/.github/workflows/x.yml@ref may be the repository
		// itself or a sibling in the same organisation, but Input carries
		// no repository name, so every non-local call is reported alike.
		if s := val(job, "secrets"); s != nil && s.Value == "inherit" && !strings.HasPrefix(u.Value, "./") {
			a.add(ruleSecretsInherit, s.Line, "inherit:"+u.Value, "Job `%s` passes every secret to %s.", name, u.Value)
		}
	}
	env := merge(wfEnv, a.envNode(val(job, "env")))
	a.steps(w, "job "+name, val(job, "steps"), env)
}

// steps analyses the steps of one job.
func (a *analysis) steps(w *wfContext, scope string, steps *yaml.Node, env map[string]string) {
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return
	}
	var prCheckout *yaml.Node  // the checkout of PR code in a privileged workflow
	var checkouts []*yaml.Node // checkout steps keeping credentials
	uploads := false
	for _, st := range steps.Content {
		uses := str(st, "uses")
		with := val(st, "with")
		stepEnv := merge(env, a.envNode(val(st, "env")))
		if u := val(st, "uses"); u != nil {
			a.actionRef(u)
		}
		action := strings.ToLower(strings.SplitN(uses, "@", 2)[0])
		switch {
		case action == "actions/checkout":
			if w.privileged && prCheckout == nil {
				for _, key := range []string{"ref", "repository"} {
					if r := val(with, key); r != nil && prHeadRe.MatchString(r.Value) {
						prCheckout = r
					}
				}
			}
			if pc := str(with, "persist-credentials"); pc != "false" {
				checkouts = append(checkouts, st)
			}
		case action == "actions/upload-artifact":
			if p := str(with, "path"); p == "." || p == "./" || strings.Contains(p, ".git") || p == "${{ github.workspace }}" {
				uploads = true
			}
		case action == "actions/github-script":
			if s := val(with, "script"); s != nil {
				a.injection(s, st, "script")
			}
		}
		if prCheckout != nil && prCheckout.Line < st.Line && (val(st, "run") != nil || strings.HasPrefix(uses, "./")) {
			a.add(rulePwnRequest, scalarLine(prCheckout)(1), "pwn:"+scope+":"+prCheckout.Value,
				"In %s, a privileged trigger checks out the pull request's code (`%s`) and later steps run it with the workflow's secrets.", scope, prCheckout.Value)
			prCheckout = nil
		}
		if run := val(st, "run"); run != nil && run.Kind == yaml.ScalarNode {
			if w.privileged && prCheckout == nil && prFetchRe.MatchString(run.Value) {
				prCheckout = run
			}
			a.injection(run, st, "run")
			text, lineOf := a.scalarText(run)
			src, exprs := placeholders(text, false)
			a.shell(&snippet{src: src, line: lineOf, exprs: exprs, env: stepEnv})
		}
	}
	if uploads {
		for _, st := range checkouts {
			if f := a.add(rulePersistCreds, st.Line, "persist:"+scope, "In %s, actions/checkout keeps the token in .git/config and the job uploads the workspace as an artifact.", scope); f != nil {
				f.Fix = a.persistFix(st)
			}
		}
	}
}

// actionRef reports a third-party action or reusable workflow that is
// not pinned to a full commit SHA.
func (a *analysis) actionRef(u *yaml.Node) {
	ref := u.Value
	if strings.HasPrefix(ref, "./") || ref == "" {
		return
	}
	if img, ok := strings.CutPrefix(ref, "docker://"); ok {
		if !strings.Contains(img, "@sha256:") {
			a.add(ruleUnpinned, u.Line, "uses:"+ref, "`%s` is a container image without a digest.", ref)
		}
		return
	}
	name, version, ok := strings.Cut(ref, "@")
	if !ok {
		a.add(ruleUnpinned, u.Line, "uses:"+ref, "`%s` has no version at all.", ref)
		return
	}
	owner := strings.ToLower(strings.SplitN(name, "/", 2)[0])
	if shaRe.MatchString(version) || a.s.tagOwners[owner] {
		return
	}
	a.add(ruleUnpinned, u.Line, "uses:"+ref, "`%s` is pinned to `%s`, which its owner can move; pin it to a full commit SHA.", name, version)
}

// pipelineItem reports one change to a pipeline definition. On a new file
// only the file itself is listed (pipelineFile).
func (a *analysis) pipelineItem(line int, match, format string, args ...any) {
	if a.isNewFile() {
		return
	}
	a.add(rulePipeline, line, match, format, args...)
}

// pipelineFile lists a new pipeline definition.
func (a *analysis) pipelineFile() {
	if a.isNewFile() {
		a.add(rulePipeline, 1, "new-pipeline", "This change adds the pipeline definition %s.", a.in.Path)
	}
}

// persistFix adds `persist-credentials: false` to a checkout step written
// in block style; it returns nil for layouts it cannot edit safely.
func (a *analysis) persistFix(st *yaml.Node) *scanners.Fix {
	key, uses := get(st, "uses")
	if key == nil || st.Style&yaml.FlowStyle != 0 || uses.Line != key.Line || key.Line > len(a.lines) {
		return nil
	}
	pad := strings.Repeat(" ", key.Column-1)
	wk, with := get(st, "with")
	switch {
	case wk == nil:
		line := a.lines[key.Line-1]
		if secrets.Mask(line) != line {
			return nil
		}
		return &scanners.Fix{
			Description: "Stop actions/checkout from storing the token in .git/config.",
			StartLine:   key.Line, EndLine: key.Line,
			Replacement: line + "\n" + pad + "with:\n" + pad + "  persist-credentials: false",
		}
	case with.Kind == yaml.MappingNode && with.Style&yaml.FlowStyle == 0 && len(with.Content) > 0:
		first := with.Content[0]
		if pc, _ := get(with, "persist-credentials"); pc != nil || wk.Line > len(a.lines) {
			return nil
		}
		line := a.lines[wk.Line-1]
		if secrets.Mask(line) != line {
			return nil
		}
		return &scanners.Fix{
			Description: "Stop actions/checkout from storing the token in .git/config.",
			StartLine:   wk.Line, EndLine: wk.Line,
			Replacement: line + "\n" + strings.Repeat(" ", first.Column-1) + "persist-credentials: false",
		}
	}
	return nil
}
