package githubtest

import "net/http"

// Installation permissions. An installation added without Permissions
// may do everything the fake models; with Permissions, each call needs
// the access GitHub's fine-grained permission table names for it, so a
// test can prove the app's manifest asks for enough (and no more).

// need is one way to satisfy an operation: a permission at a level.
type need struct{ perm, level string }

// opNeeds lists, per operation, alternatives any one of which suffices
// (docs.github.com/rest/authentication/permissions-required-for-github-apps).
var opNeeds = map[string][]need{
	"pulls/get":                               {{"pull_requests", "read"}},
	"pulls/list-files":                        {{"pull_requests", "read"}},
	"pulls/list":                              {{"pull_requests", "read"}},
	"pulls/list-commits":                      {{"pull_requests", "read"}},
	"pulls/list-reviews":                      {{"pull_requests", "read"}},
	"pulls/list-review-comments":              {{"pull_requests", "read"}},
	"pulls/create-review":                     {{"pull_requests", "write"}},
	"pulls/dismiss-review":                    {{"pull_requests", "write"}},
	"pulls/create-review-comment":             {{"pull_requests", "write"}},
	"pulls/update-review-comment":             {{"pull_requests", "write"}},
	"pulls/delete-review-comment":             {{"pull_requests", "write"}},
	"pulls/create-reply-for-review-comment":   {{"pull_requests", "write"}},
	"checks/create":                           {{"checks", "write"}},
	"checks/update":                           {{"checks", "write"}},
	"checks/rerequest-suite":                  {{"checks", "write"}},
	"checks/get":                              {{"checks", "read"}},
	"checks/list-annotations":                 {{"checks", "read"}},
	"checks/list-for-ref":                     {{"checks", "read"}},
	"repos/get-content":                       {{"contents", "read"}},
	"git/get-blob":                            {{"contents", "read"}},
	"git/get-tree":                            {{"contents", "read"}},
	"repos/compare-commits":                   {{"contents", "read"}},
	"issues/create-comment":                   {{"issues", "write"}, {"pull_requests", "write"}},
	"issues/update-comment":                   {{"issues", "write"}, {"pull_requests", "write"}},
	"issues/list-comments":                    {{"issues", "read"}, {"pull_requests", "read"}},
	"reactions/create-for-issue-comment":      {{"issues", "write"}, {"pull_requests", "write"}},
	"repos/get-collaborator-permission-level": {{"metadata", "read"}},
	"code-scanning/upload-sarif":              {{"security_events", "write"}},
	"graphql-mutation":                        {{"pull_requests", "write"}},
	"graphql-query":                           {{"pull_requests", "read"}},
}

func allows(have, want string) bool {
	switch want {
	case "read":
		return have == "read" || have == "write" || have == "admin"
	case "write":
		return have == "write" || have == "admin"
	}
	return false
}

// permitted checks an installation-token call against the token's
// permissions; op is an operation id, or graphql-query/-mutation.
func (s *Server) permitted(ex *exchange, op string) (reply, bool) {
	if ex.inst == nil || ex.inst.Permissions == nil {
		return reply{}, true
	}
	needs, ok := opNeeds[op]
	if !ok {
		return reply{}, true
	}
	for _, n := range needs {
		if allows(ex.inst.Permissions[n.perm], n.level) {
			return reply{}, true
		}
	}
	return basicError(http.StatusForbidden, "Resource not accessible by integration"), false
}

// grantedPermissions is the permissions object of a new token.
func grantedPermissions(in *Installation) map[string]any {
	out := map[string]any{}
	if in.Permissions == nil {
		for _, ns := range opNeeds {
			for _, n := range ns {
				if _, ok := out[n.perm]; !ok || n.level == "write" {
					out[n.perm] = n.level
				}
			}
		}
		return out
	}
	for k, v := range in.Permissions {
		out[k] = v
	}
	return out
}
