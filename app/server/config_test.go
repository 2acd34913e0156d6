package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/picketsec/picket/app/githubtest"
	"github.com/picketsec/picket/app/store"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	_, pemBytes := githubtest.GenerateAppKey(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "app.pem")
	if err := os.WriteFile(keyFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "picket.yml")
	if err := os.WriteFile(file, []byte("app_id: \"11\"\nlisten: \":9000\"\nconcurrency: \"8\"\nprivate_key_file: "+keyFile+"\nwebhook_secret: from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inlineEscaped := strings.ReplaceAll(string(pemBytes), "\n", `\n`)

	tests := []struct {
		name  string
		env   map[string]string
		file  string
		check func(t *testing.T, c Config)
	}{
		{"defaults", nil, "", func(t *testing.T, c Config) {
			if c.Listen != DefaultListen || c.DatabaseURL != store.DefaultURL || c.GitHubURL != DefaultGitHubURL ||
				c.LogFormat != "json" || c.Concurrency != DefaultConcurrency || c.ShutdownTimeout != DefaultShutdownTimeout || c.Configured() {
				t.Errorf("defaults: %v", c)
			}
			if len(c.Missing()) != 3 {
				t.Errorf("missing %v, want 3 settings", c.Missing())
			}
		}},
		{"file", nil, file, func(t *testing.T, c Config) {
			if c.AppID != 11 || c.Listen != ":9000" || c.Concurrency != 8 || c.WebhookSecret != "from-file" || c.PrivateKeyFile != keyFile || !c.Configured() {
				t.Errorf("from file: %v", c)
			}
		}},
		{"env over file", map[string]string{EnvAppID: "12", EnvListen: "127.0.0.1:7000", EnvPrivateKey: inlineEscaped,
			EnvReviewDrafts: "true", EnvLogFormat: "text", EnvShutdownTimeout: "3s"}, file, func(t *testing.T, c Config) {
			if c.AppID != 12 || c.Listen != "127.0.0.1:7000" || c.Concurrency != 8 || !c.ReviewDrafts || c.LogFormat != "text" || c.ShutdownTimeout != 3*time.Second {
				t.Errorf("env over file: %v", c)
			}
			// The environment's inline key wins over the file's key file.
			if c.PrivateKeyFile != "" || string(c.PrivateKey) != string(pemBytes) {
				t.Errorf("key from %q, %d bytes; want the inline one with \\n unescaped", c.PrivateKeyFile, len(c.PrivateKey))
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LoadConfig(envOf(tc.env), tc.file)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestLoadConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	notKey := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notKey, []byte("SECRETCONTENT"), 0o600); err != nil {
		t.Fatal(err)
	}
	badFile := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(badFile, []byte("app_idd: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		file string
		want string
	}{
		{"app id", map[string]string{EnvAppID: "abc"}, "", "PICKET_APP_ID: not a number"},
		{"negative app id", map[string]string{EnvAppID: "-3"}, "", EnvAppID},
		{"concurrency", map[string]string{EnvConcurrency: "many"}, "", EnvConcurrency},
		{"concurrency zero", map[string]string{EnvConcurrency: "0"}, "", EnvConcurrency},
		{"drafts", map[string]string{EnvReviewDrafts: "sometimes"}, "", EnvReviewDrafts},
		{"log format", map[string]string{EnvLogFormat: "xml"}, "", EnvLogFormat},
		{"listen", map[string]string{EnvListen: "8080"}, "", EnvListen},
		{"github url", map[string]string{EnvGitHubURL: "api.github.com"}, "", EnvGitHubURL},
		{"database url", map[string]string{EnvDatabaseURL: "mysql://x"}, "", EnvDatabaseURL},
		{"shutdown", map[string]string{EnvShutdownTimeout: "soon"}, "", EnvShutdownTimeout},
		{"inline key not PEM", map[string]string{EnvPrivateKey: "SECRETCONTENT"}, "", EnvPrivateKey},
		{"key file not PEM", map[string]string{EnvPrivateKeyFile: notKey}, "", EnvPrivateKeyFile},
		{"key file missing", map[string]string{EnvPrivateKeyFile: filepath.Join(dir, "none.pem")}, "", EnvPrivateKeyFile},
		{"both keys", map[string]string{EnvPrivateKey: "x", EnvPrivateKeyFile: notKey}, "", "set one"},
		{"unknown file key", nil, badFile, "app_idd"},
		{"missing file", nil, filepath.Join(dir, "none.yml"), "config file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig(envOf(tc.env), tc.file)
			if err == nil {
				t.Fatalf("no error, want one naming %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "SECRETCONTENT") {
				t.Errorf("error %q echoes the key content", err)
			}
		})
	}
}

func TestConfigNeverShowsSecrets(t *testing.T) {
	c := Config{AppID: 1, WebhookSecret: "hunter2", PrivateKey: []byte("-----BEGIN KEYDATA"), DatabaseURL: "postgres://u:pw123@db/p"}
	for _, s := range []string{c.String(), c.GoString(), c.LogValue().String()} {
		for _, secret := range []string{"hunter2", "KEYDATA", "pw123"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows %q", s, secret)
			}
		}
	}
}
