package test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// instruction is one Dockerfile instruction as buildkit's parser sees it.
type instruction struct {
	cmd   string   // lower case: from, run, copy…
	args  []string // the words after the command (ENV: key, value, "=" triples)
	flags []string // --from=…, --mount=…
	json  bool     // exec form (["a", "b"])
	line  int
}

// stage is one FROM and the instructions under it.
type stage struct {
	image, name string
	body        []instruction
}

// dockerfile is the parsed deploy/Dockerfile.
type dockerfile struct {
	globalArgs map[string]string // ARGs before the first FROM, with defaults
	stages     []stage
}

func parseDockerfile(t *testing.T, path string) dockerfile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	for _, w := range res.Warnings {
		t.Errorf("%s: parser warning: %s", path, w.Short)
	}
	d := dockerfile{globalArgs: map[string]string{}}
	for _, n := range res.AST.Children {
		in := instruction{cmd: strings.ToLower(n.Value), flags: n.Flags, json: n.Attributes["json"], line: n.StartLine}
		for a := n.Next; a != nil; a = a.Next {
			in.args = append(in.args, a.Value)
		}
		switch {
		case in.cmd == "from":
			st := stage{image: in.args[0]}
			if len(in.args) == 3 && strings.EqualFold(in.args[1], "as") {
				st.name = in.args[2]
			}
			d.stages = append(d.stages, st)
		case len(d.stages) == 0 && in.cmd == "arg":
			k, v, _ := strings.Cut(in.args[0], "=")
			d.globalArgs[k] = v
		case len(d.stages) == 0:
			t.Errorf("line %d: %s before the first FROM", in.line, in.cmd)
		default:
			last := &d.stages[len(d.stages)-1]
			last.body = append(last.body, in)
		}
	}
	return d
}

// all returns the stage's instructions of one command.
func (s stage) all(cmd string) []instruction {
	var out []instruction
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// env returns the stage's ENV settings.
func (s stage) env() map[string]string {
	out := map[string]string{}
	for _, in := range s.all("env") {
		for i := 0; i+1 < len(in.args); i += 3 {
			out[in.args[i]] = in.args[i+1]
		}
	}
	return out
}

func flagValue(flags []string, name string) (string, bool) {
	for _, f := range flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
	}
	return "", false
}

var argRef = regexp.MustCompile(`\$\{(\w+)\}|\$(\w+)`)

// expand substitutes the global ARGs' defaults into a FROM image.
func (d dockerfile) expand(s string) string {
	return argRef.ReplaceAllStringFunc(s, func(m string) string {
		k := strings.Trim(m, "${}")
		return d.globalArgs[k]
	})
}

// goBuild is the stage's `go build` command line.
func goBuild(t *testing.T, s stage) (string, []string) {
	t.Helper()
	for _, in := range s.all("run") {
		if strings.Contains(in.args[0], "go build") {
			return in.args[0], in.flags
		}
	}
	t.Fatalf("stage %s: no go build", s.name)
	return "", nil
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	d := parseDockerfile(t, filepath.Join(repoRoot, "deploy", "Dockerfile"))
	if len(d.stages) < 2 {
		t.Fatalf("stages = %d, want a multi-stage build", len(d.stages))
	}

	// Every base image has an explicit tag or digest, never latest.
	for _, st := range d.stages {
		img := d.expand(st.image)
		name, digest, _ := strings.Cut(img, "@")
		tag := ""
		if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
			tag = name[i+1:]
		}
		if (tag == "" && digest == "") || tag == "latest" || strings.HasPrefix(tag, "-") {
			t.Errorf("FROM %s (%s): pin a tag (or digest), not latest or none", st.image, img)
		}
	}
	// No ADD of a URL or a git repository: fetched content is unpinned.
	for _, st := range d.stages {
		for _, in := range st.all("add") {
			for _, a := range in.args {
				if strings.Contains(a, "://") || strings.HasPrefix(a, "git@") {
					t.Errorf("line %d: ADD %s fetches from the network", in.line, a)
				}
			}
		}
	}

	build := d.stages[0]
	final := d.stages[len(d.stages)-1]
	if build.name == "" {
		t.Fatal("the build stage has no name for COPY --from")
	}
	if !strings.HasPrefix(d.expand(build.image), "golang:") || !strings.Contains(d.expand(build.image), "bookworm") {
		t.Errorf("build image %s: want a Debian (bookworm) golang image, the glibc of the runtime image", d.expand(build.image))
	}
	// The Go toolchain is go.mod's.
	if want := goModVersion(t); d.globalArgs["GO_VERSION"] != want {
		t.Errorf("GO_VERSION = %q, want go.mod's %q", d.globalArgs["GO_VERSION"], want)
	}

	// cgo: the SAST scanner's tree-sitter is C.
	cmdline, _ := goBuild(t, build)
	if build.env()["CGO_ENABLED"] != "1" && !strings.Contains(cmdline, "CGO_ENABLED=1") {
		t.Error("the build stage does not set CGO_ENABLED=1")
	}
	out := regexp.MustCompile(`-o\s+(\S+)`).FindStringSubmatch(cmdline)
	if out == nil {
		t.Fatalf("go build without -o: %s", cmdline)
	}
	binary := out[1]

	// The runtime stage: distroless nonroot with a numeric non-root user.
	users := final.all("user")
	if len(users) != 1 {
		t.Fatalf("final stage USER instructions = %d, want 1", len(users))
	}
	uid, gid, _ := strings.Cut(users[0].args[0], ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("USER %s: want a numeric non-zero uid (Kubernetes' runAsNonRoot cannot check a name)", users[0].args[0])
	}
	if gid != "" {
		if _, err := strconv.Atoi(gid); err != nil {
			t.Errorf("USER %s: the group is not numeric", users[0].args[0])
		}
	}
	ep := final.all("entrypoint")
	if len(ep) != 1 || !ep[0].json || strings.Join(ep[0].args, " ") != "/picket serve" {
		t.Errorf("ENTRYPOINT = %+v, want exec form [\"/picket\", \"serve\"]", ep)
	}
	for _, hc := range final.all("healthcheck") {
		if hc.args[0] != "NONE" && !hc.json {
			t.Errorf("line %d: HEALTHCHECK in shell form needs a shell the image does not have", hc.line)
		}
	}
	if ex := final.all("expose"); len(ex) != 1 || ex[0].args[0] != "8080" {
		t.Errorf("EXPOSE = %+v, want 8080", ex)
	}
	// Only the binary (and the empty, nonroot-owned /data) come from the
	// build stage: no toolchain, sources or caches in the image.
	copied := map[string]string{}
	for _, in := range final.all("copy") {
		from, ok := flagValue(in.flags, "from")
		if !ok {
			t.Errorf("line %d: COPY from the build context into the runtime image", in.line)
			continue
		}
		if from != build.name {
			t.Errorf("line %d: COPY --from=%s, want the build stage", in.line, from)
		}
		for _, src := range in.args[:len(in.args)-1] {
			copied[src] = in.args[len(in.args)-1]
		}
	}
	if copied[binary] != "/picket" {
		t.Errorf("the binary %s is not copied to /picket (copies: %v)", binary, copied)
	}
	for src, dst := range copied {
		if src != binary && dst != "/data" {
			t.Errorf("COPY --from %s %s: only the binary and /data belong in the runtime image", src, dst)
		}
	}
	// The SQLite default lives in the volume, the only writable path
	// besides /tmp with a read-only root.
	vols := final.all("volume")
	if len(vols) != 1 || strings.Join(vols[0].args, ",") != "/data" {
		t.Errorf("VOLUME = %+v, want only /data", vols)
	}
	if db := final.env()["PICKET_DATABASE_URL"]; !strings.HasPrefix(db, "sqlite:/data/") {
		t.Errorf("PICKET_DATABASE_URL = %q, want a SQLite file in /data", db)
	}
	if l := final.env()["PICKET_LISTEN"]; l != "" && l != ":8080" {
		t.Errorf("PICKET_LISTEN = %q but EXPOSE 8080", l)
	}
	if final.all("run") != nil {
		t.Error("RUN in the runtime stage: distroless has no shell")
	}
}

