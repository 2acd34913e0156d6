package main

func TestToken(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "test-token")
}
