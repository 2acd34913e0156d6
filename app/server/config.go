package server

import (
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/picketsec/picket/app/store"
)

// The environment variables, in the order the docs list them.
const (
	EnvAppID           = "PICKET_APP_ID"
	EnvPrivateKey      = "PICKET_PRIVATE_KEY"
	EnvPrivateKeyFile  = "PICKET_PRIVATE_KEY_FILE"
	EnvWebhookSecret   = "PICKET_WEBHOOK_SECRET"
	EnvGitHubURL       = "PICKET_GITHUB_URL"
	EnvDatabaseURL     = "PICKET_DATABASE_URL"
	EnvListen          = "PICKET_LISTEN"
	EnvLogFormat       = "PICKET_LOG_FORMAT"
	EnvConcurrency     = "PICKET_CONCURRENCY"
	EnvReviewDrafts    = "PICKET_REVIEW_DRAFTS"
	EnvShutdownTimeout = "PICKET_SHUTDOWN_TIMEOUT"
	// EnvReconcileInterval is how often the reconciler redelivers missed
	// webhooks (app/reconcile); 0 disables it and the start-up sweep.
	EnvReconcileInterval = "PICKET_RECONCILE_INTERVAL"
	// EnvInstallationConcurrency bounds the scans of one installation
	// running at once across all replicas; 0 removes the bound.
	EnvInstallationConcurrency = "PICKET_INSTALLATION_CONCURRENCY"
	EnvConfigFile              = "PICKET_CONFIG" // where cmd looks for the optional file
)

// Defaults.
const (
	DefaultGitHubURL       = "https://api.github.com/"
	DefaultListen          = ":8080"
	DefaultLogFormat       = "json"
	DefaultConcurrency     = 4
	DefaultShutdownTimeout = 30 * time.Second
	// DefaultReconcileInterval is PICKET_RECONCILE_INTERVAL's default.
	DefaultReconcileInterval = 5 * time.Minute
)

// Config is the server's configuration. Its String and LogValue never
// show the private key or the webhook secret.
type Config struct {
	AppID           int64
	PrivateKey      []byte // PEM; from PICKET_PRIVATE_KEY or read from PICKET_PRIVATE_KEY_FILE
	PrivateKeyFile  string // where PrivateKey was read from, if a file
	WebhookSecret   string
	GitHubURL       string // REST API root; GitHub Enterprise Server: https://HOST/api/v3/
	DatabaseURL     string
	Listen          string
	LogFormat       string // json or text
	Concurrency     int    // scan jobs run at once by this process
	ReviewDrafts    bool   // scan draft pull requests too
	ShutdownTimeout time.Duration
	// ReconcileInterval is how often missed deliveries are redelivered;
	// zero disables the reconciler and the start-up sweep.
	ReconcileInterval time.Duration
	// JobTimeout cancels a scan job running longer (PICKET_JOB_TIMEOUT).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before another
	// replica retries it (PICKET_RESCUE_AFTER; see wire_store.go).
	RescueAfter time.Duration
	// InstallationConcurrency is how many scans of one installation may
	// run at once across all replicas (0: no bound).
	InstallationConcurrency int
	// RetentionDays is how long closed pull requests' rows and check-run
	// ids are kept (PICKET_RETENTION_DAYS; 0: forever; wire_retention.go).
	RetentionDays int
}

// fileConfig is the YAML file's shape; its keys are the variables' names
// without the PICKET_ prefix, in lower case.
type fileConfig struct {
	AppID                   *string `yaml:"app_id"`
	PrivateKey              *string `yaml:"private_key"`
	PrivateKeyFile          *string `yaml:"private_key_file"`
	WebhookSecret           *string `yaml:"webhook_secret"`
	GitHubURL               *string `yaml:"github_url"`
	DatabaseURL             *string `yaml:"database_url"`
	Listen                  *string `yaml:"listen"`
	LogFormat               *string `yaml:"log_format"`
	Concurrency             *string `yaml:"concurrency"`
	ReviewDrafts            *string `yaml:"review_drafts"`
	ShutdownTimeout         *string `yaml:"shutdown_timeout"`
	ReconcileInterval       *string `yaml:"reconcile_interval"`
	JobTimeout              *string `yaml:"job_timeout"`
	RescueAfter             *string `yaml:"rescue_after"`
	InstallationConcurrency *string `yaml:"installation_concurrency"`
	RetentionDays           *string `yaml:"retention_days"`
}

