new_secret = secrets.token_urlsafe(32)
token = jwt.encode(payload, key, algorithm="RS256")
