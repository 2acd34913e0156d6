package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// GraphQL is not in the OpenAPI contract. The fake serves the two uses
// the app has — listing a pull request's review threads and
// resolveReviewThread — checks the request's shape by hand, and answers
// only the fields the query selects (strict clients reject extra fields).

type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

func (s *Server) serveGraphQL(ex *exchange) reply {
	ex.tmpl = "/graphql"
	var req gqlRequest
	if err := json.Unmarshal(ex.body, &req); err != nil {
		s.violation("graphql: body is not JSON: %v", err)
		return basicError(http.StatusBadRequest, "Problems parsing JSON")
	}
	if strings.TrimSpace(req.Query) == "" {
		s.violation("graphql: no query")
		return gqlErrors("A query attribute must be specified and must be a string.")
	}
	if rep, ok := s.authenticate(ex); !ok {
		return rep
	}
	sel, err := parseSelection(req.Query)
	if err != nil {
		s.violation("graphql: %v", err)
		return gqlErrors(err.Error())
	}
	mutation := strings.HasPrefix(strings.TrimSpace(req.Query), "mutation")
	kind := "graphql-query"
	if mutation {
		kind = "graphql-mutation"
	}
	if rep, ok := s.permitted(ex, kind); !ok {
		return rep
	}
	if rep, ok := s.applyFault(ex); ok {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if mutation {
		if rep, ok := s.secondaryLimited(ex); ok {
			return rep
		}
	}
	switch {
	case mutation && sel.has("resolveReviewThread"), mutation && sel.has("unresolveReviewThread"):
		return s.gqlResolve(req, sel)
	case !mutation && sel.has("repository"):
		return s.gqlThreads(req, sel)
	}
	s.violation("graphql: operation not modelled by githubtest: %.200s", req.Query)
	return gqlErrors("operation not modelled by githubtest")
}

func gqlErrors(msgs ...string) reply {
	var es []any
	for _, m := range msgs {
		es = append(es, map[string]any{"message": m})
	}
	return jsonReply(http.StatusOK, map[string]any{"errors": es})
}

// arg reads an argument from variables (by any of names) or, failing
// that, from `name: value` in the query, where value is a string or
// number literal or a $variable.
func (req gqlRequest) arg(names ...string) string {
	for _, n := range names {
		if v, ok := req.Variables[n]; ok {
			return fmt.Sprint(v)
		}
		if in, ok := req.Variables["input"].(map[string]any); ok {
			if v, ok := in[n]; ok {
				return fmt.Sprint(v)
			}
		}
	}
	for _, n := range names {
		re := regexp.MustCompile(`\b` + n + `\s*:\s*("([^"]*)"|(\d+)|\$(\w+))`)
		if m := re.FindStringSubmatch(req.Query); m != nil {
			if m[4] != "" {
				if v, ok := req.Variables[m[4]]; ok && v != nil {
					return fmt.Sprint(v)
				}
				return ""
			}
			return m[2] + m[3]
		}
	}
	return ""
}

// gqlActor is an author as GraphQL shows it: bots by their slug.
func gqlActor(login string) map[string]any {
	if slug, ok := strings.CutSuffix(login, "[bot]"); ok {
		return map[string]any{"login": slug, "__typename": "Bot"}
	}
	return map[string]any{"login": login, "__typename": "User"}
}

func threadID(root int64) string { return "PRRT_" + strconv.FormatInt(root, 10) }

// gqlResolve runs every (un)resolveReviewThread field of a mutation, so
// a client may batch several under aliases. A bad id fails the whole
// mutation and changes nothing.
func (s *Server) gqlResolve(req gqlRequest, sel *selection) reply {
	type op struct {
		key     string
		root    int64
		resolve bool
	}
	var ops []op
	for _, f := range sel.fields {
		if f.name != "resolveReviewThread" && f.name != "unresolveReviewThread" {
			s.violation("graphql: mutation field %s not modelled by githubtest", f.name)
			return gqlErrors("Field '" + f.name + "' doesn't exist on type 'Mutation'")
		}
		id := gqlRequest{Query: f.args, Variables: req.Variables}.arg("threadId")
		root, err := strconv.ParseInt(strings.TrimPrefix(id, "PRRT_"), 10, 64)
		c, ok := s.st.revComms[root]
		if err != nil || !ok || c.InReplyTo != 0 {
			return gqlErrors(fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id))
		}
		key := f.name
		if f.alias != "" {
			key = f.alias
		}
		ops = append(ops, op{key: key, root: root, resolve: f.name == "resolveReviewThread"})
	}
	out := map[string]any{}
	for _, o := range ops {
		c := s.st.revComms[o.root]
		s.st.repos[strings.ToLower(c.Repo)].threadsDone[o.root] = o.resolve
	}
	for i, f := range sel.fields {
		c := s.st.revComms[ops[i].root]
		th := map[string]any{"thread": s.threadObject(c.Repo, ops[i].root)}
		v, missing := (&selection{fields: []fieldSel{{name: f.name, sub: f.sub}}}).prune(map[string]any{f.name: th})
		if len(missing) > 0 {
			s.violation("graphql: fields not modelled by githubtest: %s", strings.Join(missing, ", "))
			return gqlErrors("Field '" + missing[0] + "' doesn't exist")
		}
		out[ops[i].key] = v.(map[string]any)[f.name]
	}
	return jsonReply(http.StatusOK, map[string]any{"data": out})
}

