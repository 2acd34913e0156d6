package test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

var composeDir = filepath.Join(repoRoot, "deploy", "compose")

// composeFile is the part of the Compose specification checked here.
type composeFile struct {
	Name     string                    `json:"name"`
	Services map[string]composeService `json:"services"`
	Volumes  map[string]any            `json:"volumes"`
	Secrets  map[string]any            `json:"secrets"`
}

type composeService struct {
	Image       string            `json:"image"`
	Build       *composeBuild     `json:"build"`
	EnvFile     any               `json:"env_file"`
	Environment map[string]string `json:"environment"`
	Volumes     []string          `json:"volumes"`
	DependsOn   map[string]struct {
		Condition string `json:"condition"`
	} `json:"depends_on"`
	Healthcheck *struct {
		Test     []string `json:"test"`
		Interval string   `json:"interval"`
		Retries  int      `json:"retries"`
	} `json:"healthcheck"`
	User            string   `json:"user"`
	ReadOnly        bool     `json:"read_only"`
	Tmpfs           []string `json:"tmpfs"`
	CapDrop         []string `json:"cap_drop"`
	SecurityOpt     []string `json:"security_opt"`
	StopGracePeriod string   `json:"stop_grace_period"`
	Secrets         []any    `json:"secrets"`
}

type composeBuild struct {
	Context    string            `json:"context"`
	Dockerfile string            `json:"dockerfile"`
	Args       map[string]string `json:"args"`
}

func readCompose(t *testing.T, name string) composeFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(composeDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// envExample reads .env.example's KEY=value lines.
func envExample(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(composeDir, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf(".env.example: %q is not KEY=value", line)
			continue
		}
		out[k] = v
	}
	return out
}

// checkPicketService asserts what every compose variant's Picket needs.
func checkPicketService(t *testing.T, file string, c composeFile) composeService {
	t.Helper()
	p, ok := c.Services["picket"]
	if !ok {
		t.Fatalf("%s: no picket service", file)
	}
	if p.Build == nil || filepath.Clean(filepath.Join(composeDir, p.Build.Context)) != filepath.Clean(repoRoot) || p.Build.Dockerfile != "deploy/Dockerfile" {
		t.Errorf("%s: build = %+v, want the repository root with deploy/Dockerfile", file, p.Build)
	}
	if p.Build != nil && len(p.Build.Args) != 0 {
		t.Errorf("%s: build args %v: nothing is passed into the image at build time", file, p.Build.Args)
	}
	if p.EnvFile != ".env" {
		t.Errorf("%s: env_file = %v, want .env", file, p.EnvFile)
	}
	// Secrets come from the env file, never from the host's files.
	for _, v := range p.Volumes {
		src, _, _ := strings.Cut(v, ":")
		if strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~") {
			t.Errorf("%s: bind mount %s: use named volumes; keys come from .env", file, v)
		}
	}
	if len(p.Secrets) != 0 || len(c.Secrets) != 0 {
		t.Errorf("%s: file secrets mounted from the host; keys come from .env", file)
	}
	for k := range p.Environment {
		if strings.Contains(k, "PRIVATE_KEY") || strings.Contains(k, "WEBHOOK_SECRET") {
			t.Errorf("%s: %s set in the compose file; it belongs in .env", file, k)
		}
	}
	if p.User != "65532:65532" || !p.ReadOnly || len(p.Tmpfs) != 1 || p.Tmpfs[0] != "/tmp" {
		t.Errorf("%s: user %q read_only %v tmpfs %v, want 65532:65532, a read-only root and /tmp", file, p.User, p.ReadOnly, p.Tmpfs)
	}
	if len(p.CapDrop) != 1 || p.CapDrop[0] != "ALL" {
		t.Errorf("%s: cap_drop = %v, want ALL", file, p.CapDrop)
	}
	if p.Environment["PICKET_LISTEN"] != ":8080" {
		t.Errorf("%s: PICKET_LISTEN = %q, want :8080 (the image's EXPOSE)", file, p.Environment["PICKET_LISTEN"])
	}
	known := configVariables(t)
	for k := range p.Environment {
		if strings.HasPrefix(k, "PICKET_") && !known[k] {
			t.Errorf("%s: %s is not a variable app/server defines", file, k)
		}
	}
	return p
}

