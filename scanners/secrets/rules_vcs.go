package secrets

import (
	"hash/crc32"

	"github.com/picketsec/picket/scanners"
)

// vcsRules: source hosting and CI.
var vcsRules = []def{
	{
		name: "github-pat", title: "GitHub personal access token (classic)", provider: "GitHub (Settings → Developer settings → Tokens)", sev: scanners.Critical,
		keywords: []string{"ghp_"}, re: `\b(ghp_[A-Za-z0-9]{36})\b`, group: 1, check: checkCRC32Token,
		refs: []string{"https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/"},
	},
	{
		name: "github-fine-grained-pat", title: "GitHub fine-grained personal access token", provider: "GitHub (Settings → Developer settings → Tokens)", sev: scanners.Critical,
		keywords: []string{"github_pat_"}, re: `\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b`, group: 1, entropy: 4,
	},
	{
		name: "github-oauth-token", title: "GitHub OAuth access token", provider: "GitHub (revoke the OAuth app's grant)", sev: scanners.Critical,
		keywords: []string{"gho_"}, re: `\b(gho_[A-Za-z0-9]{36})\b`, group: 1, check: checkCRC32Token,
	},
	{
		name: "github-app-token", title: "GitHub App user or installation token", provider: "GitHub (revoke via the API or the app's settings)", sev: scanners.High,
		keywords: []string{"ghu_", "ghs_"}, re: `\b(gh[us]_[A-Za-z0-9]{36})\b`, group: 1, check: checkCRC32Token,
	},
	{
		name: "github-refresh-token", long: true, title: "GitHub App refresh token", provider: "GitHub (revoke the app's grant)", sev: scanners.High,
		keywords: []string{"ghr_"}, re: `\b(ghr_[A-Za-z0-9]{36,76})\b`, group: 1, check: checkCRC32Token,
	},
	{
		name: "gitlab-pat", long: true, title: "GitLab personal, project or group access token", provider: "GitLab (Access tokens)", sev: scanners.Critical,
		keywords: []string{"glpat-"}, re: `\b(glpat-[A-Za-z0-9_\-]{20,300})(?:[^A-Za-z0-9_\-.]|\.[0-9a-z]{2}\.|$)`, group: 1, entropy: 3.5,
	},
	{
		name: "gitlab-pipeline-trigger-token", title: "GitLab pipeline trigger token", provider: "GitLab (CI/CD settings → Pipeline triggers)", sev: scanners.High,
		keywords: []string{"glptt-"}, re: `\b(glptt-[0-9a-f]{40})\b`, group: 1,
	},
	{
		name: "gitlab-runner-token", title: "GitLab runner authentication or registration token", provider: "GitLab (reset the runner token)", sev: scanners.High,
		keywords: []string{"glrt-", "GR1348941"}, re: `\b(glrt-[A-Za-z0-9_\-]{20,}|GR1348941[A-Za-z0-9_\-]{20})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "gitlab-deploy-token", title: "GitLab deploy token", provider: "GitLab (Repository settings → Deploy tokens)", sev: scanners.High,
		keywords: []string{"gldt-"}, re: `\b(gldt-[A-Za-z0-9_\-]{20,})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "gitlab-oauth-app-secret", title: "GitLab OAuth application secret", provider: "GitLab (Applications → renew secret)", sev: scanners.High,
		keywords: []string{"gloas-"}, re: `\b(gloas-[A-Za-z0-9_\-]{64})\b`, group: 1,
	},
	{
		name: "bitbucket-app-password", title: "Bitbucket app password", provider: "Bitbucket (Personal settings → App passwords)", sev: scanners.High,
		keywords: []string{"ATBB"}, exact: true, re: `\b(ATBB[A-Za-z0-9_=.\-]{32})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "atlassian-api-token", long: true, title: "Atlassian API token", provider: "Atlassian (Account → Security → API tokens)", sev: scanners.High,
		keywords: []string{"ATATT3"}, exact: true, re: `\b(ATATT3[A-Za-z0-9_\-=]{186})`, group: 1, entropy: 4,
	},
	{
		name: "circleci-token", title: "CircleCI personal API token", provider: "CircleCI (User settings → Personal API tokens)", sev: scanners.High,
		keywords: []string{"CCIPAT_"}, re: `\b(CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b`, group: 1,
	},
	{
		name: "buildkite-token", title: "Buildkite API access token", provider: "Buildkite (Personal settings → API access tokens)", sev: scanners.High,
		keywords: []string{"bkua_"}, re: `\b(bkua_[a-f0-9]{40})\b`, group: 1,
	},
	{
		name: "sonarqube-token", title: "SonarQube / SonarCloud token", provider: "SonarQube (My Account → Security)", sev: scanners.Medium,
		keywords: []string{"sqp_", "squ_", "sqa_"}, re: `\b(sq[pua]_[a-f0-9]{40})\b`, group: 1,
	},
	{
		name: "octopus-deploy-api-key", title: "Octopus Deploy API key", provider: "Octopus Deploy (Profile → API keys)", sev: scanners.High,
		keywords: []string{"API-"}, exact: true, re: `\b(API-[A-Z0-9]{26,32})\b`, group: 1, entropy: 3.5,
		check: func(s string, _ []byte) bool { _, _, d, _ := classes(s[4:]); return d },
	},
}

// checkCRC32Token validates GitHub's and npm's token checksum: the last six
// characters are the base62 CRC32 of the 30 random characters before them.
func checkCRC32Token(s string, _ []byte) bool {
	i := 0
	for i < len(s) && s[i] != '_' {
		i++
	}
	body := s[i+1:]
	if len(body) < 36 {
		return false
	}
	if len(body) > 36 { // refresh tokens: 76 chars, no documented checksum
		return !isPlaceholder(body)
	}
	return base62CRC(body[:30]) == body[30:]
}

const base62Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62CRC is the 6-character, zero-padded base62 CRC32 of s.
func base62CRC(s string) string {
	n := crc32.ChecksumIEEE([]byte(s))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Digits[n%62]
		n /= 62
	}
	return string(out[:])
}
