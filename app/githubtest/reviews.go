package githubtest

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// reviewCommentRequest is one comment of a review, or the body of
// pulls/create-review-comment.
type reviewCommentRequest struct {
	Path        string `json:"path"`
	Position    int    `json:"position"`
	Body        string `json:"body"`
	Line        int    `json:"line"`
	Side        string `json:"side"`
	StartLine   int    `json:"start_line"`
	StartSide   string `json:"start_side"`
	SubjectType string `json:"subject_type"`
	CommitID    string `json:"commit_id"`
	InReplyTo   int64  `json:"in_reply_to"`
}

// resolve checks a comment against the pull request's diff and returns
// the comment to store, or the reason GitHub would reject it.
func (s *Server) resolveComment(p *PR, c reviewCommentRequest) (*ReviewComment, error) {
	var f *File
	for i := range p.Files {
		if p.Files[i].Path == c.Path {
			f = &p.Files[i]
			break
		}
	}
	if f == nil {
		return nil, fmt.Errorf("path %q is not part of the pull request", c.Path)
	}
	rc := &ReviewComment{
		Path: c.Path, Body: c.Body, Line: c.Line, Side: c.Side, StartLine: c.StartLine,
		StartSide: c.StartSide, Position: c.Position, SubjectType: c.SubjectType,
	}
	if c.SubjectType == "file" {
		if c.Line != 0 || c.StartLine != 0 || c.Position != 0 {
			return nil, fmt.Errorf("%s: a file-level comment (subject_type: file) takes no line or position", c.Path)
		}
		rc.Side = ""
		return rc, nil
	}
	if c.SubjectType != "" && c.SubjectType != "line" {
		return nil, fmt.Errorf("%s: subject_type %q is not line or file", c.Path, c.SubjectType)
	}
	rc.SubjectType = "line"
	for _, side := range []string{c.Side, c.StartSide} {
		if side != "" && side != "LEFT" && side != "RIGHT" {
			return nil, fmt.Errorf("%s: side %q is not LEFT or RIGHT", c.Path, side)
		}
	}
	if c.Line == 0 && c.Position == 0 {
		return nil, fmt.Errorf("%s: a line comment needs line (or the deprecated position)", c.Path)
	}
	if c.StartLine != 0 && c.Line == 0 {
		return nil, fmt.Errorf("%s: start_line needs line", c.Path)
	}
	if f.Patch == "" {
		return nil, fmt.Errorf("%s: pull_request_review_thread.line must be part of the diff (the file has no patch)", c.Path)
	}
	hunks, err := parsePatch(f.Patch)
	if err != nil {
		s.t.Errorf("githubtest: the test's patch for %s does not parse: %v", c.Path, err)
		return nil, err
	}
	dh, err := checkAnchor(hunks, anchor{line: c.Line, side: c.Side, startLine: c.StartLine, startSide: c.StartSide, position: c.Position})
	if err != nil {
		return nil, fmt.Errorf("%s: pull_request_review_thread.%v", c.Path, err)
	}
	rc.DiffHunk = dh
	if rc.Line != 0 && rc.Side == "" {
		rc.Side = "RIGHT"
	}
	if rc.StartLine != 0 && rc.StartSide == "" {
		rc.StartSide = rc.Side
	}
	return rc, nil
}

var reviewStates = map[string]string{
	"": "PENDING", "COMMENT": "COMMENTED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "APPROVE": "APPROVED",
}

