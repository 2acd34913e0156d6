package secrets

import "github.com/picketsec/picket/scanners"

// chatRules: messaging, e-mail and notification services.
var chatRules = []def{
	{
		name: "slack-bot-token", title: "Slack bot token", provider: "Slack (app settings → OAuth & Permissions → revoke)", sev: scanners.High,
		keywords: []string{"xoxb-"}, re: `\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{20,32})\b`, group: 1,
	},
	{
		name: "slack-user-token", title: "Slack user token", provider: "Slack (revoke the token)", sev: scanners.High,
		keywords: []string{"xoxp-", "xoxa-", "xoxr-", "xoxs-"}, re: `\b(xox[pars]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})\b`, group: 1,
	},
	{
		name: "slack-app-token", title: "Slack app-level token", provider: "Slack (app settings → App-Level Tokens)", sev: scanners.High,
		keywords: []string{"xapp-"}, re: `\b(xapp-\d-[A-Z0-9]{9,12}-\d{10,13}-[a-f0-9]{64})\b`, group: 1,
	},
	{
		name: "slack-config-token", long: true, title: "Slack configuration token", provider: "Slack (revoke the configuration token)", sev: scanners.High,
		keywords: []string{"xoxe.xox", "xoxe-"}, re: `\b(xoxe\.xox[bp]-\d-[A-Z0-9]{163,166}|xoxe-\d-[A-Z0-9]{146})\b`, group: 1,
	},
	{
		name: "slack-webhook", title: "Slack incoming webhook URL", provider: "Slack (app settings → Incoming Webhooks → remove)", sev: scanners.Medium,
		keywords: []string{"hooks.slack.com/"}, re: `(hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56})`, group: 1,
		check: func(s string, _ []byte) bool { _, _, d, _ := classes(s); return d },
		why:   "Anyone with a Slack webhook URL can post messages, including convincing phishing, into the channel it belongs to.",
	},
	{
		name: "discord-webhook", title: "Discord webhook URL", provider: "Discord (channel settings → Integrations → Webhooks)", sev: scanners.Medium,
		keywords: []string{"discord.com/api/webhooks/", "discordapp.com/api/webhooks/"}, re: `(discord(?:app)?\.com/api/webhooks/\d{17,20}/[A-Za-z0-9_\-]{60,68})`, group: 1,
	},
	{
		name: "discord-bot-token", title: "Discord bot token", provider: "Discord (Developer Portal → Bot → Reset Token)", sev: scanners.High,
		keywords: []string{"discord"}, re: `(?:^|[^A-Za-z0-9_\-.])([MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38})(?:[^A-Za-z0-9_\-.]|$)`, group: 1, entropy: 4,
	},
	{
		name: "telegram-bot-token", title: "Telegram bot token", provider: "Telegram (@BotFather → /revoke)", sev: scanners.High,
		keywords: []string{":AA"}, exact: true, re: `(?:^|[^0-9A-Za-z])(\d{8,10}:AA[0-9A-Za-z_\-]{33})(?:[^0-9A-Za-z_\-]|$)`, group: 1,
	},
	{
		name: "teams-webhook", title: "Microsoft Teams incoming webhook URL", provider: "Microsoft Teams (remove the connector)", sev: scanners.Medium,
		keywords: []string{".webhook.office.com/"}, re: `(https://[a-z0-9\-]+\.webhook\.office\.com/webhookb2/[a-f0-9\-]{36}@[a-f0-9\-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9\-]{36}(?:/[A-Za-z0-9_\-]+)?)`, group: 1,
	},
	{
		name: "twilio-api-key", title: "Twilio API key", provider: "Twilio (Console → API keys)", sev: scanners.High,
		keywords: []string{"twilio"}, re: `\b(SK[0-9a-f]{32})\b`, group: 1, entropy: 3,
	},
	{
		name: "twilio-auth-token", title: "Twilio auth token", provider: "Twilio (Console → rotate the auth token)", sev: scanners.Critical,
		keywords: []string{"twilio"}, re: named(`twilio[\w.\-]{0,20}(?:auth|token|secret)`, `[0-9a-f]{32}`), group: 1, entropy: 3,
	},
	{
		name: "sendgrid-api-key", title: "SendGrid API key", provider: "SendGrid (Settings → API Keys)", sev: scanners.High,
		keywords: []string{"SG."}, exact: true, re: `\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})\b`, group: 1, entropy: 4,
	},
	{
		name: "mailgun-api-key", title: "Mailgun API key", provider: "Mailgun (API Security → rotate)", sev: scanners.High,
		keywords: []string{"key-"}, re: `\b(key-[0-9a-f]{32})\b`, group: 1, entropy: 3,
	},
	{
		name: "mailchimp-api-key", title: "Mailchimp API key", provider: "Mailchimp (Account → Extras → API keys)", sev: scanners.High,
		keywords: []string{"-us"}, re: `\b([0-9a-f]{32}-us\d{1,2})\b`, group: 1, entropy: 3,
	},
	{
		name: "brevo-api-key", title: "Brevo (Sendinblue) API key", provider: "Brevo (SMTP & API → API keys)", sev: scanners.High,
		keywords: []string{"xkeysib-", "xsmtpsib-"}, re: `\b(x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})\b`, group: 1,
	},
	{
		name: "postmark-server-token", title: "Postmark server token", provider: "Postmark (Server → API Tokens)", sev: scanners.High,
		keywords: []string{"postmark"}, re: named(`postmark[\w.\-]{0,20}(?:token|key)`, `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), group: 1,
	},
}

// paymentRules: payments and commerce.
var paymentRules = []def{
	{
		name: "stripe-secret-key", long: true, title: "Stripe live secret key", provider: "Stripe (Dashboard → Developers → API keys → roll key)", sev: scanners.Critical,
		keywords: []string{"sk_live_"}, re: `\b(sk_live_[A-Za-z0-9]{24,247})\b`, group: 1, entropy: 3.5,
		why: "A Stripe live secret key can create charges, issue refunds and read customer data of the live account.",
	},
	{
		name: "stripe-restricted-key", long: true, title: "Stripe live restricted key", provider: "Stripe (Dashboard → Developers → API keys)", sev: scanners.High,
		keywords: []string{"rk_live_"}, re: `\b(rk_live_[A-Za-z0-9]{24,247})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "stripe-test-key", long: true, title: "Stripe test-mode secret key", provider: "Stripe (Dashboard → Developers → API keys, test mode)", sev: scanners.Low,
		keywords: []string{"sk_test_", "rk_test_"}, re: `\b([sr]k_test_[A-Za-z0-9]{24,247})\b`, group: 1, entropy: 3.5,
		why: "A Stripe test key cannot move money, but it exposes the test account's data and configuration and is often a sign that live keys are handled the same way.",
	},
	{
		name: "stripe-webhook-secret", title: "Stripe webhook signing secret", provider: "Stripe (Webhooks → roll secret)", sev: scanners.High,
		keywords: []string{"whsec_"}, re: `\b(whsec_[A-Za-z0-9+/]{32,})`, group: 1, entropy: 3.5,
	},
	{
		name: "square-access-token", title: "Square access token", provider: "Square (Developer Dashboard → Credentials)", sev: scanners.Critical,
		keywords: []string{"sq0atp-", "EAAA"}, re: `\b(sq0atp-[0-9A-Za-z_\-]{22}|EAAA[A-Za-z0-9_\-+=]{60})\b`, group: 1, entropy: 3.5,
	},
	{
		name: "square-oauth-secret", title: "Square OAuth application secret", provider: "Square (Developer Dashboard → OAuth)", sev: scanners.High,
		keywords: []string{"sq0csp-"}, re: `\b(sq0csp-[0-9A-Za-z_\-]{43})\b`, group: 1,
	},
	{
		name: "braintree-access-token", title: "PayPal Braintree access token", provider: "Braintree (API keys)", sev: scanners.Critical,
		keywords: []string{"access_token$production$", "access_token$sandbox$"}, re: `\b(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})\b`, group: 1,
	},
	{
		name: "shopify-access-token", title: "Shopify access token", provider: "Shopify (app settings → API credentials)", sev: scanners.High,
		keywords: []string{"shpat_", "shpca_"}, re: `\b(shp(?:at|ca)_[a-fA-F0-9]{32})\b`, group: 1,
	},
	{
		name: "shopify-private-app-password", title: "Shopify private app password", provider: "Shopify", sev: scanners.High,
		keywords: []string{"shppa_"}, re: `\b(shppa_[a-fA-F0-9]{32})\b`, group: 1,
	},
	{
		name: "shopify-shared-secret", title: "Shopify app shared secret", provider: "Shopify", sev: scanners.High,
		keywords: []string{"shpss_"}, re: `\b(shpss_[a-fA-F0-9]{32})\b`, group: 1,
	},
	{
		name: "plaid-access-token", title: "Plaid access token", provider: "Plaid (invalidate the Item's access token)", sev: scanners.High,
		keywords: []string{"access-production-", "access-development-"}, re: `\b(access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`, group: 1,
	},
	{
		name: "shippo-api-token", title: "Shippo API token", provider: "Shippo", sev: scanners.High,
		keywords: []string{"shippo_live_", "shippo_test_"}, re: `\b(shippo_(?:live|test)_[a-f0-9]{40})\b`, group: 1,
	},
	{
		name: "easypost-api-key", title: "EasyPost API key", provider: "EasyPost", sev: scanners.High,
		keywords: []string{"EZAK", "EZTK"}, exact: true, re: `\b(EZ[AT]K[A-Za-z0-9]{54})\b`, group: 1, entropy: 4,
	},
}