// gqlData answers the selected fields of data; a selected field the fake
// does not model is a violation.
func (s *Server) gqlData(sel *selection, data, proto map[string]any) reply {
	_, missing := sel.prune(proto)
	out, more := sel.prune(data)
	missing = append(missing, more...)
	if len(missing) > 0 {
		s.violation("graphql: fields not modelled by githubtest: %s", strings.Join(missing, ", "))
		return gqlErrors("Field '" + missing[0] + "' doesn't exist")
	}
	return jsonReply(http.StatusOK, map[string]any{"data": out})
}

// threadObject is a review thread with every field the fake knows.
func (s *Server) threadObject(repo string, root int64) map[string]any {
	rs := s.st.repos[strings.ToLower(repo)]
	var cs []ReviewComment
	for _, c := range s.reviewCommentsLocked(repo, s.st.revComms[root].PR) {
		if c.ID == root || c.InReplyTo == root {
			cs = append(cs, c)
		}
	}
	th := threadMap(repo, cs, rs.threadsDone[root])
	pl := s.place(&cs[0])
	th["isOutdated"] = pl.outdated
	if pl.outdated || pl.line == 0 {
		th["line"] = nil
	} else {
		th["line"] = pl.line
	}
	return th
}

// threadMap renders a thread from its comments, root first.
func threadMap(repo string, cs []ReviewComment, resolved bool) map[string]any {
	rc := cs[0]
	nodes := []any{}
	for _, c := range cs {
		nodes = append(nodes, map[string]any{
			"id": nodeID("PRRC", c.ID), "databaseId": c.ID, "body": c.Body, "path": c.Path,
			"author":    gqlActor(c.User),
			"createdAt": ts(c.Created), "url": fmt.Sprintf("https://github.com/%s/pull/%d#discussion_r%d", repo, c.PR, c.ID),
		})
	}
	var line any
	if rc.Line != 0 {
		line = rc.Line
	}
	return map[string]any{
		"id": threadID(rc.ID), "isResolved": resolved, "isOutdated": false,
		"path": rc.Path, "line": line, "diffSide": rc.Side,
		"comments": map[string]any{"totalCount": len(nodes), "nodes": nodes},
	}
}

// protoThread is a thread with one comment, used to check a selection
// against the modelled fields even when there are no threads.
func protoThread() map[string]any {
	return threadMap("o/r", []ReviewComment{{ID: 1, User: "u", Line: 1}}, false)
}

func (s *Server) gqlThreads(req gqlRequest, sel *selection) reply {
	owner, name := req.arg("owner"), req.arg("name", "repo")
	number, _ := strconv.Atoi(req.arg("number", "pr", "pull"))
	rs, ok := s.st.repos[strings.ToLower(owner+"/"+name)]
	if !ok {
		return gqlErrors(fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name))
	}
	if _, ok := rs.prs[number]; !ok {
		return gqlErrors(fmt.Sprintf("Could not resolve to a PullRequest with the number of %d.", number))
	}
	var roots []int64
	for _, c := range s.reviewCommentsLocked(rs.FullName(), number) {
		if c.InReplyTo == 0 {
			roots = append(roots, c.ID)
		}
	}
	// first and after are read from reviewThreads' own arguments, not
	// from an inner comments(first: …).
	inner := req
	if i := strings.Index(req.Query, "reviewThreads"); i >= 0 {
		rest := req.Query[i:]
		if j := strings.Index(rest, ")"); j >= 0 {
			inner.Query = rest[:j]
		}
	}
	first, _ := strconv.Atoi(inner.arg("first"))
	if first <= 0 || first > 100 {
		return gqlErrors("reviewThreads requires `first` between 1 and 100")
	}
	start, _ := strconv.Atoi(inner.arg("after"))
	start = min(start, len(roots))
	end := min(start+first, len(roots))
	nodes := []any{}
	for _, r := range roots[start:end] {
		nodes = append(nodes, s.threadObject(rs.FullName(), r))
	}
	threads := map[string]any{
		"totalCount": len(roots), "nodes": nodes,
		"pageInfo": map[string]any{"hasNextPage": end < len(roots), "endCursor": strconv.Itoa(end)},
	}
	wrap := func(th map[string]any) map[string]any {
		return map[string]any{"repository": map[string]any{"pullRequest": map[string]any{
			"number": number, "reviewThreads": th,
		}}}
	}
	proto := map[string]any{"totalCount": 0, "nodes": []any{protoThread()}, "pageInfo": threads["pageInfo"]}
	return s.gqlData(sel, wrap(threads), wrap(proto))
}