func (s *Server) reviewCreate(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	var req struct {
		CommitID string                 `json:"commit_id"`
		Body     string                 `json:"body"`
		Event    string                 `json:"event"`
		Comments []reviewCommentRequest `json:"comments"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	if rep, bad := s.bodyTooLong(ex.op, "PullRequestReview", req.Body); bad {
		return rep
	}
	for _, c := range req.Comments {
		if rep, bad := s.bodyTooLong(ex.op, "PullRequestReviewComment", c.Body); bad {
			return rep
		}
	}
	var errs []string
	if req.CommitID != "" && !slices.Contains(p.Commits, req.CommitID) {
		errs = append(errs, "commit_id is not part of the pull request")
	}
	if strings.TrimSpace(req.Body) == "" && (req.Event == "REQUEST_CHANGES" || (req.Event == "COMMENT" && len(req.Comments) == 0)) {
		errs = append(errs, "Body is required when using "+req.Event)
	}
	// One bad comment fails the whole review and stores nothing.
	var comments []*ReviewComment
	for i, c := range req.Comments {
		rc, err := s.resolveComment(p, c)
		if err != nil {
			errs = append(errs, fmt.Sprintf("comments[%d]: %v", i, err))
			continue
		}
		comments = append(comments, rc)
	}
	if len(errs) > 0 {
		s.violation("pulls/create-review on %s#%d rejected: %s", rs.FullName(), p.Number, strings.Join(errs, "; "))
		return validationErrorSimple("Unprocessable Entity", errs...)
	}
	commit := req.CommitID
	if commit == "" {
		commit = p.HeadSHA
	}
	now := s.clock.Now()
	rv := &Review{ID: s.st.id(), Repo: rs.FullName(), PR: p.Number, User: s.cfg.botLogin, Body: req.Body, State: reviewStates[req.Event], CommitID: commit}
	if rv.State != "PENDING" {
		rv.Submitted = now
	}
	for _, rc := range comments {
		rc.ID, rc.Repo, rc.PR, rc.ReviewID, rc.User, rc.CommitID = s.st.id(), rs.FullName(), p.Number, rv.ID, s.cfg.botLogin, commit
		rc.Created, rc.Updated = now, now
		s.st.revComms[rc.ID] = rc
		rv.CommentIDs = append(rv.CommentIDs, rc.ID)
	}
	s.st.reviews[rv.ID] = rv
	return jsonReply(http.StatusOK, s.reviewObject(rs, rv))
}

func (s *Server) reviewList(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	var rvs []*Review
	for _, rv := range s.st.reviews {
		if rv.Repo == rs.FullName() && rv.PR == p.Number {
			rvs = append(rvs, rv)
		}
	}
	sort.Slice(rvs, func(i, j int) bool { return rvs[i].ID < rvs[j].ID })
	lo, hi, link := s.paginate(ex, len(rvs))
	out := []any{}
	for _, rv := range rvs[lo:hi] {
		out = append(out, s.reviewObject(rs, rv))
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

func (s *Server) reviewDismiss(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	rv, ok := s.st.reviews[ex.intParam("review_id")]
	if !ok || rv.Repo != rs.FullName() || rv.PR != p.Number {
		return basicError(http.StatusNotFound, "Not Found")
	}
	if rv.State == "PENDING" {
		return validationErrorSimple("Unprocessable Entity", "Can not dismiss a pending pull request review")
	}
	rv.State = "DISMISSED"
	return jsonReply(http.StatusOK, s.reviewObject(rs, rv))
}

func (s *Server) reviewObject(rs *repoState, rv *Review) map[string]any {
	o := s.spec.example("pull-request-review")
	o["id"] = rv.ID
	o["node_id"] = nodeID("PRR", rv.ID)
	o["user"] = s.user(rv.User)
	o["body"] = rv.Body
	o["state"] = rv.State
	o["commit_id"] = rv.CommitID
	o["html_url"] = fmt.Sprintf("https://github.com/%s/pull/%d#pullrequestreview-%d", rs.FullName(), rv.PR, rv.ID)
	o["pull_request_url"] = fmt.Sprintf("%s/pulls/%d", s.repoURL(rs), rv.PR)
	if rv.Submitted.IsZero() {
		delete(o, "submitted_at")
	} else {
		o["submitted_at"] = ts(rv.Submitted)
	}
	o["author_association"] = "NONE"
	o["_links"] = map[string]any{
		"html":         map[string]any{"href": o["html_url"]},
		"pull_request": map[string]any{"href": o["pull_request_url"]},
	}
	return o
}
