package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
)

// Review threads exist only in GraphQL: REST can neither list them nor
// resolve them (https://docs.github.com/graphql/reference/mutations#resolvereviewthread).

const threadsQuery = `query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 100) { nodes { databaseId author { login } } } }
      }
    }
  }
}`

const resolveMutation = `mutation($threadId: ID!) {
  resolveReviewThread(input: {threadId: $threadId}) { thread { id isResolved } }
}`

type thread struct {
	id       string
	resolved bool
	// replied: a comment of the thread (among its first 100) is by
	// someone other than the root's author, or by a deleted account.
	replied bool
}

// reviewThreads maps each thread's root comment id to the thread.
func reviewThreads(ctx context.Context, gh *github.Client, t Target) (map[int64]thread, error) {
	out := map[int64]thread{}
	var cursor *string
	for {
		var resp struct {
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
								Nodes []threadComment `json:"nodes"`
							} `json:"comments"`
						} `json:"nodes"`
					} `json:"reviewThreads"`
				} `json:"pullRequest"`
			} `json:"repository"`
		}
		vars := map[string]any{"owner": t.Owner, "name": t.Repo, "number": t.PR, "cursor": cursor}
		if err := graphQL(ctx, gh, threadsQuery, vars, &resp); err != nil {
			return nil, fmt.Errorf("list review threads: %w", err)
		}
		rt := resp.Repository.PullRequest.ReviewThreads
		for _, n := range rt.Nodes {
			if cs := n.Comments.Nodes; len(cs) > 0 {
				out[cs[0].DatabaseID] = thread{id: n.ID, resolved: n.IsResolved, replied: replied(cs)}
			}
		}
		if !rt.PageInfo.HasNextPage {
			return out, nil
		}
		cursor = &rt.PageInfo.EndCursor
	}
}

// threadComment is a review thread's comment as threadsQuery reads it.
type threadComment struct {
	DatabaseID int64 `json:"databaseId"`
	Author     *struct {
		Login string `json:"login"`
	} `json:"author"` // null for a deleted account
}

// replied reports whether anyone but the root's author wrote in a
// thread (cs, root first). A deleted account counts as someone.
func replied(cs []threadComment) bool {
	if cs[0].Author == nil {
		return len(cs) > 1
	}
	for _, c := range cs[1:] {
		if c.Author == nil || c.Author.Login != cs[0].Author.Login {
			return true
		}
	}
	return false
}

func resolveThread(ctx context.Context, gh *github.Client, id string) error {
	var resp struct {
		ResolveReviewThread struct {
			Thread struct {
				IsResolved bool `json:"isResolved"`
			} `json:"thread"`
		} `json:"resolveReviewThread"`
	}
	if err := graphQL(ctx, gh, resolveMutation, map[string]any{"threadId": id}, &resp); err != nil {
		return fmt.Errorf("resolve thread %s: %w", id, err)
	}
	if !resp.ResolveReviewThread.Thread.IsResolved {
		return fmt.Errorf("resolve thread %s: still unresolved", id)
	}
	return nil
}

// errGraphQL is an error GraphQL reported in a 200 answer.
var errGraphQL = errors.New("graphql")

// graphQL posts a query to the GraphQL endpoint next to gh's REST base
// URL and decodes its data into out.
func graphQL(ctx context.Context, gh *github.Client, query string, vars map[string]any, out any) error {
	req, err := gh.NewRequest("POST", graphQLURL(gh), map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if _, err := gh.Do(ctx, req, &resp); err != nil {
		return err
	}
	if len(resp.Errors) > 0 {
		msgs := make([]string, len(resp.Errors))
		for i, e := range resp.Errors {
			msgs[i] = e.Message
		}
		return fmt.Errorf("%w: %s", errGraphQL, strings.Join(msgs, "; "))
	}
	if err := json.Unmarshal(resp.Data, out); err != nil {
		return fmt.Errorf("decode graphql data: %w", err)
	}
	return nil
}

// graphQLURL is "graphql" relative to the REST base on github.com and
// ".../api/graphql" on GitHub Enterprise Server, whose REST base is
// ".../api/v3/".
func graphQLURL(gh *github.Client) string {
	u := *gh.BaseURL
	if p, ok := strings.CutSuffix(u.Path, "/api/v3/"); ok {
		u.Path = p + "/api/graphql"
		return u.String()
	}
	return "graphql"
}
