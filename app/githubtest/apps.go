package githubtest

import (
	"net/http"
	"sort"
)

// restHandlers maps operation ids of the contract to the fake's handlers.
var restHandlers = map[string]func(*Server, *exchange) reply{
	"apps/get-authenticated":                  (*Server).appGet,
	"apps/create-from-manifest":               (*Server).appFromManifest,
	"apps/list-installations":                 (*Server).appListInstallations,
	"apps/create-installation-access-token":   (*Server).appCreateToken,
	"apps/get-repo-installation":              (*Server).appRepoInstallation,
	"pulls/get":                               (*Server).pullGet,
	"pulls/list-files":                        (*Server).pullListFiles,
	"pulls/list-commits":                      (*Server).pullListCommits,
	"pulls/list-reviews":                      (*Server).reviewList,
	"pulls/create-review":                     (*Server).reviewCreate,
	"pulls/dismiss-review":                    (*Server).reviewDismiss,
	"pulls/list-review-comments":              (*Server).reviewCommentList,
	"pulls/create-review-comment":             (*Server).reviewCommentCreate,
	"pulls/update-review-comment":             (*Server).reviewCommentUpdate,
	"pulls/delete-review-comment":             (*Server).reviewCommentDelete,
	"pulls/create-reply-for-review-comment":   (*Server).reviewCommentReply,
	"checks/create":                           (*Server).checkCreate,
	"checks/get":                              (*Server).checkGet,
	"checks/update":                           (*Server).checkUpdate,
	"checks/list-annotations":                 (*Server).checkListAnnotations,
	"checks/list-for-ref":                     (*Server).checkListForRef,
	"checks/rerequest-suite":                  (*Server).checkRerequestSuite,
	"repos/get-content":                       (*Server).repoGetContent,
	"git/get-blob":                            (*Server).gitGetBlob,
	"git/get-tree":                            (*Server).gitGetTree,
	"repos/compare-commits":                   (*Server).repoCompare,
	"issues/create-comment":                   (*Server).issueCommentCreate,
	"issues/list-comments":                    (*Server).issueCommentList,
	"issues/update-comment":                   (*Server).issueCommentUpdate,
	"reactions/create-for-issue-comment":      (*Server).reactionCreate,
	"repos/get-collaborator-permission-level": (*Server).repoPermission,
	"code-scanning/upload-sarif":              (*Server).sarifUpload,
	"rate-limit/get":                          (*Server).rateLimitGet,
	// deliveries.go and listing.go, from the supplement.
	"apps/list-webhook-deliveries":               (*Server).hookListDeliveries,
	"apps/get-webhook-delivery":                  (*Server).hookGetDelivery,
	"apps/redeliver-webhook-delivery":            (*Server).hookRedeliver,
	"apps/list-repos-accessible-to-installation": (*Server).installationRepos,
	"pulls/list": (*Server).pullList,
}

func (s *Server) appGet(ex *exchange) reply {
	o := s.spec.example("integration")
	o["id"] = ex.appID
	o["slug"] = "picket"
	o["name"] = "Picket"
	o["installations_count"] = len(s.st.insts)
	return jsonReply(http.StatusOK, o)
}

// appFromManifest is not modelled: the manifest flow is run by a person
// in a browser. Answer as GitHub does for an unknown code.
func (s *Server) appFromManifest(ex *exchange) reply {
	return basicError(http.StatusNotFound, "Not Found")
}

func (s *Server) appListInstallations(ex *exchange) reply {
	var ids []int64
	for id, in := range s.st.insts {
		if in.AppID == ex.appID {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := []any{}
	for _, id := range ids {
		out = append(out, s.installationObject(s.st.insts[id]))
	}
	return jsonReply(http.StatusOK, out)
}

func (s *Server) appCreateToken(ex *exchange) reply {
	id := ex.intParam("installation_id")
	in, ok := s.st.insts[id]
	if !ok || in.AppID != ex.appID {
		return basicError(http.StatusNotFound, "Not Found")
	}
	var req struct {
		Repositories  []string `json:"repositories"`
		RepositoryIDs []int64  `json:"repository_ids"`
	}
	if rep, ok := ex.decode(&req); !ok {
		return rep
	}
	// "You can specify up to 500 repositories" (same docs page).
	if len(req.Repositories) > 500 || len(req.RepositoryIDs) > 500 {
		return validationError("Validation Failed", []fieldError{{Resource: "Repositories", Code: "too_many", Message: "at most 500 repositories"}})
	}
	tok := s.issueToken(id)
	return jsonReply(http.StatusCreated, map[string]any{
		"token":                tok.value,
		"expires_at":           ts(tok.expiresAt),
		"permissions":          grantedPermissions(in),
		"repository_selection": "all",
	})
}

func (s *Server) appRepoInstallation(ex *exchange) reply {
	rs, ok := s.st.repos[ex.repoName()]
	if !ok {
		return basicError(http.StatusNotFound, "Not Found")
	}
	in := s.st.insts[rs.InstallationID]
	if in.AppID != ex.appID {
		return basicError(http.StatusNotFound, "Not Found")
	}
	return jsonReply(http.StatusOK, s.installationObject(in))
}

func (s *Server) rateLimitGet(ex *exchange) reply {
	o := s.spec.example("rate-limit-overview")
	b := s.budgetLocked(ex.inst.ID)
	core := map[string]any{"limit": PrimaryLimit, "used": b.used, "remaining": max(PrimaryLimit-b.used, 0), "reset": b.reset.Unix()}
	if res, ok := o["resources"].(map[string]any); ok {
		res["core"] = core
	}
	o["rate"] = core
	return jsonReply(http.StatusOK, o)
}

// repo finds the repository of the request or answers 404.
func (s *Server) repo(ex *exchange) (*repoState, reply, bool) {
	rs, ok := s.st.repos[ex.repoName()]
	if !ok {
		return nil, basicError(http.StatusNotFound, "Not Found"), false
	}
	return rs, reply{}, true
}

// pr finds the pull request of the request or answers 404.
func (s *Server) pr(ex *exchange, param string) (*repoState, *PR, reply, bool) {
	rs, rep, ok := s.repo(ex)
	if !ok {
		return nil, nil, rep, false
	}
	p, ok := rs.prs[int(ex.intParam(param))]
	if !ok {
		return nil, nil, basicError(http.StatusNotFound, "Not Found"), false
	}
	return rs, p, reply{}, true
}
