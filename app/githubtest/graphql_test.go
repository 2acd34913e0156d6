package githubtest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-github/v62/github"
)

const threadsQuery = `query Threads($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 2, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          comments(first: 50) { nodes { databaseId author { login } } }
        }
      }
    }
  }
}`

type threadsResp struct {
	Data struct {
		Repository struct {
			PullRequest struct {
				ReviewThreads struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []struct {
						ID         string `json:"id"`
						IsResolved bool   `json:"isResolved"`
						Comments   struct {
							Nodes []struct {
								DatabaseID int64 `json:"databaseId"`
								Author     struct {
									Login string `json:"login"`
								} `json:"author"`
							} `json:"nodes"`
						} `json:"comments"`
					} `json:"nodes"`
				} `json:"reviewThreads"`
			} `json:"pullRequest"`
		} `json:"repository"`
	} `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

func graphql(t *testing.T, gh *github.Client, query string, vars map[string]any, out any) {
	t.Helper()
	req, err := gh.NewRequest("POST", "graphql", map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	var raw json.RawMessage
	if _, err := gh.Do(context.Background(), req, &raw); err != nil {
		t.Fatalf("graphql: %v", err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

func TestGraphQLThreadsAndResolve(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	ctx := context.Background()
	var ids []int64
	for _, line := range []int{11, 12, 42} {
		c, _, err := e.gh.PullRequests.CreateComment(ctx, testOwner, testName, 1, &github.PullRequestComment{
			CommitID: github.String(headSHA), Path: github.String("a.go"), Line: github.Int(line), Body: github.String("finding"),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.GetID())
	}
	e.s.AddReply(testRepo, 1, ids[1], "alice", "not a secret")
	vars := map[string]any{"owner": testOwner, "name": testName, "number": 1}
	var page1, page2 threadsResp
	graphql(t, e.gh, threadsQuery, vars, &page1)
	th := page1.Data.Repository.PullRequest.ReviewThreads
	if len(page1.Errors) > 0 || len(th.Nodes) != 2 || !th.PageInfo.HasNextPage {
		t.Fatalf("page 1 = %+v", page1)
	}
	if c := th.Nodes[1].Comments.Nodes; len(c) != 2 || c[0].Author.Login != "picket" || c[1].Author.Login != "alice" || c[0].DatabaseID != ids[1] {
		t.Errorf("thread 2 comments = %+v, want the bot's comment and alice's reply", c)
	}
	vars["cursor"] = th.PageInfo.EndCursor
	graphql(t, e.gh, threadsQuery, vars, &page2)
	if n := page2.Data.Repository.PullRequest.ReviewThreads.Nodes; len(n) != 1 || n[0].IsResolved {
		t.Fatalf("page 2 = %+v", page2)
	}
	var res struct {
		Data struct {
			ResolveReviewThread struct {
				Thread struct {
					ID         string `json:"id"`
					IsResolved bool   `json:"isResolved"`
				} `json:"thread"`
			} `json:"resolveReviewThread"`
		} `json:"data"`
	}
	graphql(t, e.gh, `mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } } }`,
		map[string]any{"id": th.Nodes[0].ID}, &res)
	if !res.Data.ResolveReviewThread.Thread.IsResolved || !e.s.ThreadResolved(testRepo, ids[0]) {
		t.Errorf("resolve = %+v; stored resolved %v", res, e.s.ThreadResolved(testRepo, ids[0]))
	}
	if e.s.ThreadResolved(testRepo, ids[1]) {
		t.Error("resolving one thread resolved another")
	}
}

func TestGraphQLShapeChecked(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"unknown field":   `query { repository(owner: "octo-org", name: "hello") { pullRequest(number: 1) { reviewThreads(first: 5) { nodes { mood } } } } }`,
		"fragment":        `query { repository(owner: "octo-org", name: "hello") { ...F } }`,
		"unbalanced":      `query { repository(owner: "octo-org", name: "hello") { id }`,
		"other operation": `mutation { addComment(input: {subjectId: "x", body: "y"}) { clientMutationId } }`,
		"first over 100":  `query { repository(owner: "octo-org", name: "hello") { pullRequest(number: 1) { reviewThreads(first: 101) { nodes { id } } } } }`,
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := reviewEnv(t, ExpectViolations())
			var out struct {
				Errors []any `json:"errors"`
			}
			graphql(t, e.gh, q, nil, &out)
			if len(out.Errors) == 0 {
				t.Errorf("no GraphQL error for %s", name)
			}
			if name != "first over 100" && len(e.s.Violations()) != 1 {
				t.Errorf("violations = %v, want 1", e.s.Violations())
			}
		})
	}
}

func TestGraphQLBatchedResolve(t *testing.T) {
	t.Parallel()
	e := reviewEnv(t)
	ctx := context.Background()
	var ids []int64
	for _, line := range []int{11, 42} {
		c, _, err := e.gh.PullRequests.CreateComment(ctx, testOwner, testName, 1, &github.PullRequestComment{
			CommitID: github.String(headSHA), Path: github.String("a.go"), Line: github.Int(line), Body: github.String("finding"),
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.GetID())
	}
	var out struct {
		Data map[string]struct {
			Thread struct {
				IsResolved bool `json:"isResolved"`
			} `json:"thread"`
		} `json:"data"`
	}
	q := `mutation($b: ID!) {
  a: resolveReviewThread(input: {threadId: "` + threadID(ids[0]) + `"}) { thread { isResolved } }
  b: resolveReviewThread(input: {threadId: $b}) { thread { isResolved } }
}`
	graphql(t, e.gh, q, map[string]any{"b": threadID(ids[1])}, &out)
	if !out.Data["a"].Thread.IsResolved || !out.Data["b"].Thread.IsResolved {
		t.Errorf("batched resolve = %+v", out)
	}
	if !e.s.ThreadResolved(testRepo, ids[0]) || !e.s.ThreadResolved(testRepo, ids[1]) {
		t.Error("batched resolve did not resolve both threads")
	}
}
