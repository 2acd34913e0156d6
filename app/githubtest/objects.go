package githubtest

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// The fake builds every response from the contract's own examples and
// patches in its state, so responses carry every field GitHub's schemas
// require.

// userID is a stable numeric id for a login.
func userID(login string) int64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(login)))
	return int64(h.Sum32()%1_000_000_000) + 1
}

// user is a simple-user object for login.
func (s *Server) user(login string) map[string]any {
	u, _ := s.spec.example("issue-comment")["user"].(map[string]any)
	u = deepCopy(u).(map[string]any)
	id := userID(login)
	u["login"] = login
	u["id"] = id
	u["node_id"] = nodeID("U", id)
	u["url"] = s.URL() + "/users/" + login
	u["html_url"] = "https://github.com/" + login
	if strings.HasSuffix(login, "[bot]") {
		u["type"] = "Bot"
	} else {
		u["type"] = "User"
	}
	return u
}

func nodeID(prefix string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s_%d", prefix, id)))
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// tsOrNil is a nullable timestamp.
func tsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// repoURL is the API URL of a repository.
func (s *Server) repoURL(rs *repoState) string {
	return s.URL() + "/repos/" + rs.FullName()
}

// repository patches the repository object inside an example.
func (s *Server) repository(base map[string]any, rs *repoState) map[string]any {
	r := deepCopy(base).(map[string]any)
	r["id"] = rs.ID
	r["node_id"] = nodeID("R", rs.ID)
	r["name"] = rs.Name
	r["full_name"] = rs.FullName()
	r["private"] = rs.Private
	r["url"] = s.repoURL(rs)
	r["html_url"] = "https://github.com/" + rs.FullName()
	r["default_branch"] = rs.DefaultBranch
	if _, ok := r["clone_url"]; ok && rs.CloneURL != "" {
		r["clone_url"] = rs.CloneURL
	}
	if _, ok := r["owner"]; ok {
		r["owner"] = s.user(rs.Owner)
	}
	return r
}

// installationObject is an installation in the contract's shape.
func (s *Server) installationObject(in *Installation) map[string]any {
	o := s.spec.example("installation")
	o["id"] = in.ID
	o["app_id"] = in.AppID
	o["target_id"] = userID(in.Account)
	o["account"] = s.user(in.Account)
	o["access_tokens_url"] = fmt.Sprintf("%s/app/installations/%d/access_tokens", s.URL(), in.ID)
	o["repositories_url"] = s.URL() + "/installation/repositories"
	return o
}
