package githubtest

import (
	"fmt"
	"net/http"
	"sort"
	"time"
	"unicode/utf8"
)

// Review comments.

func (s *Server) reviewCommentObject(rs *repoState, c *ReviewComment) map[string]any {
	o := s.spec.example("pull-request-review-comment")
	url := fmt.Sprintf("%s/pulls/comments/%d", s.repoURL(rs), c.ID)
	prURL := fmt.Sprintf("%s/pulls/%d", s.repoURL(rs), c.PR)
	html := fmt.Sprintf("https://github.com/%s/pull/%d#discussion_r%d", rs.FullName(), c.PR, c.ID)
	o["url"] = url
	o["pull_request_review_id"] = c.ReviewID
	o["id"] = c.ID
	o["node_id"] = nodeID("PRRC", c.ID)
	o["diff_hunk"] = c.DiffHunk
	o["path"] = c.Path
	o["commit_id"], o["original_commit_id"] = c.CommitID, c.CommitID
	o["user"] = s.user(c.User)
	o["body"] = c.Body
	o["created_at"], o["updated_at"] = ts(c.Created), ts(c.Updated)
	o["html_url"] = html
	o["pull_request_url"] = prURL
	o["author_association"] = "NONE"
	o["_links"] = map[string]any{
		"self": map[string]any{"href": url}, "html": map[string]any{"href": html},
		"pull_request": map[string]any{"href": prURL},
	}
	o["subject_type"] = c.SubjectType
	if c.InReplyTo != 0 {
		o["in_reply_to_id"] = c.InReplyTo
	} else {
		delete(o, "in_reply_to_id")
	}
	delete(o, "reactions")
	for _, k := range []string{"position", "original_position", "line", "original_line", "side", "original_side", "start_line", "original_start_line", "start_side", "original_start_side"} {
		delete(o, k)
	}
	if c.SubjectType != "file" {
		pl := s.place(c)
		if c.Position != 0 {
			o["original_position"] = c.Position
			if !pl.outdated && pl.line == c.Line {
				o["position"] = c.Position
			}
		}
		if c.Line != 0 {
			o["original_line"], o["side"], o["original_side"] = c.Line, c.Side, c.Side
			if !pl.outdated {
				o["line"] = pl.line
			}
		}
		if c.StartLine != 0 {
			o["start_line"], o["original_start_line"], o["start_side"] = c.StartLine, c.StartLine, c.StartSide
		}
	}
	return o
}

