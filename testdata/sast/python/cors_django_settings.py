DEBUG = False
ALLOWED_HOSTS = ["api.example.com"]
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_ALL_ORIGINS = True  # want: cors-credentials
