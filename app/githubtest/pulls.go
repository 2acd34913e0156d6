package githubtest

import (
	"fmt"
	"net/http"
	"strings"
)

// MaxPRFiles is the most files pulls/list-files returns: "Responses
// include a maximum of 3000 files" (docs.github.com/rest/pulls/pulls#list-pull-requests-files).
const MaxPRFiles = 3000

func (s *Server) pullObject(rs *repoState, p *PR) map[string]any {
	o := s.spec.example("pull-request")
	id := int64(rs.ID)*100000 + int64(p.Number)
	o["id"] = id
	o["node_id"] = nodeID("PR", id)
	o["number"] = p.Number
	o["title"] = p.Title
	o["body"] = strOrNil(p.Body)
	o["state"] = p.State
	o["draft"] = p.Draft
	o["user"] = s.user(p.Author)
	o["url"] = fmt.Sprintf("%s/pulls/%d", s.repoURL(rs), p.Number)
	o["html_url"] = fmt.Sprintf("https://github.com/%s/pull/%d", rs.FullName(), p.Number)
	o["requested_teams"] = []any{} // upstream's example lacks requested_teams[0].type
	o["merged"] = false
	o["commits"] = len(p.Commits)
	o["changed_files"] = len(p.Files)
	add, del := 0, 0
	for _, f := range p.Files {
		a, d := patchStats(f.Patch)
		add, del = add+a, del+d
	}
	o["additions"], o["deletions"] = add, del
	head, _ := o["head"].(map[string]any)
	base, _ := o["base"].(map[string]any)
	headRepo := rs
	if p.HeadRepo != "" && !strings.EqualFold(p.HeadRepo, rs.FullName()) {
		owner, name, _ := strings.Cut(p.HeadRepo, "/")
		headRepo = &repoState{Repo: Repo{ID: userID(p.HeadRepo), Owner: owner, Name: name, DefaultBranch: "main"}}
	}
	fill := func(b map[string]any, r *repoState, ref, sha string) {
		b["ref"], b["sha"] = ref, sha
		b["label"] = r.Owner + ":" + ref
		b["user"] = s.user(r.Owner)
		if repo, ok := b["repo"].(map[string]any); ok {
			b["repo"] = s.repository(repo, r)
		}
	}
	fill(head, headRepo, p.HeadRef, p.HeadSHA)
	fill(base, rs, p.BaseRef, p.BaseSHA)
	return o
}

func (s *Server) pullGet(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, s.pullObject(rs, p))
}

// diffEntry is one file in the diff-entry shape.
// diffEntry is GitHub's diff-entry object (a file of pulls/list-files
// and compare). A struct, not a map like most of the fake's answers: a
// page holds a hundred of them, and encoding maps (sorted keys, one
// interface per value) cost the fake several milliseconds of CPU a page,
// which on a small machine the app's benchmarks would pay for.
type diffEntry struct {
	SHA              string `json:"sha"`
	Filename         string `json:"filename"`
	Status           string `json:"status"`
	Additions        int    `json:"additions"`
	Deletions        int    `json:"deletions"`
	Changes          int    `json:"changes"`
	BlobURL          string `json:"blob_url"`
	RawURL           string `json:"raw_url"`
	ContentsURL      string `json:"contents_url"`
	Patch            string `json:"patch,omitempty"`
	PreviousFilename string `json:"previous_filename,omitempty"`
}

func (s *Server) diffEntry(rs *repoState, sha string, f File) diffEntry {
	add, del := patchStats(f.Patch)
	return diffEntry{
		SHA: f.SHA, Filename: f.Path, Status: f.Status,
		Additions: add, Deletions: del, Changes: add + del,
		BlobURL:          "https://github.com/" + rs.FullName() + "/blob/" + sha + "/" + f.Path,
		RawURL:           "https://github.com/" + rs.FullName() + "/raw/" + sha + "/" + f.Path,
		ContentsURL:      s.repoURL(rs) + "/contents/" + f.Path + "?ref=" + sha,
		Patch:            f.Patch,
		PreviousFilename: f.PreviousPath,
	}
}

func (s *Server) pullListFiles(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	files := p.Files
	if len(files) > MaxPRFiles {
		files = files[:MaxPRFiles]
	}
	lo, hi, link := s.paginate(ex, len(files))
	out := []diffEntry{}
	for _, f := range files[lo:hi] {
		out = append(out, s.diffEntry(rs, p.HeadSHA, f))
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

func (s *Server) commitObject(rs *repoState, sha string) map[string]any {
	o := s.spec.example("commit-items")
	o["sha"] = sha
	o["node_id"] = nodeID("C", int64(len(sha)))
	o["url"] = s.repoURL(rs) + "/commits/" + sha
	o["html_url"] = "https://github.com/" + rs.FullName() + "/commit/" + sha
	o["comments_url"] = s.repoURL(rs) + "/commits/" + sha + "/comments"
	o["files"] = []any{}
	return o
}

func (s *Server) pullListCommits(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	lo, hi, link := s.paginate(ex, len(p.Commits))
	out := []any{}
	for _, c := range p.Commits[lo:hi] {
		out = append(out, s.commitObject(rs, c))
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

// repoCompare answers compare for a base...head pair of a known pull
// request (by SHA or ref). Files appear on the first page only, at most
// 300 (docs.github.com/rest/commits/commits#compare-two-commits).
func (s *Server) repoCompare(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	base, head, found := strings.Cut(ex.param("basehead"), "...")
	if !found {
		return basicError(http.StatusNotFound, "Not Found")
	}
	var p *PR
	for _, c := range rs.prs {
		if (c.BaseSHA == base || c.BaseRef == base) && (c.HeadSHA == head || c.HeadRef == head) {
			p = c
			break
		}
	}
	if p == nil {
		return basicError(http.StatusNotFound, "Not Found")
	}
	if a := ex.r.Header.Get("Accept"); strings.Contains(a, "diff") || strings.Contains(a, "patch") {
		s.t.Errorf("githubtest: compare with Accept %q is not modelled; use the JSON form", a)
		return basicError(http.StatusNotAcceptable, "not modelled by githubtest")
	}
	o := s.spec.example("commit-comparison")
	o["status"] = "ahead"
	o["ahead_by"] = len(p.Commits)
	o["behind_by"] = 0
	o["total_commits"] = len(p.Commits)
	o["base_commit"] = s.commitObject(rs, p.BaseSHA)
	o["merge_base_commit"] = s.commitObject(rs, p.BaseSHA)
	commits := []any{}
	for _, c := range p.Commits {
		commits = append(commits, s.commitObject(rs, c))
	}
	o["commits"] = commits
	files := []any{}
	if ex.query.Get("page") == "" || ex.query.Get("page") == "1" {
		for i, f := range p.Files {
			if i == 300 {
				break
			}
			files = append(files, s.diffEntry(rs, p.HeadSHA, f))
		}
	}
	o["files"] = files
	return jsonReply(http.StatusOK, o)
}
