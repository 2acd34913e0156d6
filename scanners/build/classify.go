package build

import (
	"regexp"
	"slices"
	"strings"
)

// fetchers are commands that download from the network.
var fetchers = map[string]bool{
	"curl": true, "wget": true, "fetch": true, "iwr": true, "invoke-webrequest": true, "irm": true,
	"invoke-restmethod": true, "http": true, "https": true, "aria2c": true, "lwp-download": true,
}

// senders are commands that can send data to a host.
var senders = map[string]bool{
	"curl": true, "wget": true, "nc": true, "ncat": true, "netcat": true, "socat": true, "telnet": true,
	"dig": true, "nslookup": true, "host": true, "iwr": true, "invoke-webrequest": true, "irm": true,
	"invoke-restmethod": true, "http": true, "https": true, "scp": true, "rsync": true, "ftp": true,
}

var interpreters = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "ash": true, "fish": true, "python": true,
	"perl": true, "ruby": true, "node": true, "nodejs": true, "php": true, "lua": true, "pwsh": true,
	"powershell": true, "iex": true, "invoke-expression": true, "bun": true, "deno": true,
}

// isInterpreter reports commands that run a program given on stdin or
// as an argument (python3.12 counts as python).
func isInterpreter(name string) bool {
	n := strings.ToLower(name)
	if rest, ok := strings.CutPrefix(n, "python"); ok {
		return strings.Trim(rest, "0123456789.") == ""
	}
	return interpreters[n]
}

// fetchesToStdout reports whether a fetcher command writes the download
// to standard output (and so can feed a pipe or a substitution).
func fetchesToStdout(name string, args []string) bool {
	name = strings.ToLower(name)
	if !fetchers[name] {
		return false
	}
	switch name {
	case "curl":
		for i, a := range args {
			if a == "-o" || a == "--output" {
				return i+1 < len(args) && args[i+1] == "-"
			}
			if a == "-O" || a == "--remote-name" || strings.HasPrefix(a, "--output=") || shortFlag(a, 'O') || shortFlagArg(a, 'o') != "" && shortFlagArg(a, 'o') != "-" {
				return false
			}
		}
		return true
	case "wget":
		for i, a := range args {
			switch {
			case a == "-O" || a == "--output-document":
				return i+1 < len(args) && (args[i+1] == "-" || args[i+1] == "/dev/stdout")
			case a == "--output-document=-" || a == "-O-" || strings.HasSuffix(a, "O-") && strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--"):
				return true
			}
		}
		return false
	}
	return true
}

// shortFlag reports whether a is a bundle of short flags containing f
// (curl -fsSLO).
func shortFlag(a string, f byte) bool {
	if len(a) < 2 || a[0] != '-' || a[1] == '-' {
		return false
	}
	return strings.IndexByte(a[1:], f) >= 0 && !strings.ContainsAny(a[1:], "=/:.")
}

// shortFlagArg returns the value glued to short flag f at the end of a
// bundle ("-fsSLo" → "" with the value in the next arg; "-ofile" → "file").
func shortFlagArg(a string, f byte) string {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return ""
	}
	i := strings.IndexByte(a, f)
	if i < 0 || i == len(a)-1 {
		return ""
	}
	return a[i+1:]
}

// flagValue returns the value of a flag given as "-o v", "--output v",
// "--output=v" or a short-flag bundle ending in the flag ("-fsSLo v").
func flagValue(args []string, short byte, long ...string) (string, bool) {
	for i, a := range args {
		for _, l := range long {
			if a == l && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a, l+"="); ok {
				return v, true
			}
		}
		if short != 0 && len(a) >= 2 && a[0] == '-' && a[1] != '-' && a[len(a)-1] == short && !strings.ContainsAny(a, "=/:.") {
			if i+1 < len(args) {
				return args[i+1], true
			}
		}
	}
	return "", false
}

func hasFlag(args []string, flags ...string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return slices.Contains(flags, a) })
}

// CI-wide tokens: sent anywhere but their own service they are a leak.
var ciTokenRe = regexp.MustCompile(`^(GITHUB_TOKEN|GH_TOKEN|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN|CI_JOB_TOKEN|NPM_TOKEN|NODE_AUTH_TOKEN|CIRCLE_TOKEN|SYSTEM_ACCESSTOKEN)$`)

var secretNameRe = regexp.MustCompile(`(?i)(^|_)(token|secret|secrets|password|passwd|api_?key|apikey|private_?key|access_?key|credentials?|auth_?token)($|_)`)

var notSecretRe = regexp.MustCompile(`(?i)(_FILE|_PATH|_DIR|_URL|_NAME|_TYPE|_HEADER|_ENDPOINT|_REGION|_PROFILE|_ARN|_ID|_BUCKET|_OUTPUT)$`)

