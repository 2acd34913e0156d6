package build

import "testing"

func TestHostOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://Get.Example.NET/install.sh", "get.example.net"},
		{"https://user:pw@dl.example.net:8443/x", "dl.example.net"},
		{"git@git.example.net:acme/repo.git", "git.example.net"},
		{"git+ssh://git@git.example.net/acme/repo.git", "git.example.net"},
		{"https://${HOST}/x", ""},
		{"https://${PICKET_E0}/x", ""},
		{"http://localhost:8080/health", "localhost"},
		{"https://intranet/x", ""},
		{"not a url", ""},
	} {
		if got := hostOf(tc.in); got != tc.want {
			t.Errorf("hostOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, h := range []string{"localhost", "127.0.0.1", "10.1.2.3", "host.docker.internal", "printer.local"} {
		if !localHost(h) {
			t.Errorf("localHost(%q) = false", h)
		}
	}
	if localHost("dl.example.net") {
		t.Error("localHost(dl.example.net) = true")
	}
}

func TestSecretKind(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"GITHUB_TOKEN", "ci"}, {"AWS_SECRET_ACCESS_KEY", "ci"}, {"AWS_REGION", ""}, {"AWS_ACCOUNT_ID", ""}, {"AWS_ACCESS_KEY_ID", "ci"}, {"CLIENT_ID", ""}, {"NPM_TOKEN", "ci"},
		{"DEPLOY_TOKEN", "secret"}, {"DB_PASSWORD", "secret"}, {"API_KEY", "secret"}, {"TOKEN_FILE", ""},
		{"major_string_token", ""}, {"PWD", ""}, {"VERSION", ""}, {"SECRET_NAME", ""},
	} {
		if got := secretKind(tc.name); got != tc.want {
			t.Errorf("secretKind(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct{ expr, want string }{
		{"secrets.GITHUB_TOKEN", "ci"}, {"github.token", "ci"}, {"secrets.my_key", "secret"}, {"github.sha", ""},
	} {
		if got := exprSecretKind(tc.expr); got != tc.want {
			t.Errorf("exprSecretKind(%s) = %q, want %q", tc.expr, got, tc.want)
		}
	}
}
