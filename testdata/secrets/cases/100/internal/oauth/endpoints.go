package oauth

const (
	tokenURL     = "https://oauth2.googleapis.com/token"
	tokenHeader  = "X-Auth-Token"
	secretEnvVar = "CLIENT_SECRET"
	apiKeyParam  = "api_key"
)
