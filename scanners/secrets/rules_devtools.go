package secrets

import "github.com/picketsec/picket/scanners"

// observabilityRules: monitoring, logging and error tracking.
var observabilityRules = []def{
	{
		name: "datadog-api-key", title: "Datadog API key", provider: "Datadog (Organization settings → API keys)", sev: scanners.High,
		keywords: []string{"datadog", "dd_api", "dd-api", "ddapi"}, re: named(`datadog[\w.\-]{0,10}api[\w.\-]{0,5}key|dd[_\-]?api[_\-]?key`, `[a-f0-9]{32}`), group: 1, entropy: 3,
	},
	{
		name: "datadog-app-key", title: "Datadog application key", provider: "Datadog (Organization settings → Application keys)", sev: scanners.High,
		keywords: []string{"datadog", "dd_app", "dd-app", "ddapp"}, re: named(`datadog[\w.\-]{0,10}app(?:lication)?[\w.\-]{0,5}key|dd[_\-]?app(?:lication)?[_\-]?key`, `[a-f0-9]{40}`), group: 1, entropy: 3,
	},
	{
		name: "newrelic-user-api-key", title: "New Relic user API key", provider: "New Relic (API keys)", sev: scanners.High,
		keywords: []string{"NRAK-"}, re: `\b(NRAK-[A-Z0-9]{27})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "newrelic-insert-key", title: "New Relic insert or browser key", provider: "New Relic (API keys)", sev: scanners.Medium,
		keywords: []string{"NRII-", "NRJS-"}, re: `\b(NRII-[A-Za-z0-9_\-]{32}|NRJS-[a-f0-9]{19})\b`, group: 1, entropy: 3,
	},
	{
		name: "newrelic-license-key", title: "New Relic license (ingest) key", provider: "New Relic (API keys)", sev: scanners.High,
		keywords: []string{"NRAL"}, exact: true, re: `\b([a-f0-9]{36}NRAL)\b`, group: 1, entropy: 3,
	},
	{
		name: "sentry-dsn", title: "Sentry DSN", provider: "Sentry (Project settings → Client Keys → revoke)", sev: scanners.Low,
		keywords: []string{"sentry.io", "@sentry.", "ingest."},
		re:       `(https?://[0-9a-f]{32}(?::[0-9a-f]{32})?@(?:o\d+\.)?(?:ingest\.(?:[a-z]{2}\.)?sentry\.io|sentry\.[a-z0-9.\-]+|[a-z0-9.\-]*sentry[a-z0-9.\-]*)/\d+)`, group: 1, prio: prioContext,
		why: "A Sentry DSN lets anyone send events to your project: spam, quota exhaustion and forged error reports. In browser code it is public by design; on a server it should stay private (a DSN with a secret part always should).",
		fix: "If the DSN is used only server-side, revoke the client key in Sentry and load a new DSN from the environment. For browser bundles, restrict allowed domains and rate limits instead.",
	},
	{
		name: "sentry-auth-token", long: true, title: "Sentry auth token", provider: "Sentry (User settings → Auth Tokens)", sev: scanners.High,
		keywords: []string{"sntrys_", "sntryu_"}, re: `\b(sntrys_eyJ[A-Za-z0-9+/=_\-]{60,}|sntryu_[a-f0-9]{64})`, group: 1,
	},
	{
		name: "grafana-token", long: true, title: "Grafana Cloud or service-account token", provider: "Grafana (Access policies / Service accounts)", sev: scanners.High,
		keywords: []string{"glc_", "glsa_"}, re: `\b(glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})`, group: 1, entropy: 4,
	},
	{
		name: "dynatrace-token", title: "Dynatrace API token", provider: "Dynatrace (Access tokens)", sev: scanners.High,
		keywords: []string{"dt0c01."}, re: `\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b`, group: 1,
	},
}

// devtoolRules: developer tools, productivity and other SaaS.
var devtoolRules = []def{
	{
		name: "linear-api-key", title: "Linear API key", provider: "Linear (Settings → API)", sev: scanners.Medium,
		keywords: []string{"lin_api_"}, re: `\b(lin_api_[A-Za-z0-9]{40})\b`, group: 1, entropy: 4,
	},
	{
		name: "notion-token", title: "Notion integration token", provider: "Notion (My integrations)", sev: scanners.Medium,
		keywords: []string{"ntn_", "secret_"}, re: `\b(ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})\b`, group: 1, entropy: 4,
		check: func(s string, _ []byte) bool { return hasUpperLowerDigit(s) },
	},
	{
		name: "postman-api-key", title: "Postman API key", provider: "Postman (Settings → API keys)", sev: scanners.High,
		keywords: []string{"PMAK-"}, re: `\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b`, group: 1,
	},
	{
		name: "figma-token", title: "Figma personal access token", provider: "Figma (Settings → Personal access tokens)", sev: scanners.Medium,
		keywords: []string{"figd_"}, re: `\b(figd_[A-Za-z0-9_\-]{40})\b`, group: 1, entropy: 4,
	},
	{
		name: "mapbox-secret-token", long: true, title: "Mapbox secret access token", provider: "Mapbox (Access tokens)", sev: scanners.High,
		keywords: []string{"sk.eyJ"}, exact: true, re: `\b(sk\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,})`, group: 1, entropy: 4,
	},
	{
		name: "dropbox-access-token", long: true, title: "Dropbox access token", provider: "Dropbox (App Console)", sev: scanners.High,
		keywords: []string{"sl."}, exact: true, re: `(?:^|[^A-Za-z0-9_\-.])(sl\.(?:u\.)?[A-Za-z0-9_\-]{130,})`, group: 1, entropy: 4.5,
	},
	{
		name: "twitter-bearer-token", long: true, title: "X (Twitter) API bearer token", provider: "X Developer Portal (Keys and tokens)", sev: scanners.High,
		keywords: []string{"AAAAAAAAAAAAAAAAAAAAA"}, exact: true, re: `\b(AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{50,120})`, group: 1, noFilter: true,
		check: func(s string, _ []byte) bool { return entropy(s[21:]) >= 4 && !isPlaceholder(s[21:]) },
	},
	{
		name: "age-secret-key", title: "age encryption secret key", provider: "age (generate a new identity and re-encrypt)", sev: scanners.High,
		keywords: []string{"AGE-SECRET-KEY-1"}, re: `\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b`, group: 1,
		fix: "Treat everything encrypted to this identity as exposed: generate a new age identity, re-encrypt the files to it, rotate the secrets they held, and purge the key from history.",
	},
	{
		name: "onepassword-service-account-token", long: true, title: "1Password service account token", provider: "1Password (Developer → Service accounts)", sev: scanners.Critical,
		keywords: []string{"ops_eyJ"}, exact: true, re: `\b(ops_eyJ[A-Za-z0-9+/]{250,}={0,3})`, group: 1,
	},
	{
		name: "infracost-api-key", title: "Infracost API key", provider: "Infracost", sev: scanners.Medium,
		keywords: []string{"ico-"}, re: `\b(ico-[A-Za-z0-9]{32})\b`, group: 1, entropy: 4,
	},
	{
		name: "prefect-api-key", title: "Prefect API key", provider: "Prefect Cloud", sev: scanners.High,
		keywords: []string{"pnu_"}, re: `\b(pnu_[A-Za-z0-9]{36})\b`, group: 1, entropy: 4,
	},
	{
		name: "readme-api-key", title: "ReadMe API key", provider: "ReadMe", sev: scanners.Medium,
		keywords: []string{"rdme_"}, re: `\b(rdme_[a-z0-9]{70})\b`, group: 1, entropy: 4,
	},
	{
		name: "typeform-token", title: "Typeform personal access token", provider: "Typeform", sev: scanners.Medium,
		keywords: []string{"tfp_"}, re: `\b(tfp_[A-Za-z0-9_\-=.]{59})\b`, group: 1, entropy: 4,
	},
	{
		name: "frameio-token", title: "Frame.io API token", provider: "Frame.io", sev: scanners.Medium,
		keywords: []string{"fio-u-"}, re: `\b(fio-u-[A-Za-z0-9_\-=]{64})\b`, group: 1, entropy: 4,
	},
}