func TestComposePostgres(t *testing.T) {
	t.Parallel()
	const file = "docker-compose.yml"
	c := readCompose(t, file)
	p := checkPicketService(t, file, c)
	pg, ok := c.Services["postgres"]
	if !ok {
		t.Fatal("no postgres service")
	}
	if !regexp.MustCompile(`^postgres:16(\.\d+)*(-[a-z0-9]+)?$`).MatchString(pg.Image) {
		t.Errorf("postgres image = %s, want a pinned PostgreSQL 16 tag", pg.Image)
	}
	if pg.Healthcheck == nil || len(pg.Healthcheck.Test) < 2 || !strings.Contains(strings.Join(pg.Healthcheck.Test, " "), "pg_isready") {
		t.Errorf("postgres healthcheck = %+v, want pg_isready", pg.Healthcheck)
	}
	if dep, ok := p.DependsOn["postgres"]; !ok || dep.Condition != "service_healthy" {
		t.Errorf("picket depends_on = %+v, want postgres: service_healthy", p.DependsOn)
	}
	// The database lives in a named volume declared at the top level.
	var data string
	for _, v := range pg.Volumes {
		if src, dst, _ := strings.Cut(v, ":"); dst == "/var/lib/postgresql/data" {
			data = src
		}
	}
	if _, ok := c.Volumes[data]; data == "" || !ok {
		t.Errorf("postgres data volume %q is not a declared named volume (%v)", data, c.Volumes)
	}
	db := p.Environment["PICKET_DATABASE_URL"]
	if !strings.HasPrefix(db, "postgres://") || !strings.Contains(db, "@postgres:5432/") {
		t.Errorf("PICKET_DATABASE_URL = %q, want postgres:// to the postgres service", db)
	}
	if !strings.Contains(pg.Environment["POSTGRES_PASSWORD"], "${POSTGRES_PASSWORD") {
		t.Errorf("POSTGRES_PASSWORD = %q, want it from .env", pg.Environment["POSTGRES_PASSWORD"])
	}
}

func TestComposeSQLite(t *testing.T) {
	t.Parallel()
	const file = "docker-compose.sqlite.yml"
	c := readCompose(t, file)
	p := checkPicketService(t, file, c)
	if len(c.Services) != 1 {
		t.Errorf("services = %d, want picket alone", len(c.Services))
	}
	if db := p.Environment["PICKET_DATABASE_URL"]; !strings.HasPrefix(db, "sqlite:/data/") {
		t.Errorf("PICKET_DATABASE_URL = %q, want SQLite in /data", db)
	}
	if len(p.Volumes) != 1 || !strings.HasSuffix(p.Volumes[0], ":/data") {
		t.Errorf("volumes = %v, want one named volume on /data", p.Volumes)
	}
}

// TestEnvExample: every variable the compose files interpolate or Picket
// needs is in .env.example, and it holds no value that looks like a real
// secret.
func TestEnvExample(t *testing.T) {
	t.Parallel()
	env := envExample(t)
	for _, k := range []string{"PICKET_APP_ID", "PICKET_PRIVATE_KEY", "PICKET_WEBHOOK_SECRET", "POSTGRES_PASSWORD"} {
		if _, ok := env[k]; !ok {
			t.Errorf(".env.example lacks %s", k)
		}
	}
	for _, secret := range []string{"PICKET_PRIVATE_KEY", "PICKET_WEBHOOK_SECRET", "POSTGRES_PASSWORD"} {
		if env[secret] != "" {
			t.Errorf(".env.example sets %s; leave secrets empty", secret)
		}
	}
	known := configVariables(t)
	for k := range env {
		if strings.HasPrefix(k, "PICKET_") && !known[k] {
			t.Errorf(".env.example: %s is not a variable app/server defines", k)
		}
	}
	ref := regexp.MustCompile(`\$\{(\w+)`)
	for _, file := range []string{"docker-compose.yml", "docker-compose.sqlite.yml"} {
		b, err := os.ReadFile(filepath.Join(composeDir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			if _, ok := env[m[1]]; !ok {
				t.Errorf("%s interpolates ${%s}, which .env.example does not list", file, m[1])
			}
		}
	}
	// A filled-in .env must never reach git or an image's build context.
	for path, want := range map[string]string{filepath.Join(composeDir, ".gitignore"): ".env", filepath.Join(repoRoot, ".dockerignore"): ".env"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(b) {
			t.Errorf("%s does not ignore %s", path, want)
		}
	}
}
