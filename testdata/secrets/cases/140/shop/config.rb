ShopifyAPI::Context.setup(api_key: "abc", api_secret_key: "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")
