// Package secrets is Picket's credential scanner: 127 built-in rules plus
// custom rules from Picket's configuration or a gitleaks TOML file.
//
// How it scans (speed by design): one pass of a case-insensitive
// Aho–Corasick automaton (matcher.go) over the bytes finds every rule
// keyword; a rule runs only around its hits — its regular expression on a
// window of the hit's line, or a hand-written finder — and never over the
// whole file. Candidates then pass entropy, character-class, checksum and
// placeholder filters (filter.go), and overlapping candidates keep the most
// specific rule (a GitHub token in a URL is a github-pat, not a
// url-password). A raw secret never leaves the package: findings carry
// scanners.Redact(secret) as evidence and a SHA-256 of it as Match.
//
// Rule families, one file each:
//   - rules_cloud.go: AWS (key id, secret key, session token), Google
//     Cloud (service-account JSON, API keys, OAuth), Azure (storage keys and
//     connection strings, SAS, Entra client secrets), DigitalOcean, Heroku,
//     Alibaba, Cloudflare, Vault, Terraform Cloud, Doppler, Pulumi…
//   - rules_vcs.go: GitHub (classic, fine-grained, OAuth, app, refresh;
//     the CRC32 checksum of the new token formats is verified), GitLab,
//     Bitbucket, Atlassian, CI services.
//   - rules_saas.go: Slack tokens and webhooks, Discord, Telegram, Teams,
//     Twilio, SendGrid, Mailgun, Mailchimp; Stripe, Square, Braintree,
//     Shopify, Plaid.
//   - rules_registry.go: npm (token and .npmrc auth), PyPI, RubyGems,
//     NuGet, Docker Hub and docker config.json auths, Artifactory; AI
//     platforms (OpenAI, Anthropic, Hugging Face, Groq…).
//   - rules_devtools.go: Datadog, New Relic, Sentry (DSN and tokens),
//     Grafana, Dynatrace and developer SaaS.
//   - rules_keys.go: PEM, OpenSSH, PGP and PuTTY private keys (one
//     finding from BEGIN to END line), kubeconfig client keys, JWTs (header
//     and payload must decode), Kubernetes Secret data and stringData.
//   - rules_generic.go, assign.go: high-entropy values assigned to
//     secret-like names in code (string literals only), configuration and
//     .env files (bare values too), passwords, URLs with inline passwords,
//     Authorization headers and connection strings. The two generic
//     assignment rules stay silent in tests and fixture directories
//     (testdata/, fixtures/, *_test.go…), where such values are test
//     vectors far more often than leaks; provider formats still fire there.
//
// Custom rules (Options.Rules, or a gitleaks TOML via LoadGitleaks) get ids
// "secrets/custom-<id>"; with keywords they join the keyword pass, without
// them their regex runs line by line over the whole file (slower).
//
// It imports diff, scanners and scanners/config only; it must not import
// app, cmd, GitHub clients or other scanners.
package secrets
