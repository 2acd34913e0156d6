Stripe.api_key = "sk_test_69DGbiyAgfEXtSOd1enmydJvNVZcaxzSIO"
