package secrets

import (
	"encoding/base64"
	"strings"

	"github.com/picketsec/picket/scanners"
)

// registryRules: package registries and container registries.
var registryRules = []def{
	{
		name: "npm-token", title: "npm access token", provider: "npm (Access Tokens → delete)", sev: scanners.Critical,
		keywords: []string{"npm_"}, re: `\b(npm_[A-Za-z0-9]{36})\b`, group: 1, check: checkCRC32Token,
		why: "An npm token can publish new versions of your packages: a supply-chain attack on everyone who installs them.",
	},
	{
		name: "npmrc-auth", title: "Registry credential in .npmrc", provider: "the package registry", sev: scanners.High,
		keywords: []string{"_authtoken", "_auth=", "_auth =", "_password"},
		re:       `(?:^|:)(?i:_authToken|_auth|_password)\s*=\s*["']?([^\s"'#;]{8,})`, group: 1, prio: prioContext,
		check: func(s string, _ []byte) bool { return !isReference(s) && entropy(s) >= 3 },
	},
	{
		name: "pypi-token", long: true, title: "PyPI upload token", provider: "PyPI (Account settings → API tokens)", sev: scanners.Critical,
		keywords: []string{"pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"}, exact: true, re: `\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})`, group: 1,
		why: "A PyPI token can upload new releases of your projects: a supply-chain attack on everyone who installs them.",
	},
	{
		name: "rubygems-api-key", title: "RubyGems API key", provider: "RubyGems.org (Settings → API keys)", sev: scanners.Critical,
		keywords: []string{"rubygems_"}, re: `\b(rubygems_[a-f0-9]{48})\b`, group: 1,
	},
	{
		name: "nuget-api-key", title: "NuGet API key", provider: "nuget.org (API Keys)", sev: scanners.High,
		keywords: []string{"oy2"}, exact: true, re: `\b(oy2[a-z0-9]{43})\b`, group: 1, entropy: 4,
	},
	{
		name: "clojars-token", title: "Clojars deploy token", provider: "Clojars", sev: scanners.High,
		keywords: []string{"CLOJARS_"}, re: `\b(CLOJARS_[a-z0-9]{60})\b`, group: 1,
	},
	{
		name: "dockerhub-pat", title: "Docker Hub personal access token", provider: "Docker Hub (Account settings → Personal access tokens)", sev: scanners.High,
		keywords: []string{"dckr_pat_", "dckr_oat_"}, re: `\b(dckr_(?:pat|oat)_[A-Za-z0-9_\-]{27,32})(?:[^A-Za-z0-9_\-]|$)`, group: 1, entropy: 3.5,
	},
	{
		name: "docker-config-auth", title: "Registry credential in a Docker config.json", provider: "the container registry", sev: scanners.High,
		keywords: []string{`"auth":`, `"auth" :`}, re: `"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})"`, group: 1, prio: prioContext, noFilter: true,
		check: checkDockerAuth,
		why:   "A Docker config auths entry is base64 of user:password: anyone can decode it and push or pull images as that user.",
	},
	{
		name: "artifactory-token", title: "JFrog Artifactory API key or reference token", provider: "JFrog (User profile → API key / tokens)", sev: scanners.High,
		keywords: []string{"AKCp", "cmVmdGtu"}, exact: true, re: `\b(AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56})\b`, group: 1, entropy: 4,
	},
}

// checkDockerAuth accepts base64 "user:password" with a real password.
func checkDockerAuth(s string, _ []byte) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	user, pass, ok := strings.Cut(string(b), ":")
	return ok && user != "" && len(pass) >= 4 && !isPlaceholder(pass) && !isDefaultPassword(pass, user)
}

// aiRules: AI and machine-learning platforms.
var aiRules = []def{
	{
		name: "openai-api-key", long: true, title: "OpenAI API key", provider: "OpenAI (API keys)", sev: scanners.High,
		keywords: []string{"T3BlbkFJ"}, exact: true, re: `\b(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_\-]{16,200}T3BlbkFJ[A-Za-z0-9_\-]{16,200})\b`, group: 1, entropy: 4,
	},
	{
		name: "anthropic-api-key", title: "Anthropic API key", provider: "Anthropic (Console → API keys)", sev: scanners.High,
		keywords: []string{"sk-ant-"}, re: `\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,100}AA)(?:[^A-Za-z0-9_\-]|$)`, group: 1, entropy: 4,
	},
	{
		name: "huggingface-token", title: "Hugging Face access token", provider: "Hugging Face (Settings → Access Tokens)", sev: scanners.High,
		keywords: []string{"hf_", "api_org_"}, exact: true, re: `\b((?:hf|api_org)_[A-Za-z]{34})\b`, group: 1, entropy: 4,
		check: func(s string, _ []byte) bool { _, u, _, _ := classes(s); return u },
	},
	{
		name: "groq-api-key", title: "Groq API key", provider: "Groq (Console → API Keys)", sev: scanners.High,
		keywords: []string{"gsk_"}, re: `\b(gsk_[A-Za-z0-9]{52})\b`, group: 1, entropy: 4,
	},
	{
		name: "replicate-api-token", title: "Replicate API token", provider: "Replicate (Account → API tokens)", sev: scanners.High,
		keywords: []string{"r8_"}, re: `\b(r8_[A-Za-z0-9]{37})\b`, group: 1, entropy: 4,
	},
	{
		name: "perplexity-api-key", title: "Perplexity API key", provider: "Perplexity (API settings)", sev: scanners.High,
		keywords: []string{"pplx-"}, re: `\b(pplx-[A-Za-z0-9]{48})\b`, group: 1, entropy: 4,
	},
	{
		name: "xai-api-key", title: "xAI API key", provider: "xAI (Console → API keys)", sev: scanners.High,
		keywords: []string{"xai-"}, re: `\b(xai-[A-Za-z0-9]{80})\b`, group: 1, entropy: 4,
	},
	{
		name: "langsmith-api-key", title: "LangSmith API key", provider: "LangSmith (Settings → API Keys)", sev: scanners.High,
		keywords: []string{"lsv2_"}, re: `\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b`, group: 1,
	},
}