func (f fileConfig) lookup() map[string]*string {
	return map[string]*string{
		EnvAppID: f.AppID, EnvPrivateKey: f.PrivateKey, EnvPrivateKeyFile: f.PrivateKeyFile,
		EnvWebhookSecret: f.WebhookSecret, EnvGitHubURL: f.GitHubURL, EnvDatabaseURL: f.DatabaseURL,
		EnvListen: f.Listen, EnvLogFormat: f.LogFormat, EnvConcurrency: f.Concurrency,
		EnvReviewDrafts: f.ReviewDrafts, EnvShutdownTimeout: f.ShutdownTimeout,
		EnvJobTimeout: f.JobTimeout, EnvRescueAfter: f.RescueAfter,
		EnvReconcileInterval:       f.ReconcileInterval,
		EnvInstallationConcurrency: f.InstallationConcurrency,
		EnvRetentionDays:           f.RetentionDays,
	}
}

// LoadConfig reads the configuration: each setting from the environment
// (env, e.g. os.Getenv) if set and not empty, else from the YAML file if
// file is not empty, else its default. A value that does not parse is an
// error naming its variable. The private key may be given inline or as a
// file; the pair counts as one setting (the environment's wins over the
// file's) and setting both in one place is an error.
func LoadConfig(env func(string) string, file string) (Config, error) {
	fromFile := map[string]*string{}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return Config{}, fmt.Errorf("config file: %w", err)
		}
		var fc fileConfig
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) { // EOF: an empty file
			return Config{}, fmt.Errorf("config file %s: %w", file, err)
		}
		fromFile = fc.lookup()
	}
	get := func(key string) (string, bool) {
		if v := env(key); v != "" {
			return v, true
		}
		if p := fromFile[key]; p != nil && *p != "" {
			return *p, true
		}
		return "", false
	}
	c := Config{GitHubURL: DefaultGitHubURL, DatabaseURL: store.DefaultURL, Listen: DefaultListen,
		LogFormat: DefaultLogFormat, Concurrency: DefaultConcurrency, ShutdownTimeout: DefaultShutdownTimeout}
	c.ReconcileInterval = DefaultReconcileInterval
	c.InstallationConcurrency = DefaultInstallationConcurrency
	if v, ok := get(EnvAppID); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return Config{}, fmt.Errorf("%s: not a number", EnvAppID)
		}
		c.AppID = n
	}
	if err := loadKey(&c, env, fromFile); err != nil {
		return Config{}, err
	}
	if v, ok := get(EnvWebhookSecret); ok {
		c.WebhookSecret = v
	}
	for key, dst := range map[string]*string{EnvGitHubURL: &c.GitHubURL, EnvDatabaseURL: &c.DatabaseURL, EnvListen: &c.Listen, EnvLogFormat: &c.LogFormat} {
		if v, ok := get(key); ok {
			*dst = strings.TrimSpace(v)
		}
	}
	if v, ok := get(EnvConcurrency); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("%s: not a number", EnvConcurrency)
		}
		c.Concurrency = n
	}
	if v, ok := get(EnvReviewDrafts); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("%s: not true or false", EnvReviewDrafts)
		}
		c.ReviewDrafts = b
	}
	if v, ok := get(EnvShutdownTimeout); ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("%s: not a duration (e.g. 30s)", EnvShutdownTimeout)
		}
		c.ShutdownTimeout = d
	}
	if v, ok := get(EnvReconcileInterval); ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("%s: not a duration (e.g. 5m, or 0 to disable)", EnvReconcileInterval)
		}
		c.ReconcileInterval = d
	}
	if v, ok := get(EnvInstallationConcurrency); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return Config{}, fmt.Errorf("%s: not a number", EnvInstallationConcurrency)
		}
		c.InstallationConcurrency = n
	}
	if err := loadQueueTimes(&c, get); err != nil {
		return Config{}, err
	}
	if err := loadRetention(&c, get); err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// loadKey resolves the private key: the environment's inline key or key
