package githubtest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
)

// commit resolves a ref (commit SHA or branch; the default branch when
// empty) to a stored tree.
func (rs *repoState) commit(ref string) (string, map[string][]byte, bool) {
	if ref == "" {
		ref = rs.DefaultBranch
	}
	if sha, ok := rs.refs[strings.TrimPrefix(ref, "refs/heads/")]; ok {
		ref = sha
	}
	t, ok := rs.commits[ref]
	return ref, t, ok
}

// base64Lines encodes as the contents API does: base64 in lines of 60.
func base64Lines(b []byte) string {
	enc := base64.StdEncoding.EncodeToString(b)
	var sb strings.Builder
	for len(enc) > 60 {
		sb.WriteString(enc[:60])
		sb.WriteByte('\n')
		enc = enc[60:]
	}
	sb.WriteString(enc)
	sb.WriteByte('\n')
	return sb.String()
}

func (s *Server) repoGetContent(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	sha, tree, ok := rs.commit(ex.query.Get("ref"))
	if !ok {
		return basicError(http.StatusNotFound, "No commit found for the ref "+ex.query.Get("ref"))
	}
	p := strings.Trim(ex.param("path"), "/")
	if a := ex.r.Header.Get("Accept"); strings.Contains(a, "raw") || strings.Contains(a, "html") {
		s.t.Errorf("githubtest: contents with Accept %q is not modelled; use the JSON form", a)
		return basicError(http.StatusNotAcceptable, "not modelled by githubtest")
	}
	entry := func(name, typ string, size int, blob string) map[string]any {
		url := fmt.Sprintf("%s/contents/%s?ref=%s", s.repoURL(rs), name, sha)
		git := fmt.Sprintf("%s/git/blobs/%s", s.repoURL(rs), blob)
		html := fmt.Sprintf("https://github.com/%s/blob/%s/%s", rs.FullName(), sha, name)
		var dl any
		if typ == "file" {
			dl = fmt.Sprintf("https://raw.githubusercontent.com/%s/%s/%s", rs.FullName(), sha, name)
		}
		return map[string]any{
			"type": typ, "size": size, "name": path.Base(name), "path": name, "sha": blob,
			"url": url, "git_url": git, "html_url": html, "download_url": dl,
			"_links": map[string]any{"self": url, "git": git, "html": html},
		}
	}
	if b, ok := tree[p]; ok {
		o := entry(p, "file", len(b), BlobSHA(b))
		o["encoding"] = "base64"
		o["content"] = base64Lines(b)
		return jsonReply(http.StatusOK, o)
	}
	// A directory: its direct children.
	seen := map[string]bool{}
	var out []any
	for _, name := range sortedKeys(tree) {
		rest, ok := strings.CutPrefix(name, p+"/")
		if p == "" {
			rest, ok = name, true
		}
		if !ok {
			continue
		}
		if dir, _, isDir := strings.Cut(rest, "/"); isDir {
			full := path.Join(p, dir)
			if !seen[full] {
				seen[full] = true
				out = append(out, entry(full, "dir", 0, treeSHA(sha, full)))
			}
			continue
		}
		out = append(out, entry(name, "file", len(tree[name]), BlobSHA(tree[name])))
	}
	if out == nil {
		return basicError(http.StatusNotFound, "Not Found")
	}
	return jsonReply(http.StatusOK, out)
}

func sortedKeys(m map[string][]byte) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// treeSHA is a stable made-up id for the subtree dir of a commit.
func treeSHA(commit, dir string) string { return BlobSHA([]byte("tree:" + commit + ":" + dir)) }

func (s *Server) gitGetBlob(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	sha := ex.param("file_sha")
	b, ok := rs.blobs[sha]
	if !ok {
		return basicError(http.StatusNotFound, "Not Found")
	}
	if strings.Contains(ex.r.Header.Get("Accept"), "raw") {
		// go-github's GetBlobRaw: the bytes themselves.
		h := http.Header{}
		h.Set("Content-Type", "application/vnd.github.raw")
		return reply{status: http.StatusOK, body: append([]byte(nil), b...), header: h, unlisted: true}
	}
	return jsonReply(http.StatusOK, map[string]any{
		"content": base64Lines(b), "encoding": "base64", "sha": sha, "size": len(b),
		"url": fmt.Sprintf("%s/git/blobs/%s", s.repoURL(rs), sha), "node_id": nodeID("B", int64(len(b))),
	})
}

// gitGetTree serves a commit's tree (by commit SHA or branch). Subtrees
// are addressed by the ids this listing hands out.
func (s *Server) gitGetTree(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	want := ex.param("tree_sha")
	sha, tree, ok := rs.commit(want)
	prefix := ""
	if !ok {
		// A subtree id handed out earlier.
		for c, t := range rs.commits {
			for name := range t {
				for d := path.Dir(name); d != "."; d = path.Dir(d) {
					if treeSHA(c, d) == want {
						sha, tree, prefix, ok = c, t, d+"/", true
					}
				}
			}
		}
	}
	if !ok {
		return basicError(http.StatusNotFound, "Not Found")
	}
	recursive := ex.query.Get("recursive") != ""
	seen := map[string]bool{}
	entries := []any{}
	for _, name := range sortedKeys(tree) {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		dirs := strings.Split(rest, "/")
		for i := 1; i < len(dirs); i++ {
			d := strings.Join(dirs[:i], "/")
			if seen[d] || (!recursive && i > 1) {
				continue
			}
			seen[d] = true
			id := treeSHA(sha, prefix+d)
			entries = append(entries, map[string]any{"path": d, "mode": "040000", "type": "tree", "sha": id, "url": fmt.Sprintf("%s/git/trees/%s", s.repoURL(rs), id)})
		}
		if !recursive && len(dirs) > 1 {
			continue
		}
		b := tree[name]
		id := BlobSHA(b)
		entries = append(entries, map[string]any{"path": rest, "mode": "100644", "type": "blob", "size": len(b), "sha": id, "url": fmt.Sprintf("%s/git/blobs/%s", s.repoURL(rs), id)})
	}
	return jsonReply(http.StatusOK, map[string]any{
		"sha": want, "url": fmt.Sprintf("%s/git/trees/%s", s.repoURL(rs), want), "tree": entries, "truncated": false,
	})
}

// legacyPermission is the coarse `permission` field: maintain reads as
// write and triage as read; role_name carries the real level.
var legacyPermission = map[string]string{
	PermAdmin: "admin", PermMaintain: "write", PermWrite: "write", PermTriage: "read", PermRead: "read", PermNone: "none",
}

func (s *Server) repoPermission(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	login := ex.param("username")
	level, ok := rs.perms[strings.ToLower(login)]
	if !ok {
		level = PermNone
	}
	u := s.user(login)
	u["role_name"] = level
	return jsonReply(http.StatusOK, map[string]any{"permission": legacyPermission[level], "role_name": level, "user": u})
}

func (s *Server) sarifUpload(ex *exchange) reply {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return rep
	}
	var req struct {
		CommitSHA string `json:"commit_sha"`
		Ref       string `json:"ref"`
		SARIF     string `json:"sarif"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", s.st.id(), len(s.st.sarifs))
	s.st.sarifs = append(s.st.sarifs, SARIFUpload{ID: id, Repo: rs.FullName(), CommitSHA: req.CommitSHA, Ref: req.Ref, SARIF: req.SARIF})
	return jsonReply(http.StatusAccepted, map[string]any{"id": id, "url": fmt.Sprintf("%s/code-scanning/sarifs/%s", s.repoURL(rs), id)})
}
