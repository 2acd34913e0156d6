package githubtest

import (
	"crypto/rsa"
	"crypto/sha1"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Installation is an installation of a GitHub App.
type Installation struct {
	ID      int64
	AppID   int64
	Account string // login of the user or organisation it is installed on
	// Permissions the installation granted ("checks": "write", …). Nil
	// allows every call the fake models; set it to enforce the manifest.
	Permissions map[string]string
}

// Repo is a repository. Owner and Name are matched case-insensitively.
type Repo struct {
	ID             int64
	Owner, Name    string
	InstallationID int64
	DefaultBranch  string // "main" if empty
	Private        bool
	// CloneURL is the repository's clone_url in API responses, e.g. a
	// diff/gittest server's URL, so an app in another process fetches
	// from a real git server. Empty leaves what the fake answered before
	// (the contract example's URL, or github.com's for the installation's
	// repository list).
	CloneURL string
}

// FullName is owner/name.
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

// PR is a pull request.
type PR struct {
	Number           int
	Title, Body      string
	Author           string // login; "octocat" if empty
	HeadSHA, BaseSHA string
	HeadRef, BaseRef string // "feature" and the default branch if empty
	HeadRepo         string // owner/name of a fork; the base repo if empty
	Draft            bool
	State            string   // "open" if empty
	Commits          []string // SHAs; [HeadSHA] if empty
	Files            []File
}

// File is one changed file of a pull request, as pulls/list-files shows it.
type File struct {
	Path         string
	PreviousPath string // for renames
	Status       string // added, removed, modified, renamed, copied, changed, unchanged
	Patch        string // unified-diff hunks without the ---/+++ header; empty when GitHub omits it
	SHA          string // blob SHA of the head version; derived from Path if empty
}

// Annotation is a check-run annotation as the app sent it.
type Annotation struct {
	Path            string `json:"path"`
	StartLine       int    `json:"start_line"`
	EndLine         int    `json:"end_line"`
	StartColumn     *int   `json:"start_column,omitempty"`
	EndColumn       *int   `json:"end_column,omitempty"`
	AnnotationLevel string `json:"annotation_level"`
	Message         string `json:"message"`
	Title           string `json:"title,omitempty"`
	RawDetails      string `json:"raw_details,omitempty"`
}

// CheckRun is a check run as the fake holds it.
type CheckRun struct {
	ID          int64
	Repo        string
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	ExternalID  string
	DetailsURL  string
	Title       string
	Summary     string
	Text        string
	Annotations []Annotation // appended across create and every update
	Actions     []map[string]any
	StartedAt   time.Time
	CompletedAt time.Time
	Updates     int // number of PATCH requests applied
}

// Review is a pull-request review.
type Review struct {
	ID         int64
	Repo       string
	PR         int
	User       string
	Body       string
	State      string // COMMENTED, CHANGES_REQUESTED, APPROVED, PENDING, DISMISSED
	CommitID   string
	CommentIDs []int64
	Submitted  time.Time
}

// ReviewComment is an inline or file-level review comment.
type ReviewComment struct {
	ID          int64
	Repo        string
	PR          int
	ReviewID    int64
	User        string
	Path        string
	Line        int
	Side        string
	StartLine   int
	StartSide   string
	Position    int
	SubjectType string // line or file
	Body        string
	CommitID    string
	InReplyTo   int64
	DiffHunk    string
	Created     time.Time
	Updated     time.Time
}

// IssueComment is a comment on a pull request's conversation.
type IssueComment struct {
	ID        int64
	Repo      string
	Issue     int
	User      string
	Body      string
	Reactions []Reaction
	Created   time.Time
	Updated   time.Time
}

// Reaction is an emoji reaction.
type Reaction struct {
	ID      int64
	User    string
	Content string
}

// SARIFUpload is a recorded code-scanning upload.
type SARIFUpload struct {
	ID        string
	Repo      string
	CommitSHA string
	Ref       string
	SARIF     string // as sent: gzip-compressed, base64-encoded
}

// Permission levels of the collaborator permission API.
const (
	PermAdmin    = "admin"
	PermMaintain = "maintain"
	PermWrite    = "write"
	PermTriage   = "triage"
	PermRead     = "read"
	PermNone     = "none"
)

type token struct {
	value     string
	inst      int64
	expiresAt time.Time
}

type repoState struct {
	Repo
	prs         map[int]*PR
	perms       map[string]string
	commits     map[string]map[string][]byte // commit SHA → path → content
	refs        map[string]string            // branch → commit SHA
	blobs       map[string][]byte            // blob SHA → content
	threadsDone map[int64]bool               // root review comment id → resolved
}

type state struct {
	nextID     int64
	apps       map[int64]*rsa.PublicKey
	insts      map[int64]*Installation
	tokens     map[string]*token
	repos      map[string]*repoState
	checkRuns  map[int64]*CheckRun
	reviews    map[int64]*Review
	revComms   map[int64]*ReviewComment
	issueComms map[int64]*IssueComment
	sarifs     []SARIFUpload
}

func newState() *state {
	return &state{
		nextID:     1000,
		apps:       map[int64]*rsa.PublicKey{},
		insts:      map[int64]*Installation{},
		tokens:     map[string]*token{},
		repos:      map[string]*repoState{},
		checkRuns:  map[int64]*CheckRun{},
		reviews:    map[int64]*Review{},
		revComms:   map[int64]*ReviewComment{},
		issueComms: map[int64]*IssueComment{},
	}
}

func (st *state) id() int64 { st.nextID++; return st.nextID }

// AddApp registers a GitHub App and the public key its JWTs are verified
// with.
func (s *Server) AddApp(appID int64, pub *rsa.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.apps[appID] = pub
}

// AddInstallation registers an installation of an app added with AddApp.
func (s *Server) AddInstallation(in Installation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.apps[in.AppID]; !ok {
		s.t.Fatalf("githubtest: AddInstallation(%d): app %d not added", in.ID, in.AppID)
	}
	if in.Account == "" {
		in.Account = "octo-org"
	}
	c := in
	if in.Permissions != nil {
		c.Permissions = map[string]string{}
		for k, v := range in.Permissions {
			c.Permissions[k] = v
		}
	}
	s.st.insts[in.ID] = &c
}

// AddRepo adds a repository reachable by an installation.
func (s *Server) AddRepo(r Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.insts[r.InstallationID]; !ok {
		s.t.Fatalf("githubtest: AddRepo(%s): installation %d not added", r.FullName(), r.InstallationID)
	}
	if r.ID == 0 {
		r.ID = s.st.id()
	}
	if r.DefaultBranch == "" {
		r.DefaultBranch = "main"
	}
	s.st.repos[strings.ToLower(r.FullName())] = &repoState{
		Repo: r, prs: map[int]*PR{}, perms: map[string]string{},
		commits: map[string]map[string][]byte{}, refs: map[string]string{},
		blobs: map[string][]byte{}, threadsDone: map[int64]bool{},
	}
}

func (s *Server) repoLocked(name string) *repoState {
	rs, ok := s.st.repos[strings.ToLower(name)]
	if !ok {
		s.t.Fatalf("githubtest: repository %s not added", name)
	}
	return rs
}

// AddPullRequest adds or replaces a pull request (replace it to model a
// push: new head SHA, new files). Review comments are always checked
// against the current files, even when they name an earlier commit_id.
func (s *Server) AddPullRequest(repo string, pr PR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.repoLocked(repo)
	if pr.State == "" {
		pr.State = "open"
	}
	if pr.Author == "" {
		pr.Author = "octocat"
	}
	if pr.HeadRef == "" {
		pr.HeadRef = "feature"
	}
	if pr.BaseRef == "" {
		pr.BaseRef = rs.DefaultBranch
	}
	if len(pr.Commits) == 0 {
		// A push keeps the earlier commits in the pull request (list
		// Commits explicitly to model a force-push that drops them).
		if old, ok := rs.prs[pr.Number]; ok {
			pr.Commits = append(pr.Commits, old.Commits...)
		}
		if !slices.Contains(pr.Commits, pr.HeadSHA) {
			pr.Commits = append(pr.Commits, pr.HeadSHA)
		}
	}
	pr.Files = append([]File(nil), pr.Files...)
	for i := range pr.Files {
		if pr.Files[i].SHA == "" {
			pr.Files[i].SHA = BlobSHA([]byte(pr.HeadSHA + ":" + pr.Files[i].Path))
		}
		if pr.Files[i].Status == "" {
			pr.Files[i].Status = "modified"
		}
	}
	rs.prs[pr.Number] = &pr
}

// SetPermission sets a user's permission on a repository: one of
// PermAdmin, PermMaintain, PermWrite, PermTriage, PermRead, PermNone.
func (s *Server) SetPermission(repo, user, level string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch level {
	case PermAdmin, PermMaintain, PermWrite, PermTriage, PermRead, PermNone:
	default:
		s.t.Fatalf("githubtest: SetPermission: unknown level %q", level)
	}
	s.repoLocked(repo).perms[strings.ToLower(user)] = level
}

// AddCommit stores the full tree of a commit (path → content) so that
// contents, git trees and git blobs can serve it. branch, if not empty,
// is pointed at the commit.
func (s *Server) AddCommit(repo, sha, branch string, files map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.repoLocked(repo)
	tree := map[string][]byte{}
	for p, c := range files {
		b := []byte(c)
		tree[p] = b
		rs.blobs[BlobSHA(b)] = b
	}
	rs.commits[sha] = tree
	if branch != "" {
		rs.refs[branch] = sha
	}
}

// BlobSHA is the git object id of a blob with this content.
func BlobSHA(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// CheckRuns returns copies of the check runs of a repository, oldest first.
func (s *Server) CheckRuns(repo string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, c := range s.st.checkRuns {
		if strings.EqualFold(c.Repo, repo) {
			cp := *c
			cp.Annotations = append([]Annotation(nil), c.Annotations...)
			out = append(out, cp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Reviews returns copies of the reviews of a pull request, oldest first.
func (s *Server) Reviews(repo string, pr int) []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Review
	for _, r := range s.st.reviews {
		if strings.EqualFold(r.Repo, repo) && r.PR == pr {
			cp := *r
			cp.CommentIDs = append([]int64(nil), r.CommentIDs...)
			out = append(out, cp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Comments returns copies of the review comments of a pull request,
// oldest first.
func (s *Server) Comments(repo string, pr int) []ReviewComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reviewCommentsLocked(repo, pr)
}

func (s *Server) reviewCommentsLocked(repo string, pr int) []ReviewComment {
	var out []ReviewComment
	for _, c := range s.st.revComms {
		if strings.EqualFold(c.Repo, repo) && c.PR == pr {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IssueComments returns copies of the conversation comments of a pull
// request, oldest first.
func (s *Server) IssueComments(repo string, pr int) []IssueComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IssueComment
	for _, c := range s.st.issueComms {
		if strings.EqualFold(c.Repo, repo) && c.Issue == pr {
			cp := *c
			cp.Reactions = append([]Reaction(nil), c.Reactions...)
			out = append(out, cp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SARIFUploads returns the code-scanning uploads received so far.
func (s *Server) SARIFUploads() []SARIFUpload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SARIFUpload(nil), s.st.sarifs...)
}

// ThreadResolved reports whether the review thread rooted at comment id
// has been resolved.
func (s *Server) ThreadResolved(repo string, rootCommentID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.repoLocked(repo).threadsDone[rootCommentID]
}

// AddIssueComment adds a conversation comment written by a person (for
// example a slash command) and returns its id.
func (s *Server) AddIssueComment(repo string, pr int, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repoLocked(repo)
	now := s.clock.Now()
	c := &IssueComment{ID: s.st.id(), Repo: repo, Issue: pr, User: user, Body: body, Created: now, Updated: now}
	s.st.issueComms[c.ID] = c
	return c.ID
}

// AddReply adds a person's reply to the review thread rooted at
// rootCommentID and returns the reply's id.
func (s *Server) AddReply(repo string, pr int, rootCommentID int64, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	root, ok := s.st.revComms[rootCommentID]
	if !ok {
		s.t.Fatalf("githubtest: AddReply: no review comment %d", rootCommentID)
	}
	now := s.clock.Now()
	c := *root
	c.ID, c.User, c.Body, c.InReplyTo, c.Created, c.Updated = s.st.id(), user, body, root.ID, now, now
	s.st.revComms[c.ID] = &c
	return c.ID
}
