package build

import (
	"path"
	"strings"
)

// kind is the type of build file, decided from the path.
type kind int

const (
	kindNone kind = iota
	kindMake
	kindDocker
	kindShell
	kindPowerShell
	kindNPM
	kindSetupPy
	kindPyproject
	kindGradle
	kindPom
	kindBuildRS
	kindGo
	kindJust
	kindTaskfile
	kindWorkflow
	kindAction
	kindGitLab
	kindJenkins
	kindCircle
	kindAzure
	kindBitbucket
	kindPreCommit
	kindNpmrc
	kindYarnrc
	kindYarnrcYml
	kindPipConf
	kindRequirements
	kindGoMod
	kindGitmodules
)

// isPipeline reports whether the kind is a CI pipeline definition.
func (k kind) isPipeline() bool {
	switch k {
	case kindWorkflow, kindAction, kindGitLab, kindJenkins, kindCircle, kindAzure, kindBitbucket:
		return true
	}
	return false
}

var exactNames = map[string]kind{
	"makefile": kindMake, "gnumakefile": kindMake,
	"containerfile": kindDocker,
	"package.json":  kindNPM, "setup.py": kindSetupPy, "pyproject.toml": kindPyproject,
	"build.gradle": kindGradle, "build.gradle.kts": kindGradle, "settings.gradle": kindGradle, "settings.gradle.kts": kindGradle,
	"pom.xml": kindPom, "build.rs": kindBuildRS,
	"justfile": kindJust, ".justfile": kindJust,
	"taskfile.yml": kindTaskfile, "taskfile.yaml": kindTaskfile,
	"action.yml": kindAction, "action.yaml": kindAction,
	".gitlab-ci.yml": kindGitLab, ".gitlab-ci.yaml": kindGitLab,
	"jenkinsfile":         kindJenkins,
	"azure-pipelines.yml": kindAzure, "azure-pipelines.yaml": kindAzure,
	"bitbucket-pipelines.yml": kindBitbucket,
	".pre-commit-config.yaml": kindPreCommit, ".pre-commit-config.yml": kindPreCommit,
	".npmrc": kindNpmrc, ".yarnrc": kindYarnrc, ".yarnrc.yml": kindYarnrcYml, ".yarnrc.yaml": kindYarnrcYml,
	"pip.conf": kindPipConf, "pip.ini": kindPipConf,
	"go.mod": kindGoMod, ".gitmodules": kindGitmodules,
}

var extKinds = map[string]kind{
	".mk": kindMake, ".sh": kindShell, ".bash": kindShell, ".zsh": kindShell, ".ksh": kindShell,
	".ps1": kindPowerShell, ".go": kindGo, ".dockerfile": kindDocker, ".jenkinsfile": kindJenkins,
}

// notDockerfile are extensions of documentation and data files named
// after Dockerfiles (Dockerfile.5.md, Dockerfile.json).
var notDockerfile = map[string]bool{
	".md": true, ".txt": true, ".rst": true, ".adoc": true, ".html": true, ".json": true, ".yml": true,
	".yaml": true, ".go": true, ".py": true, ".sh": true, ".dockerignore": true, ".orig": true, ".bak": true,
}

// recognise classifies a repository path. It looks at the path only and
// allocates little: Wants calls it for every file of every change.
func recognise(p string) kind {
	if p == "" {
		return kindNone
	}
	base := path.Base(p)
	lower := strings.ToLower(base)
	if k, ok := exactNames[lower]; ok {
		if k == kindNPM && strings.Contains(p, "node_modules/") {
			return kindNone
		}
		return k
	}
	dir := path.Dir(p)
	ext := path.Ext(lower)
	switch {
	case ext == ".yml" || ext == ".yaml":
		switch {
		case strings.HasSuffix(dir, ".github/workflows"):
			return kindWorkflow
		case lower == "config.yml" && strings.HasSuffix(dir, ".circleci"):
			return kindCircle
		case strings.HasSuffix(lower, ".gitlab-ci"+ext):
			return kindGitLab
		case strings.HasPrefix(lower, "azure-pipelines"):
			return kindAzure
		}
		return kindNone
	case strings.HasPrefix(lower, "dockerfile"), strings.HasPrefix(lower, "containerfile"):
		if notDockerfile[ext] {
			return kindNone
		}
		return kindDocker
	case strings.HasPrefix(lower, "jenkinsfile"):
		return kindJenkins
	case strings.HasPrefix(lower, "requirements") && ext == ".txt",
		ext == ".txt" && path.Base(dir) == "requirements":
		return kindRequirements
	}
	if k, ok := extKinds[ext]; ok {
		if k == kindGo && (strings.HasSuffix(lower, "_test.go") || strings.Contains(p, "vendor/")) {
			return kindNone
		}
		return k
	}
	return kindNone
}
