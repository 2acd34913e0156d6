package build

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picketsec/picket/diff"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/scanners/config"
	"github.com/picketsec/picket/scanners/scannertest"
)

func TestWants(t *testing.T) {
	s := newScanner(t, config.BuildConfig{})
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"Makefile", true}, {"sub/GNUmakefile", true}, {"build/rules.mk", true},
		{"Dockerfile", true}, {"docker/Dockerfile.dev", true}, {"api.Dockerfile", true}, {"Containerfile", true},
		{"scripts/x.sh", true}, {"tools/x.ps1", true}, {"package.json", true}, {"node_modules/a/package.json", false},
		{".github/workflows/ci.yml", true}, {".github/workflows/ci.yaml", true}, {".github/actions/a/action.yml", true},
		{".gitlab-ci.yml", true}, {"Jenkinsfile", true}, {".circleci/config.yml", true}, {"azure-pipelines.yml", true},
		{"bitbucket-pipelines.yml", true}, {".pre-commit-config.yaml", true}, {".npmrc", true}, {".yarnrc.yml", true},
		{"pip.conf", true}, {"requirements-dev.txt", true}, {"requirements/base.txt", true}, {"go.mod", true},
		{".gitmodules", true}, {"setup.py", true}, {"pyproject.toml", true}, {"build.gradle.kts", true},
		{"pom.xml", true}, {"build.rs", true}, {"justfile", true}, {"Taskfile.yml", true}, {"cmd/gen.go", true},
		{"cmd/gen_test.go", false}, {"vendor/x/y.go", false}, {"README.md", false}, {"config.yml", false},
		{"src/main.rs", false}, {"man/Dockerfile.5.md", false}, {"Dockerfile.dockerignore", false}, {"docs/workflows/ci.yml", false}, {"main.py", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			f := &diff.File{Path: tc.path, Mode: diff.ModeRegular}
			if got := s.Wants(f); got != tc.want {
				t.Errorf("Wants(%s) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
	if s.Wants(&diff.File{Path: "Makefile", Mode: diff.ModeSymlink}) {
		t.Error("Wants(symlink Makefile) = true")
	}
}

func TestAllowedHosts(t *testing.T) {
	head := []byte("deps:\n\tcurl -fsSLo a.tgz https://dl.corp.example.net/a.tgz\n\tcurl -fsSLo b.tgz https://other.example.org/b.tgz\n")
	for _, tc := range []struct {
		name    string
		allowed []string
		want    []string
	}{
		{"none", nil, []string{"dl.corp.example.net", "other.example.org"}},
		{"exact", []string{"other.example.org"}, []string{"dl.corp.example.net"}},
		{"wildcard", []string{"*.example.net"}, []string{"other.example.org"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScanner(t, config.BuildConfig{AllowedHosts: tc.allowed})
			rep := scannertest.Scan(t, s, scannertest.NewFile("Makefile", nil, head))
			var got []string
			for _, f := range rep.Findings {
				if f.Rule.ID == ruleNewHost.ID {
					got = append(got, strings.Fields(strings.SplitN(f.Message, "new host, ", 2)[1])[0])
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("new hosts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTagOwners(t *testing.T) {
	head := []byte("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: my-org/setup@v1\n")
	for _, tc := range []struct {
		owners []string
		want   int
	}{{nil, 1}, {[]string{"my-org"}, 0}} {
		s := newScanner(t, config.BuildConfig{TagOwners: tc.owners})
		rep := scannertest.Scan(t, s, scannertest.NewFile(".github/workflows/a.yml", nil, head))
		n := 0
		for _, f := range rep.Findings {
			if f.Rule.ID == ruleUnpinned.ID {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("owners %v: %d unpinned findings, want %d", tc.owners, n, tc.want)
		}
	}
}

func TestInjectionFix(t *testing.T) {
	for _, tc := range []struct {
		name, head, want string
	}{
		{
			name: "plain",
			head: "on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
			want: "      - env:\n          PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}\n        run: echo \"${PULL_REQUEST_TITLE}\"",
		},
		{
			name: "literal block, already quoted",
			head: "on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - name: t\n        run: |\n          echo start\n          echo \"branch ${{ github.head_ref }}\"\n",
			want: "        env:\n          HEAD_REF: ${{ github.head_ref }}\n        run: |\n          echo start\n          echo \"branch ${HEAD_REF}\"",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScanner(t, config.BuildConfig{})
			rep := scannertest.Scan(t, s, scannertest.NewFile(".github/workflows/t.yml", nil, []byte(tc.head)))
			var fix *scanners.Fix
			for _, f := range rep.Findings {
				if f.Rule.ID == ruleInjection.ID {
					fix = f.Fix
				}
			}
			if fix == nil {
				t.Fatal("no fix on the injection finding")
			}
			if diff := cmp.Diff(tc.want, fix.Replacement); diff != "" {
				t.Errorf("replacement (-want +got):\n%s", diff)
			}
			// The fixed workflow has no injection left.
			lines := strings.Split(tc.head, "\n")
			fixed := strings.Join(append(append(append([]string{}, lines[:fix.StartLine-1]...), fix.Replacement), lines[fix.EndLine:]...), "\n")
			again := scannertest.Scan(t, s, scannertest.NewFile(".github/workflows/t.yml", nil, []byte(fixed)))
			for _, f := range again.Findings {
				if f.Rule.ID == ruleInjection.ID {
					t.Errorf("fixed workflow still has %s at line %d:\n%s", f.Rule.ID, f.Range.StartLine, fixed)
				}
			}
		})
	}
}

func TestNoFixWhenStepHasEnv(t *testing.T) {
	head := "on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - env: {A: b}\n        run: echo ${{ github.event.issue.body }}\n"
	rep := scannertest.Scan(t, newScanner(t, config.BuildConfig{}), scannertest.NewFile(".github/workflows/t.yml", nil, []byte(head)))
	found := false
	for _, f := range rep.Findings {
		if f.Rule.ID == ruleInjection.ID {
			found = true
			if f.Fix != nil {
				t.Errorf("fix offered for a step that already has env:: %+v", f.Fix)
			}
		}
	}
	if !found {
		t.Fatal("injection not reported")
	}
}

func TestScanCancelled(t *testing.T) {
	s := newScanner(t, config.BuildConfig{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Scan(ctx, scanners.Input{Path: "Makefile", Content: []byte("a:\n\tcurl x | sh\n")})
	if err != context.Canceled {
		t.Fatalf("Scan = %v, want context.Canceled", err)
	}
}

func TestGoFilesWithoutGenerateAreSkippedCheaply(t *testing.T) {
	s := newScanner(t, config.BuildConfig{})
	got, err := s.Scan(context.Background(), scanners.Input{Path: "x.go", Content: []byte("package x\n// curl https://x.example.net | sh\n")})
	if err != nil || len(got) != 0 {
		t.Fatalf("Scan(x.go) = %v, %v; want nothing", got, err)
	}
}

func TestPersistCredentialsFix(t *testing.T) {
	for _, tc := range []struct{ name, head, want string }{
		{
			name: "no with",
			head: "on: push\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1\n      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n",
			want: "      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1\n        with:\n          persist-credentials: false",
		},
		{
			name: "with block",
			head: "on: push\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - name: co\n        uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n",
			want: "        with:\n          persist-credentials: false",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScanner(t, config.BuildConfig{})
			rep := scannertest.Scan(t, s, scannertest.NewFile(".github/workflows/p.yml", nil, []byte(tc.head)))
			var fix *scanners.Fix
			for _, f := range rep.Findings {
				if f.Rule.ID == rulePersistCreds.ID {
					fix = f.Fix
				}
			}
			if fix == nil {
				t.Fatal("no fix")
			}
			if diff := cmp.Diff(tc.want, fix.Replacement); diff != "" {
				t.Errorf("replacement (-want +got):\n%s", diff)
			}
			lines := strings.Split(tc.head, "\n")
			fixed := strings.Join(append(append(append([]string{}, lines[:fix.StartLine-1]...), fix.Replacement), lines[fix.EndLine:]...), "\n")
			again := scannertest.Scan(t, s, scannertest.NewFile(".github/workflows/p.yml", nil, []byte(fixed)))
			for _, f := range again.Findings {
				if f.Rule.ID == rulePersistCreds.ID {
					t.Errorf("fixed workflow still has %s:\n%s", f.Rule.ID, fixed)
				}
			}
		})
	}
}