// file, else the file's.
func loadKey(c *Config, env func(string) string, fromFile map[string]*string) error {
	fileVal := func(k string) string {
		if p := fromFile[k]; p != nil {
			return *p
		}
		return ""
	}
	inline, path := env(EnvPrivateKey), env(EnvPrivateKeyFile)
	where := "the environment"
	if inline == "" && path == "" {
		inline, path, where = fileVal(EnvPrivateKey), fileVal(EnvPrivateKeyFile), "the config file"
	}
	switch {
	case inline != "" && path != "":
		return fmt.Errorf("%s and %s: both set in %s; set one", EnvPrivateKey, EnvPrivateKeyFile, where)
	case inline != "":
		// An env var often carries the PEM with literal \n.
		if !strings.Contains(inline, "\n") {
			inline = strings.ReplaceAll(inline, `\n`, "\n")
		}
		c.PrivateKey = []byte(inline)
		if !isPEMKey(c.PrivateKey) {
			return fmt.Errorf("%s: not a PEM private key", EnvPrivateKey)
		}
	case path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			// The error names the path, never the content.
			return fmt.Errorf("%s: %w", EnvPrivateKeyFile, err)
		}
		if !isPEMKey(b) {
			return fmt.Errorf("%s: %s is not a PEM private key", EnvPrivateKeyFile, path)
		}
		c.PrivateKey, c.PrivateKeyFile = b, path
	}
	return nil
}

func isPEMKey(b []byte) bool {
	blk, _ := pem.Decode(b)
	return blk != nil && strings.Contains(blk.Type, "PRIVATE KEY")
}

// Validate checks the values, naming the offending variable. Missing app
// credentials are not an error (see Missing).
func (c Config) Validate() error {
	if c.AppID < 0 {
		return fmt.Errorf("%s: must be positive", EnvAppID)
	}
	u, err := url.Parse(c.GitHubURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%s: want an http(s) URL of the REST API root, e.g. %s", EnvGitHubURL, DefaultGitHubURL)
	}
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("%s: want sqlite:PATH or postgres://…", EnvDatabaseURL)
	}
	if c.Listen == "" || !strings.Contains(c.Listen, ":") {
		return fmt.Errorf("%s: want host:port or :port", EnvListen)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return fmt.Errorf("%s: want json or text, not %q", EnvLogFormat, c.LogFormat)
	}
	if c.Concurrency < 1 || c.Concurrency > 256 {
		return fmt.Errorf("%s: want 1 to 256", EnvConcurrency)
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("%s: must be positive", EnvShutdownTimeout)
	}
	if c.ReconcileInterval < 0 {
		return fmt.Errorf("%s: must be positive, or 0 to disable", EnvReconcileInterval)
	}
	if c.InstallationConcurrency < 0 || c.InstallationConcurrency > 256 {
		return fmt.Errorf("%s: want 1 to 256, or 0 for no bound", EnvInstallationConcurrency)
	}
	return c.validateRetention()
}

// Missing lists the variables the app credentials still need; empty when
// the server can take webhooks.
func (c Config) Missing() []string {
	var m []string
	if c.AppID == 0 {
		m = append(m, EnvAppID)
	}
	if len(c.PrivateKey) == 0 {
		m = append(m, EnvPrivateKey+" or "+EnvPrivateKeyFile)
	}
	if c.WebhookSecret == "" {
		m = append(m, EnvWebhookSecret)
	}
	return m
}

// Configured reports whether the app credentials are all set.
func (c Config) Configured() bool { return len(c.Missing()) == 0 }

// LogValue implements slog.LogValuer without the secrets.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int64("app_id", c.AppID),
		slog.Bool("private_key_set", len(c.PrivateKey) > 0),
		slog.Bool("webhook_secret_set", c.WebhookSecret != ""),
		slog.String("github_url", c.GitHubURL),
		slog.String("database", redactDB(c.DatabaseURL)),
		slog.String("listen", c.Listen),
		slog.Int("concurrency", c.Concurrency),
		slog.Bool("review_drafts", c.ReviewDrafts),
		slog.Duration("reconcile_interval", c.ReconcileInterval),
		slog.Int("installation_concurrency", c.InstallationConcurrency),
		slog.Duration("job_timeout", c.JobTimeout),
		slog.Duration("rescue_after", c.RescueAfter),
		slog.Int("retention_days", c.RetentionDays),
	)
}

// String shows the configuration without the secrets.
func (c Config) String() string { return c.LogValue().String() }

// GoString keeps %#v from printing the secrets too.
func (c Config) GoString() string { return "server.Config" + c.String() }

// redactDB drops a password from a database URL.
func redactDB(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
