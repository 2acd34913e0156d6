FAKE_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
DUMMY_KEY = "AKIAXXXXXXXXXXXXXXXX"
TEST_SECRET = "test-secret-value-1234"
