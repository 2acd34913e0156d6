package githubtest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// pullList serves pulls/list: the repository's pull requests in the
// requested state (open by default), newest first as GitHub's default
// sort (created, desc) gives them, paginated.
func (s *Server) pullList(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	state := ex.query.Get("state")
	if state == "" {
		state = "open"
	}
	nums := sortedPRs(rs)
	sort.Sort(sort.Reverse(sort.IntSlice(nums)))
	var prs []*PR
	for _, n := range nums {
		p := rs.prs[n]
		if state == "all" || p.State == state {
			prs = append(prs, p)
		}
	}
	lo, hi, link := s.paginate(ex, len(prs))
	out := []any{}
	for _, p := range prs[lo:hi] {
		out = append(out, s.pullSimple(rs, p))
	}
	r := jsonReply(http.StatusOK, out)
	r.header = link
	return r
}

// pullSimple is a pull request in the pull-request-simple shape: the
// full object's fields that shape shares, taken from pullObject.
func (s *Server) pullSimple(rs *repoState, p *PR) map[string]any {
	full := s.pullObject(rs, p)
	o := s.spec.example("pull-request-simple-items")
	for k := range o {
		if v, ok := full[k]; ok {
			o[k] = v
		}
	}
	o["requested_teams"] = []any{}
	return o
}

// installationRepos serves apps/list-repos-accessible-to-installation:
// the repositories of the token's installation, by name, paginated.
func (s *Server) installationRepos(ex *exchange) reply {
	var names []string
	for name, rs := range s.st.repos {
		if rs.InstallationID == ex.inst.ID {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	lo, hi, link := s.paginate(ex, len(names))
	ex0 := s.spec.example("repository-paginated-2")
	tmpl := map[string]any{}
	if repos, ok := ex0["repositories"].([]any); ok && len(repos) > 0 {
		tmpl, _ = repos[0].(map[string]any)
	}
	out := []any{}
	for _, name := range names[lo:hi] {
		rs := s.st.repos[name]
		r := s.repository(tmpl, rs)
		r["fork"] = false
		r["visibility"] = map[bool]string{true: "private", false: "public"}[rs.Private]
		if rs.CloneURL == "" && strings.Contains(fmt.Sprint(r["clone_url"]), "/") {
			r["clone_url"] = "https://github.com/" + rs.FullName() + ".git"
		}
		out = append(out, r)
	}
	r := jsonReply(http.StatusOK, map[string]any{"total_count": len(names), "repositories": out, "repository_selection": "all"})
	r.header = link
	return r
}
