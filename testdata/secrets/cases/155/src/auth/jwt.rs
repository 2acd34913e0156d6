let token = encode(&Header::default(), &claims, &EncodingKey::from_secret(secret.as_ref()))?;
let api_key = std::env::var("API_KEY")?;
