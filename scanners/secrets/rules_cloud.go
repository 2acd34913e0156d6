package secrets

import "github.com/picketsec/picket/scanners"

// assignOp is the assignment between a name and a value in code and
// configuration: =, :=, :, =>, with optional quotes around either side.
const assignOp = "[\"'`]?\\s*(?:=|:=|:|=>|\\?=)\\s*[\"'`]?"

// named builds a regex for a value of shape value assigned to a name that
// matches names (case-insensitively) plus up to 20 more name characters.
func named(names, value string) string {
	return `(?i:` + names + `)[\w.\-]{0,20}` + assignOp + `(` + value + `)(?:[^A-Za-z0-9_+/=\-]|$)`
}

// cloudRules: cloud providers and infrastructure platforms.
var cloudRules = []def{
	{
		name: "aws-access-key-id", title: "AWS access key ID", provider: "AWS IAM", sev: scanners.High,
		keywords: []string{"AKIA", "ASIA", "ABIA", "ACCA"}, exact: true,
		re: `\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b`, group: 1, entropy: 3,
		why:     "An AWS access key ID identifies an IAM credential; it is almost always committed together with its secret key, and alone it reveals the account and user to an attacker.",
		refs:    []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"},
		example: "AKIA2E0A8F3B244C9986",
	},
	{
		name: "aws-secret-access-key", title: "AWS secret access key", provider: "AWS IAM", sev: scanners.Critical,
		keywords: []string{"secret_access_key", "secretaccesskey", "secret-access-key", "aws_secret", "awssecret", "aws-secret", "secret_key"},
		re:       named(`aws_?secret_?access_?key|secret_?access_?key|secret-access-key|aws_?secret(?:_?key)?|aws-secret-key|aws_secret_key|secret_key`, `[A-Za-z0-9/+]{40}`), group: 1, entropy: 4,
		check: func(s string, line []byte) bool { return hasUpperLowerDigit(s) },
		refs:  []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"},
	},
	{
		name: "aws-secret-access-key-pair", title: "AWS secret access key next to its key ID", provider: "AWS IAM", sev: scanners.Critical,
		keywords: []string{"AKIA", "ASIA"}, exact: true, find: findAWSPair, prio: prioContext,
		why: "An AWS access key ID with its secret key, as in a downloaded credentials.csv or a pasted snippet, signs API requests as the IAM user or role.",
	},
	{
		name: "aws-session-token", long: true, title: "AWS session token", provider: "AWS STS (revoke the role session)", sev: scanners.High,
		keywords: []string{"IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "FQoGZXIvYXdz"}, exact: true,
		re: `\b((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{100,})`, group: 1,
		why: "An AWS session token, with its key pair, grants the role's permissions until it expires, often for hours.",
	},
	{
		name: "aws-mws-key", title: "Amazon MWS auth token", provider: "Amazon Seller Central", sev: scanners.High,
		keywords: []string{"amzn.mws."}, re: `\b(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`, group: 1,
	},
	{
		name: "aws-bedrock-api-key", long: true, title: "Amazon Bedrock API key", provider: "AWS IAM", sev: scanners.High,
		keywords: []string{"ABSK"}, exact: true, re: `\b(ABSK[A-Za-z0-9+/]{100,}={0,2})`, group: 1, entropy: 4.5,
	},
	{
		name: "gcp-service-account-key", long: true, title: "Google Cloud service account key", provider: "Google Cloud IAM (delete the key)", sev: scanners.Critical,
		keywords: []string{`"private_key":`, `"private_key" :`},
		re:       `"private_key"\s*:\s*"(-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/=\\]{64,}?-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"`, group: 1,
		prio: prioComposite, noFilter: true,
		check: func(s string, _ []byte) bool { return !isPlaceholder(stripPEM(s)) },
		why:   "A service-account JSON key signs in as the service account with all its IAM roles, for as long as the key exists (keys do not expire by default).",
		refs:  []string{"https://cloud.google.com/iam/docs/keys-create-delete"},
	},
	{
		name: "gcp-api-key", title: "Google API key", provider: "Google Cloud (APIs & Services → Credentials)", sev: scanners.High,
		keywords: []string{"AIza"}, exact: true, re: `\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)`, group: 1, entropy: 3.5,
	},
	{
		name: "gcp-oauth-client-secret", title: "Google OAuth client secret", provider: "Google Cloud (APIs & Services → Credentials)", sev: scanners.High,
		keywords: []string{"GOCSPX-"}, exact: true, re: `\b(GOCSPX-[A-Za-z0-9_\-]{28})(?:[^A-Za-z0-9_\-]|$)`, group: 1,
	},
	{
		name: "google-oauth-access-token", long: true, title: "Google OAuth access token", provider: "Google (revoke the grant)", sev: scanners.High,
		keywords: []string{"ya29."}, exact: true, re: `\b(ya29\.[0-9A-Za-z_\-]{30,})`, group: 1, entropy: 4,
	},
	{
		name: "google-oauth-refresh-token", long: true, title: "Google OAuth refresh token", provider: "Google (revoke the grant)", sev: scanners.High,
		keywords: []string{"1//0"}, re: `(?:^|[^A-Za-z0-9/])(1//0[0-9A-Za-z_\-]{40,})`, group: 1, entropy: 4,
	},
	{
		name: "azure-storage-connection-string", title: "Azure storage account key", provider: "Azure (rotate the storage account key)", sev: scanners.Critical,
		keywords: []string{"accountkey="}, re: `(?i:AccountKey)=([A-Za-z0-9+/]{86}==)`, group: 1, entropy: 4,
		why: "An Azure storage account key gives full control of every blob, queue, table and file share in the account.",
	},
	{
		name: "azure-storage-account-key", title: "Azure storage account key in a variable", provider: "Azure (rotate the storage account key)", sev: scanners.Critical,
		keywords: []string{"storage_key", "storagekey", "storage_account_key", "storageaccountkey", "account_key", "accountkey", "azure_storage"},
		re:       named(`azure_?storage_?(?:account_?)?key|storage_?account_?key|storage_?key|account_?key|azure_storage_access_key`, `[A-Za-z0-9+/]{86}==`), group: 1, entropy: 4, prio: prioContext,
	},
	{
		name: "azure-shared-access-key", title: "Azure Service Bus / Event Hubs shared access key", provider: "Azure (regenerate the SAS policy keys)", sev: scanners.High,
		keywords: []string{"sharedaccesskey="}, re: `(?i:SharedAccessKey)=([A-Za-z0-9+/]{43}=)`, group: 1, entropy: 4,
	},
	{
		name: "azure-sas-token", long: true, title: "Azure shared access signature", provider: "Azure (rotate the key that signed it)", sev: scanners.High,
		keywords: []string{"sig="}, re: `[?&]sv=\d{4}-\d{2}-\d{2}&[^\s"'<>]*?\bsig=([A-Za-z0-9%+/]{40,}(?:%3D|=)?)`, group: 1,
	},
	{
		name: "azure-ad-client-secret", title: "Microsoft Entra ID (Azure AD) client secret", provider: "Microsoft Entra ID (app registration → Certificates & secrets)", sev: scanners.High,
		keywords: []string{"Q~"}, exact: true, re: `(?:^|[^A-Za-z0-9_~.\-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:[^A-Za-z0-9_~.\-]|$)`, group: 1, entropy: 3.5,
	},
	{
		name: "digitalocean-pat", title: "DigitalOcean personal access token", provider: "DigitalOcean (API → Tokens)", sev: scanners.Critical,
		keywords: []string{"dop_v1_"}, re: `\b(dop_v1_[a-f0-9]{64})\b`, group: 1,
	},
	{
		name: "digitalocean-oauth-token", title: "DigitalOcean OAuth token", provider: "DigitalOcean", sev: scanners.High,
		keywords: []string{"doo_v1_", "dor_v1_"}, re: `\b(do[or]_v1_[a-f0-9]{64})\b`, group: 1,
	},
	{
		name: "heroku-api-key", title: "Heroku API key", provider: "Heroku (Account → API Key → Regenerate)", sev: scanners.High,
		keywords: []string{"heroku", "HRKU-"},
		re:       `(?i:heroku[\w.\-]{0,20}(?:key|token|secret|password))` + assignOp + `([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b|\b(HRKU-[A-Za-z0-9_\-]{60})\b`,
		group:    1,
	},
	{
		name: "alibaba-access-key-id", title: "Alibaba Cloud AccessKey ID", provider: "Alibaba Cloud RAM", sev: scanners.High,
		keywords: []string{"LTAI"}, exact: true, re: `\b(LTAI[a-zA-Z0-9]{20})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "cloudflare-api-token", title: "Cloudflare API token", provider: "Cloudflare (My Profile → API Tokens)", sev: scanners.High,
		keywords: []string{"cloudflare", "cf_api"}, re: named(`cloudflare|cf_api`, `[A-Za-z0-9_\-]{40}`), group: 1, entropy: 4,
		check: func(s string, _ []byte) bool { return hasUpperLowerDigit(s) },
	},
	{
		name: "cloudflare-origin-ca-key", long: true, title: "Cloudflare Origin CA key", provider: "Cloudflare", sev: scanners.High,
		keywords: []string{"v1.0-"}, re: `\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b`, group: 1,
	},
	{
		name: "hashicorp-vault-token", long: true, title: "HashiCorp Vault token", provider: "Vault (vault token revoke)", sev: scanners.Critical,
		keywords: []string{"hvs.", "hvb."}, exact: true, re: `\b(hv[sb]\.[A-Za-z0-9_\-]{90,})`, group: 1, entropy: 4,
	},
	{
		name: "terraform-cloud-token", title: "Terraform Cloud / Enterprise API token", provider: "HCP Terraform (User settings → Tokens)", sev: scanners.Critical,
		keywords: []string{".atlasv1."}, re: `\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70})`, group: 1,
	},
	{
		name: "doppler-token", title: "Doppler token", provider: "Doppler", sev: scanners.High,
		keywords: []string{"dp.pt.", "dp.st.", "dp.sa.", "dp.ct."}, re: `\b(dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44})\b`, group: 1, entropy: 4,
	},
	{
		name: "pulumi-access-token", title: "Pulumi access token", provider: "Pulumi Cloud", sev: scanners.High,
		keywords: []string{"pul-"}, re: `\b(pul-[a-f0-9]{40})\b`, group: 1,
	},
	{
		name: "supabase-access-token", title: "Supabase access token", provider: "Supabase (Account → Access Tokens)", sev: scanners.High,
		keywords: []string{"sbp_"}, re: `\b(sbp_[a-f0-9]{40})\b`, group: 1,
	},
	{
		name: "planetscale-token", title: "PlanetScale token or password", provider: "PlanetScale", sev: scanners.High,
		keywords: []string{"pscale_tkn_", "pscale_pw_", "pscale_oauth_"}, re: `\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\-]{32,64})\b`, group: 1,
	},
	{
		name: "tailscale-key", title: "Tailscale auth or API key", provider: "Tailscale (Settings → Keys)", sev: scanners.High,
		keywords: []string{"tskey-"}, re: `\b(tskey-(?:api|auth|client|webhook|scim)-[A-Za-z0-9]+-[A-Za-z0-9]{20,})\b`, group: 1,
	},
	{
		name: "databricks-token", title: "Databricks personal access token", provider: "Databricks (User settings → Access tokens)", sev: scanners.High,
		keywords: []string{"dapi"}, exact: true, re: `\b(dapi[a-f0-9]{32}(?:-\d)?)\b`, group: 1, entropy: 3,
	},
}

func hasUpperLowerDigit(s string) bool {
	l, u, d, _ := classes(s)
	return l && u && d
}

// findAWSPair looks for an unnamed 40-character secret key on the line of
// an access key ID or the two lines after it (credentials.csv, pasted
// snippets); named secret keys are aws-secret-access-key's.
func findAWSPair(c *scanCtx, hs, he int) ([]span, int) {
	ls, le := c.lineBounds(hs)
	for range 2 {
		if le < len(c.data) {
			_, le = c.lineBounds(le + 1)
		}
	}
	d := c.data
	for i := ls; i < le; {
		if !isBase64Char(d[i]) || d[i] == '=' {
			i++
			continue
		}
		j := i
		for j < le && isBase64Char(d[j]) && d[j] != '=' {
			j++
		}
		if j-i == 40 && (i == 0 || d[i-1] != '-' && d[i-1] != '_') && (j == len(d) || d[j] != '-' && d[j] != '_') {
			v := string(d[i:j])
			if hasUpperLowerDigit(v) && entropy(v) >= 4.2 && !isPlaceholder(v) {
				return []span{{i, j, v}}, le
			}
		}
		i = j
	}
	return nil, le
}
