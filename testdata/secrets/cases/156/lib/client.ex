config :acme, api_key: System.get_env("ACME_API_KEY"), secret: {:system, "ACME_SECRET"}
