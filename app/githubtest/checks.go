package githubtest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of one annotation that the contract states only in prose:
// "title … Maximum 255 characters", "message … Maximum 64 KB",
// "raw_details … Maximum 64 KB" (docs.github.com/rest/checks/runs#update-a-check-run).
const (
	maxAnnotationTitle   = 255
	maxAnnotationMessage = 64 * 1024
)

type checkOutput struct {
	Title       *string      `json:"title"`
	Summary     *string      `json:"summary"`
	Text        *string      `json:"text"`
	Annotations []Annotation `json:"annotations"`
}

type checkRequest struct {
	Name        *string          `json:"name"`
	HeadSHA     *string          `json:"head_sha"`
	DetailsURL  *string          `json:"details_url"`
	ExternalID  *string          `json:"external_id"`
	Status      *string          `json:"status"`
	Conclusion  *string          `json:"conclusion"`
	StartedAt   *time.Time       `json:"started_at"`
	CompletedAt *time.Time       `json:"completed_at"`
	Output      *checkOutput     `json:"output"`
	Actions     []map[string]any `json:"actions"`
}

// checkAnnotations enforces the per-annotation limits the schema lacks.
func checkAnnotations(as []Annotation) []fieldError {
	var errs []fieldError
	for i, a := range as {
		if utf8.RuneCountInString(a.Title) > maxAnnotationTitle {
			errs = append(errs, fieldError{Resource: "CheckRun", Field: fmt.Sprintf("output.annotations[%d].title", i), Code: "invalid", Message: "title is too long (maximum is 255 characters)"})
		}
		if len(a.Message) > maxAnnotationMessage {
			errs = append(errs, fieldError{Resource: "CheckRun", Field: fmt.Sprintf("output.annotations[%d].message", i), Code: "invalid", Message: "message is too long (maximum is 64 KB)"})
		}
		if len(a.RawDetails) > maxAnnotationMessage {
			errs = append(errs, fieldError{Resource: "CheckRun", Field: fmt.Sprintf("output.annotations[%d].raw_details", i), Code: "invalid", Message: "raw_details is too long (maximum is 64 KB)"})
		}
		if a.EndLine < a.StartLine {
			errs = append(errs, fieldError{Resource: "CheckRun", Field: fmt.Sprintf("output.annotations[%d].end_line", i), Code: "invalid", Message: "end_line must not precede start_line"})
		}
		if (a.StartColumn != nil || a.EndColumn != nil) && a.StartLine != a.EndLine {
			errs = append(errs, fieldError{Resource: "CheckRun", Field: fmt.Sprintf("output.annotations[%d].start_column", i), Code: "invalid", Message: "columns are only allowed when start_line equals end_line"})
		}
	}
	return errs
}

// apply merges a create or update request into c. Annotations are
// appended, never replaced: "Each time you update the check run,
// annotations are appended to the list of annotations that already exist".
func (c *CheckRun) apply(req *checkRequest, now time.Time) {
	if req.Name != nil {
		c.Name = *req.Name
	}
	if req.DetailsURL != nil {
		c.DetailsURL = *req.DetailsURL
	}
	if req.ExternalID != nil {
		c.ExternalID = *req.ExternalID
	}
	if req.Status != nil {
		c.Status = *req.Status
	}
	if req.Conclusion != nil {
		c.Conclusion = *req.Conclusion
		c.Status = "completed" // "Providing conclusion will automatically set the status parameter to completed."
	}
	if req.StartedAt != nil {
		c.StartedAt = *req.StartedAt
	}
	if req.CompletedAt != nil {
		c.CompletedAt = *req.CompletedAt
	}
	if c.Status == "completed" && c.CompletedAt.IsZero() {
		c.CompletedAt = now
	}
	if o := req.Output; o != nil {
		if o.Title != nil {
			c.Title = *o.Title
		}
		if o.Summary != nil {
			c.Summary = *o.Summary
		}
		if o.Text != nil {
			c.Text = *o.Text
		}
		c.Annotations = append(c.Annotations, o.Annotations...)
	}
	if req.Actions != nil {
		c.Actions = req.Actions
	}
}

func (s *Server) checkCreate(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	req, rep, ok := s.decodeCheck(ex)
	if !ok {
		return rep
	}
	now := s.clock.Now()
	c := &CheckRun{ID: s.st.id(), Repo: rs.FullName(), Status: "queued", StartedAt: now}
	if req.HeadSHA == nil || req.Name == nil {
		s.violation("checks/create without name or head_sha passed the contract check")
		return validationError("Validation Failed", []fieldError{{Resource: "CheckRun", Field: "head_sha", Code: "missing_field"}})
	}
	c.HeadSHA = *req.HeadSHA
	c.apply(&req, now)
	s.st.checkRuns[c.ID] = c
	return jsonReply(http.StatusCreated, s.checkObject(rs, c))
}

func (s *Server) checkRun(ex *exchange) (*repoState, *CheckRun, reply, bool) {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return nil, nil, rep, false
	}
	c, ok := s.st.checkRuns[ex.intParam("check_run_id")]
	if !ok || !strings.EqualFold(c.Repo, rs.FullName()) {
		return nil, nil, basicError(http.StatusNotFound, "Not Found"), false
	}
	return rs, c, reply{}, true
}

func (s *Server) checkGet(ex *exchange) reply {
	rs, c, rep, ok := s.checkRun(ex)
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, s.checkObject(rs, c))
}