func (s *Server) reviewCommentList(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	cs := s.reviewCommentsLocked(rs.FullName(), p.Number)
	lo, hi, link := s.paginate(ex, len(cs))
	out := []any{}
	for i := range cs[lo:hi] {
		out = append(out, s.reviewCommentObject(rs, &cs[lo+i]))
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

func (s *Server) reviewCommentCreate(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	var req reviewCommentRequest
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	if rep, bad := s.bodyTooLong(ex.op, "Comment", req.Body); bad {
		return rep
	}
	if req.InReplyTo != 0 {
		return s.reply(rs, p, req.InReplyTo, req.Body)
	}
	rc, err := s.resolveComment(p, req)
	if err != nil {
		s.violation("pulls/create-review-comment on %s#%d rejected: %v", rs.FullName(), p.Number, err)
		return validationError("Validation Failed", []fieldError{{
			Resource: "PullRequestReviewComment", Code: "custom", Field: "pull_request_review_thread.line", Message: err.Error(),
		}})
	}
	now := s.clock.Now()
	// A lone comment is posted as a one-comment review.
	rv := &Review{ID: s.st.id(), Repo: rs.FullName(), PR: p.Number, User: s.cfg.botLogin, State: "COMMENTED", CommitID: req.CommitID, Submitted: now}
	rc.ID, rc.Repo, rc.PR, rc.ReviewID, rc.User, rc.CommitID = s.st.id(), rs.FullName(), p.Number, rv.ID, s.cfg.botLogin, req.CommitID
	rc.Created, rc.Updated = now, now
	rv.CommentIDs = []int64{rc.ID}
	s.st.reviews[rv.ID] = rv
	s.st.revComms[rc.ID] = rc
	return jsonReply(http.StatusCreated, s.reviewCommentObject(rs, rc))
}

func (s *Server) reviewCommentReply(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "pull_number")
	if !ok {
		return rep
	}
	var req struct {
		Body string `json:"body"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	if rep, bad := s.bodyTooLong(ex.op, "Comment", req.Body); bad {
		return rep
	}
	return s.reply(rs, p, ex.intParam("comment_id"), req.Body)
}

// reply adds the app's reply to the thread containing comment id.
func (s *Server) reply(rs *repoState, p *PR, id int64, body string) reply {
	root, ok := s.st.revComms[id]
	if !ok || root.Repo != rs.FullName() || root.PR != p.Number {
		return basicError(http.StatusNotFound, "Not Found")
	}
	if root.InReplyTo != 0 {
		root = s.st.revComms[root.InReplyTo] // replies attach to the thread's root
	}
	now := s.clock.Now()
	c := *root
	c.ID, c.User, c.Body, c.InReplyTo, c.Created, c.Updated = s.st.id(), s.cfg.botLogin, body, root.ID, now, now
	s.st.revComms[c.ID] = &c
	return jsonReply(http.StatusCreated, s.reviewCommentObject(rs, &c))
}

// reviewComment finds a comment of the request's repository.
func (s *Server) reviewComment(ex *exchange) (*repoState, *ReviewComment, reply, bool) {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return nil, nil, rep, false
	}
	c, ok := s.st.revComms[ex.intParam("comment_id")]
	if !ok || c.Repo != rs.FullName() {
		return nil, nil, basicError(http.StatusNotFound, "Not Found"), false
	}
	return rs, c, reply{}, true
}

func (s *Server) reviewCommentUpdate(ex *exchange) reply {
	rs, c, rep, ok := s.reviewComment(ex)
	if !ok {
		return rep
	}
	body, rep, ok := s.editedBody(ex, c.ID, c.User)
	if !ok {
		return rep
	}
	c.Body, c.Updated = body, s.clock.Now()
	return jsonReply(http.StatusOK, s.reviewCommentObject(rs, c))
}

func (s *Server) reviewCommentDelete(ex *exchange) reply {
	_, c, rep, ok := s.reviewComment(ex)
	if !ok {
		return rep
	}
	if c.User != s.cfg.botLogin {
		s.violation("pulls/delete-review-comment: comment %d was written by %s, not the app", c.ID, c.User)
		return basicError(http.StatusForbidden, "Resource not accessible by integration")
	}
	delete(s.st.revComms, c.ID)
	return reply{status: http.StatusNoContent}
}

// Issue comments and reactions.

func (s *Server) issueCommentObject(rs *repoState, c *IssueComment) map[string]any {
	o := s.spec.example("issue-comment")
	o["id"] = c.ID
	o["node_id"] = nodeID("IC", c.ID)
	o["url"] = fmt.Sprintf("%s/issues/comments/%d", s.repoURL(rs), c.ID)
	o["html_url"] = fmt.Sprintf("https://github.com/%s/pull/%d#issuecomment-%d", rs.FullName(), c.Issue, c.ID)
	o["issue_url"] = fmt.Sprintf("%s/issues/%d", s.repoURL(rs), c.Issue)
	o["body"] = c.Body
	o["user"] = s.user(c.User)
	o["created_at"], o["updated_at"] = ts(c.Created), ts(c.Updated)
	o["author_association"] = "NONE"
	delete(o, "reactions")
	delete(o, "performed_via_github_app")
	return o
}

func (s *Server) issueCommentCreate(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "issue_number")
	if !ok {
		return rep
	}
	var req struct {
		Body string `json:"body"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	if rep, bad := s.bodyTooLong(ex.op, "Comment", req.Body); bad {
		return rep
	}
	now := s.clock.Now()
	c := &IssueComment{ID: s.st.id(), Repo: rs.FullName(), Issue: p.Number, User: s.cfg.botLogin, Body: req.Body, Created: now, Updated: now}
	s.st.issueComms[c.ID] = c
	return jsonReply(http.StatusCreated, s.issueCommentObject(rs, c))
}

func (s *Server) issueCommentList(ex *exchange) reply {
	rs, p, rep, ok := s.pr(ex, "issue_number")
	if !ok {
		return rep
	}
	var since time.Time
	if v := ex.query.Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v) // the contract checked the date-time format
	}
	var cs []*IssueComment
	for _, c := range s.st.issueComms {
		if c.Repo == rs.FullName() && c.Issue == p.Number && !c.Updated.Before(since) {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	lo, hi, link := s.paginate(ex, len(cs))
	out := []any{}
	for _, c := range cs[lo:hi] {
		out = append(out, s.issueCommentObject(rs, c))
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

func (s *Server) issueComment(ex *exchange) (*repoState, *IssueComment, reply, bool) {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return nil, nil, rep, false
	}
	c, ok := s.st.issueComms[ex.intParam("comment_id")]
	if !ok || c.Repo != rs.FullName() {
		return nil, nil, basicError(http.StatusNotFound, "Not Found"), false
	}
	return rs, c, reply{}, true
}

func (s *Server) issueCommentUpdate(ex *exchange) reply {
	rs, c, rep, ok := s.issueComment(ex)
	if !ok {
		return rep
	}
	body, rep, ok := s.editedBody(ex, c.ID, c.User)
	if !ok {
		return rep
	}
	c.Body, c.Updated = body, s.clock.Now()
	return jsonReply(http.StatusOK, s.issueCommentObject(rs, c))
}

func (s *Server) reactionCreate(ex *exchange) reply {
	_, c, rep, ok := s.issueComment(ex)
	if !ok {
		return rep
	}
	var req struct {
		Content string `json:"content"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	status := http.StatusCreated
	var r *Reaction
	for i := range c.Reactions {
		if c.Reactions[i].User == s.cfg.botLogin && c.Reactions[i].Content == req.Content {
			r, status = &c.Reactions[i], http.StatusOK // "Reaction exists"
		}
	}
	if r == nil {
		c.Reactions = append(c.Reactions, Reaction{ID: s.st.id(), User: s.cfg.botLogin, Content: req.Content})
		r = &c.Reactions[len(c.Reactions)-1]
	}
	o := s.spec.example("reaction")
	o["id"] = r.ID
	o["node_id"] = nodeID("REA", r.ID)
	o["user"] = s.user(r.User)
	o["content"] = r.Content
	o["created_at"] = ts(s.clock.Now())
	return jsonReply(status, o)
}

// maxCommentBody is GitHub's limit on a comment or review body: "body is
// too long (maximum is 65536 characters)".
const maxCommentBody = 65536

// bodyTooLong answers 422 for an over-long body and records the
// violation: the app must keep its comments under the limit.
func (s *Server) bodyTooLong(op, resource, body string) (reply, bool) {
	if utf8.RuneCountInString(body) <= maxCommentBody {
		return reply{}, false
	}
	s.violation("%s: body of %d characters is over GitHub's %d", op, utf8.RuneCountInString(body), maxCommentBody)
	if op == "pulls/create-review" { // declares validation-error-simple
		return validationErrorSimple("Unprocessable Entity", "body is too long (maximum is 65536 characters)"), true
	}
	return validationError("Validation Failed", []fieldError{{Resource: resource, Code: "custom", Field: "body", Message: "body is too long (maximum is 65536 characters)"}}), true
}

// editedBody decodes the new body of a comment edit, enforcing GitHub's
// body length limit, and refuses (as a contract violation) an edit of a
// comment the app did not write, which GitHub answers with 403.
func (s *Server) editedBody(ex *exchange, id int64, author string) (string, reply, bool) {
	var req struct {
		Body string `json:"body"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return "", rep, false
	}
	if rep, bad := s.bodyTooLong(ex.op, "Comment", req.Body); bad {
		return "", rep, false
	}
	if author != s.cfg.botLogin {
		s.violation("%s: comment %d was written by %s, not the app", ex.op, id, author)
		return "", basicError(http.StatusForbidden, "Resource not accessible by integration"), false
	}
	return req.Body, reply{}, true
}