// TestDockerfileBuildMatchesMakefile: the image is built the way `make
// build` builds, plus -trimpath and stripped symbols.
func TestDockerfileBuildMatchesMakefile(t *testing.T) {
	t.Parallel()
	d := parseDockerfile(t, filepath.Join(repoRoot, "deploy", "Dockerfile"))
	cmdline, _ := goBuild(t, d.stages[0])

	mk := readMakefile(t)
	ldflags := regexp.MustCompile(`(?m)^LDFLAGS\s*:?=\s*(.+)$`).FindStringSubmatch(mk)
	recipe := regexp.MustCompile(`(?m)^\t\$\(GO\) build (.+)$`).FindStringSubmatch(mk)
	if ldflags == nil || recipe == nil {
		t.Fatal("Makefile: LDFLAGS or the build recipe `$(GO) build …` not found")
	}
	// The Makefile's -X flags, with make's $(VERSION) as the Dockerfile's ${VERSION}.
	wantX := strings.ReplaceAll(strings.TrimSpace(ldflags[1]), "$(VERSION)", "${VERSION}")
	ld := regexp.MustCompile(`-ldflags\s+"([^"]*)"`).FindStringSubmatch(cmdline)
	if ld == nil {
		t.Fatalf("Dockerfile go build has no quoted -ldflags: %s", cmdline)
	}
	if !strings.Contains(ld[1], wantX) {
		t.Errorf("Dockerfile -ldflags %q lacks the Makefile's %q", ld[1], wantX)
	}
	for _, f := range []string{"-s", "-w"} {
		if !regexp.MustCompile(`(^|\s)` + f + `(\s|$)`).MatchString(ld[1]) {
			t.Errorf("Dockerfile -ldflags %q lacks %s", ld[1], f)
		}
	}
	if !strings.Contains(cmdline, "-trimpath") {
		t.Error("Dockerfile go build lacks -trimpath")
	}
	pkg := func(s string) string { f := strings.Fields(s); return f[len(f)-1] }
	if pkg(cmdline) != pkg(recipe[1]) {
		t.Errorf("Dockerfile builds %s, the Makefile %s", pkg(cmdline), pkg(recipe[1]))
	}
	// VERSION is an ARG of the build stage, so --build-arg reaches it.
	found := false
	for _, in := range d.stages[0].all("arg") {
		if k, _, _ := strings.Cut(in.args[0], "="); k == "VERSION" {
			found = true
		}
	}
	if !found {
		t.Error("the build stage has no ARG VERSION")
	}
}

func readMakefile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goModVersion is the main module's go directive, major.minor.
func goModVersion(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "go "); ok {
			parts := strings.SplitN(strings.TrimSpace(v), ".", 3)
			if len(parts) >= 2 {
				return parts[0] + "." + parts[1]
			}
		}
	}
	t.Fatal("go.mod: no go directive")
	return ""
}