func (s *Server) checkUpdate(ex *exchange) reply {
	rs, c, rep, ok := s.checkRun(ex)
	if !ok {
		return rep
	}
	req, rep, ok := s.decodeCheck(ex)
	if !ok {
		return rep
	}
	c.apply(&req, s.clock.Now())
	c.Updates++
	return jsonReply(http.StatusOK, s.checkObject(rs, c))
}

func (s *Server) checkListAnnotations(ex *exchange) reply {
	rs, c, rep, ok := s.checkRun(ex)
	if !ok {
		return rep
	}
	lo, hi, link := s.paginate(ex, len(c.Annotations))
	out := []any{}
	for _, a := range c.Annotations[lo:hi] {
		out = append(out, map[string]any{
			"path": a.Path, "start_line": a.StartLine, "end_line": a.EndLine,
			"start_column": a.StartColumn, "end_column": a.EndColumn,
			"annotation_level": a.AnnotationLevel, "title": strOrNil(a.Title),
			"message": a.Message, "raw_details": strOrNil(a.RawDetails),
			"blob_href": fmt.Sprintf("https://github.com/%s/blob/%s/%s", rs.FullName(), c.HeadSHA, a.Path),
		})
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

func (s *Server) checkListForRef(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	ref := ex.param("ref")
	if sha, ok := rs.refs[ref]; ok {
		ref = sha
	}
	name := ex.query.Get("check_name")
	var runs []*CheckRun
	for _, c := range s.st.checkRuns {
		if strings.EqualFold(c.Repo, rs.FullName()) && c.HeadSHA == ref && (name == "" || c.Name == name) {
			runs = append(runs, c)
		}
	}
	// GitHub lists the newest first.
	sort.Slice(runs, func(i, j int) bool { return runs[i].ID > runs[j].ID })
	if ex.query.Get("filter") != "all" {
		// filter=latest (the default) keeps the most recent run per name.
		seen := map[string]bool{}
		kept := runs[:0]
		for _, c := range runs {
			if !seen[c.Name] {
				seen[c.Name] = true
				kept = append(kept, c)
			}
		}
		runs = kept
	}
	lo, hi, link := s.paginate(ex, len(runs))
	out := []any{}
	for _, c := range runs[lo:hi] {
		out = append(out, s.checkObject(rs, c))
	}
	r := jsonReply(http.StatusOK, map[string]any{"total_count": len(runs), "check_runs": out})
	r.header = link
	return r
}

// checkRerequestSuite accepts the request; upstream's example is null,
// but the schema is empty-object, so answer {}.
func (s *Server) checkRerequestSuite(ex *exchange) reply {
	if _, rep, ok := s.repo(ex); !ok {
		return rep
	}
	return jsonReply(http.StatusCreated, map[string]any{})
}

func (s *Server) checkObject(rs *repoState, c *CheckRun) map[string]any {
	o := s.spec.example("check-run")
	url := fmt.Sprintf("%s/check-runs/%d", s.repoURL(rs), c.ID)
	o["id"] = c.ID
	o["node_id"] = nodeID("CR", c.ID)
	o["head_sha"] = c.HeadSHA
	o["name"] = c.Name
	o["url"] = url
	o["html_url"] = fmt.Sprintf("https://github.com/%s/runs/%d", rs.FullName(), c.ID)
	o["details_url"] = strOrNil(c.DetailsURL)
	o["external_id"] = strOrNil(c.ExternalID)
	o["status"] = c.Status
	o["conclusion"] = strOrNil(c.Conclusion)
	o["started_at"] = tsOrNil(c.StartedAt)
	o["completed_at"] = tsOrNil(c.CompletedAt)
	o["check_suite"] = map[string]any{"id": userID(rs.FullName() + "@" + c.HeadSHA)}
	o["output"] = map[string]any{
		"title": strOrNil(c.Title), "summary": strOrNil(c.Summary), "text": strOrNil(c.Text),
		"annotations_count": len(c.Annotations), "annotations_url": url + "/annotations",
	}
	prs := []any{}
	for _, n := range sortedPRs(rs) {
		p := rs.prs[n]
		// Pull requests from forks are not listed (their head is in
		// another repository); the app must map the head SHA itself.
		if p.HeadSHA != c.HeadSHA || p.State != "open" || (p.HeadRepo != "" && !strings.EqualFold(p.HeadRepo, rs.FullName())) {
			continue
		}
		side := func(ref, sha string) map[string]any {
			return map[string]any{"ref": ref, "sha": sha, "repo": map[string]any{"id": rs.ID, "url": s.repoURL(rs), "name": rs.Name}}
		}
		prs = append(prs, map[string]any{
			"id": rs.ID*100000 + int64(p.Number), "number": p.Number,
			"url":  fmt.Sprintf("%s/pulls/%d", s.repoURL(rs), p.Number),
			"head": side(p.HeadRef, p.HeadSHA), "base": side(p.BaseRef, p.BaseSHA),
		})
	}
	o["pull_requests"] = prs
	return o
}

func sortedPRs(rs *repoState) []int {
	ns := make([]int, 0, len(rs.prs))
	for n := range rs.prs {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	return ns
}

// decodeCheck decodes a check-run create or update body and enforces the
// annotation limits the OpenAPI description cannot express.
func (s *Server) decodeCheck(ex *exchange) (checkRequest, reply, bool) {
	var req checkRequest
	if rep, ok := ex.decode(&req); !ok {
		return req, rep, false
	}
	if req.Output != nil {
		if errs := checkAnnotations(req.Output.Annotations); len(errs) > 0 {
			s.violation("%s: %v", ex.op, errs)
			return req, validationError("Validation Failed", errs), false
		}
	}
	return req, reply{}, true
}