// secretKind classifies a variable name (or a CI expression): "ci" for a
// CI-wide token, "secret" for another secret, "" otherwise.
func secretKind(name string) string {
	up := strings.ToUpper(name)
	if strings.HasPrefix(up, "AWS_") {
		if notSecretRe.MatchString(up) && up != "AWS_ACCESS_KEY_ID" {
			return ""
		}
		return "ci"
	}
	if ciTokenRe.MatchString(up) {
		return "ci"
	}
	if notSecretRe.MatchString(up) && up != "AWS_ACCESS_KEY_ID" {
		return ""
	}
	// Environment variables holding secrets are upper case by convention;
	// lower-case shell locals named *_token are usually parser tokens.
	if name == up && secretNameRe.MatchString(name) {
		return "secret"
	}
	return ""
}

// exprSecretKind classifies a CI expression such as secrets.NPM_TOKEN.
func exprSecretKind(expr string) string {
	e := strings.TrimSpace(expr)
	switch {
	case e == "github.token" || strings.EqualFold(e, "secrets.GITHUB_TOKEN"):
		return "ci"
	case strings.HasPrefix(e, "secrets."):
		if k := secretKind(strings.TrimPrefix(e, "secrets.")); k == "ci" {
			return "ci"
		}
		return "secret"
	case strings.HasPrefix(e, "env."):
		return secretKind(strings.TrimPrefix(e, "env."))
	case strings.HasPrefix(e, "toJSON(secrets") || strings.HasPrefix(e, "toJson(secrets"):
		return "secret"
	}
	return ""
}

// sensitiveFileRe matches paths of credential files.
var sensitiveFileRe = regexp.MustCompile(`(~|\$\{?HOME\}?|/root|/home/[^/\s]+)?/\.(ssh|aws|gnupg|kube|docker/config\.json|netrc|npmrc|pypirc|git-credentials|config/gcloud)\b|\.git/config\b|/etc/(passwd|shadow)\b|\bid_(rsa|ed25519|ecdsa)\b`)

// untrustedExprRe matches GitHub Actions contexts an outsider controls.
var untrustedExprRe = regexp.MustCompile(`github\.event\.(issue\.(title|body)|pull_request\.(title|body|head\.ref|head\.label|head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|pages\.[^.\s]+\.page_name|commits\.[^.\s]+\.(message|author\.(email|name))|head_commit\.(message|author\.(email|name))|workflow_run\.(head_branch|head_commit\.(message|author\.(email|name))|display_title|pull_requests\.[^.\s]+\.head\.ref)|discussion\.(title|body)|discussion_comment\.body)|github\.head_ref|\bgithub\.event\.[\w.\[\]*]+\.(title|body|message)\b`)

// untrustedAzureRe and untrustedCircleRe are the equivalents for Azure
// Pipelines macros and CircleCI pipeline values.
var (
	untrustedAzureRe  = regexp.MustCompile(`\$\((System\.PullRequest\.(SourceBranch|SourceBranchName|PullRequestTitle|SourceCommitMessage)|Build\.(SourceVersionMessage|SourceBranchName|SourceBranch|RequestedFor))\)`)
	untrustedCircleRe = regexp.MustCompile(`^pipeline\.(git\.(branch|tag)|trigger_parameters\.[\w.]*(commit_message|branch|title|body|ref)[\w.]*)$`)
	untrustedJenkins  = regexp.MustCompile(`\$\{?(env\.)?(CHANGE_TITLE|CHANGE_BRANCH|BRANCH_NAME|CHANGE_AUTHOR_DISPLAY_NAME|CHANGE_AUTHOR_EMAIL|GIT_COMMIT_MESSAGE|TAG_NAME)\b`)
)

// isUntrustedExpr reports whether a template expression is attacker-controlled.
func isUntrustedExpr(e string) bool {
	return untrustedExprRe.MatchString(e) || untrustedCircleRe.MatchString(strings.TrimSpace(e))
}

// verifiers are commands that check integrity of a downloaded file.
func isVerifier(name string, args []string) bool {
	switch strings.ToLower(name) {
	case "sha256sum", "sha512sum", "sha384sum", "sha1sum", "shasum", "b2sum", "gpgv", "minisign", "signify",
		"cosign", "slsa-verifier", "get-filehash", "certutil", "rekor-cli", "sigstore":
		return true
	case "gpg", "gpg2":
		return hasFlag(args, "--verify")
	case "openssl":
		return len(args) > 0 && (args[0] == "dgst" || args[0] == "sha256")
	case "gh":
		return len(args) > 1 && args[0] == "attestation" && args[1] == "verify"
	case "echo", "printf", "[", "test":
		return false
	}
	return false
}
