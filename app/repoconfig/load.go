package repoconfig

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/app/gh"
	"github.com/picketsec/picket/scanners/config"
)

// Path is where a repository keeps its configuration.
const Path = config.DefaultPath

// orgRepo is the repository an organisation's defaults live in, as for
// GitHub's own community-health files.
const orgRepo = ".github"

// maxSize mirrors scanners/config's cap; the contents API does not even
// return the bytes of files over 1 MB.
const maxSize = 1 << 20

// Origin says which of the three places the configuration came from.
type Origin int

// Origins, in the order they are tried.
const (
	// FromDefaults: no configuration file was found (or none could be
	// used); Config is config.Default().
	FromDefaults Origin = iota
	// FromRepo: the repository's own file at the base commit.
	FromRepo
	// FromOrg: the organisation default in OWNER/.github on its default branch.
	FromOrg
)

// String names the origin.
func (o Origin) String() string {
	switch o {
	case FromRepo:
		return "repository"
	case FromOrg:
		return "organisation default"
	}
	return "defaults"
}

// Source is the provenance of a configuration.
type Source struct {
	Origin Origin
	Repo   string // owner/name the file was read from; empty for defaults
	Path   string // path in Repo
	Ref    string // the base SHA for FromRepo; empty (default branch) for FromOrg
	SHA    string // blob id of the file read, empty if none was
}

// String is a one-line provenance for the check summary:
// "octo-org/hello:.github/picket.yml@1a2b3c4d5e6f", "organisation default
// octo-org/.github:.github/picket.yml", or "defaults".
func (s Source) String() string {
	switch s.Origin {
	case FromRepo:
		return fmt.Sprintf("%s:%s@%s", s.Repo, s.Path, short(s.Ref))
	case FromOrg:
		return fmt.Sprintf("organisation default %s:%s", s.Repo, s.Path)
	}
	return "defaults"
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// Result is a loaded configuration and how it was obtained.
type Result struct {
	// Config is the configuration to scan with. It is never nil: when
	// LoadErr or ParseErr is set it is config.Default(), and the check
	// summary must say why. It is read-only: a Loader hands the same
	// *config.Config to every scan of the same base commit.
	Config *config.Config
	// Source is where Config, or the file that failed, came from.
	Source Source
	// LoadErr is a file that could not be read: a network failure, a
	// permission, a rate limit (gh.KindOf tells which). It is a
	// *config.LoadError wrapping the GitHub error.
	LoadErr error
	// ParseErr is a file that was read but is invalid (YAML syntax, an
	// unknown key, a bad value), with its line.
	ParseErr *config.ParseError
}

// Retryable reports whether loading again later may succeed: the file
// could not be read for a transient reason or a rate limit. A worker
// should rather retry its job than scan with the defaults then.
func (r Result) Retryable() bool {
	return r.LoadErr != nil && gh.KindOf(r.LoadErr).Retryable()
}

// Load reads the configuration for a pull request of owner/repo whose
// base commit is baseSHA: `.github/picket.yml` at baseSHA; if that file
// does not exist, the organisation default at `.github/picket.yml` of
// owner/.github on its default branch; if neither exists, the defaults.
// A file that exists but cannot be read (403, 5xx) stops the search: the
// org default might be weaker than the file we could not see.
//
// The error is non-nil only when ctx is done; every other failure is in
// the Result.
//
// Load reads GitHub on every call; a server scanning many pushes should
// share one Loader, which caches what cannot change.
func Load(ctx context.Context, client *github.Client, owner, repo, baseSHA string) (Result, error) {
	return resolve(ctx, client, owner, repo, baseSHA, load)
}

// loadFunc reads one candidate, as load does.
type loadFunc func(ctx context.Context, client *github.Client, src Source) (Result, bool, error)

// resolve is Load's search order, reading each candidate with get.
func resolve(ctx context.Context, client *github.Client, owner, repo, baseSHA string, get loadFunc) (Result, error) {
	src := Source{Origin: FromRepo, Repo: owner + "/" + repo, Path: Path, Ref: baseSHA}
	res, found, err := get(ctx, client, src)
	if err != nil || found {
		return res, err
	}
	if strings.EqualFold(repo, orgRepo) {
		// The .github repository's own default branch is the org default;
		// reading it for its own pull requests would bypass the base rule.
		return Result{Config: config.Default(), Source: Source{Origin: FromDefaults}}, nil
	}
	org := Source{Origin: FromOrg, Repo: owner + "/" + orgRepo, Path: Path}
	res, found, err = get(ctx, client, org)
	if err != nil || found {
		return res, err
	}
	return Result{Config: config.Default(), Source: Source{Origin: FromDefaults}}, nil
}

// load reads and parses one candidate. found is false when the file (or
// its repository) does not exist, and the caller should look further.
func load(ctx context.Context, client *github.Client, src Source) (Result, bool, error) {
	owner, repo, _ := strings.Cut(src.Repo, "/")
	var opts *github.RepositoryContentGetOptions
	if src.Ref != "" {
		opts = &github.RepositoryContentGetOptions{Ref: src.Ref}
	}
	file, dir, resp, err := client.Repositories.GetContents(ctx, owner, repo, src.Path, opts)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return Result{}, false, fmt.Errorf("load config %s: %w", src, ctxErr)
	}
	res := Result{Config: config.Default(), Source: src}
	fail := func(err error) (Result, bool, error) {
		res.LoadErr = &config.LoadError{File: src.String(), Err: gh.Classify(err)}
		return res, true, nil
	}
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound && (src.Ref == "" || !missingRef(err)) {
			return res, false, nil
		}
		return fail(err)
	}
	if file == nil || dir != nil {
		return fail(&gh.Error{Kind: gh.Invalid, Op: "read " + src.Path, Err: errors.New("is a directory, not a file")})
	}
	res.Source.SHA = file.GetSHA()
	if file.GetSize() > maxSize || file.GetEncoding() == "none" {
		res.ParseErr = &config.ParseError{File: src.Path, Msg: fmt.Sprintf("file is larger than %d bytes", maxSize)}
		return res, true, nil
	}
	text, err := file.GetContent()
	if err != nil {
		return fail(&gh.Error{Kind: gh.Internal, Op: "decode " + src.Path, Err: err})
	}
	cfg, err := config.Parse([]byte(text), parseName(src))
	var pe *config.ParseError
	switch {
	case errors.As(err, &pe):
		res.ParseErr = pe
	case err != nil:
		// Parse promises *ParseError; anything else is still not a read failure.
		res.ParseErr = &config.ParseError{File: parseName(src), Msg: err.Error()}
	default:
		res.Config = cfg
	}
	return res, true, nil
}

// parseName is the file name ParseError messages carry: the bare path for
// the repository's own file (".github/picket.yml:7: …"), qualified with
// the repository for the org default.
func parseName(src Source) string {
	if src.Origin == FromOrg {
		return src.Repo + ":" + src.Path
	}
	return src.Path
}

// missingRef tells a 404 for a base commit GitHub does not know ("No
// commit found for the ref …") from a 404 for a missing file: the first
// is a load failure, not a reason to fall back to the org default.
func missingRef(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && strings.HasPrefix(er.Message, "No commit found")
}

// ChangedByPR reports whether a pull request touching files edits the
// configuration file; files should hold both paths of a rename. Such a change takes effect only after merge (the
// base commit's file is the one used), which the summary should say.
func ChangedByPR(files []string) bool {
	return slices.Contains(files, Path)
}
