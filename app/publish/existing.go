package publish

import (
	"context"
	"fmt"

	"github.com/google/go-github/v62/github"
	"github.com/picketsec/picket/scanners"
	"github.com/picketsec/picket/templates"
)

// posted is what a pull request already shows from Picket.
type posted struct {
	// roots are Picket's root review comments by fingerprint (the first
	// when, against all care, there are several).
	roots map[scanners.Fingerprint]*github.PullRequestComment
	// replied holds root comment ids that someone other than the root's
	// author answered: such threads belong to people and are not touched.
	replied map[int64]bool
	// listed are fingerprints named in earlier review bodies (findings
	// beyond the comment cap or outside the diff).
	listed map[scanners.Fingerprint]bool
	// listedShort are short ids from the hidden list of findings a
	// review body had no room to show.
	listedShort map[string]bool
	// blocking are Picket's reviews that still request changes.
	blocking []int64
}

// known reports whether fp was already said on the pull request.
func (p *posted) known(fp scanners.Fingerprint) bool {
	_, ok := p.roots[fp]
	return ok || p.listed[fp] || p.listedShort[fp.Short()]
}

// loadPosted reads every review comment and review of the pull request
// (100 a page) and indexes Picket's by the hidden fingerprint markers.
// When bot is set, only that user's markers count.
func loadPosted(ctx context.Context, gh *github.Client, t Target, bot string) (*posted, error) {
	mine := func(u *github.User) bool { return bot == "" || u.GetLogin() == bot }
	p := &posted{roots: map[scanners.Fingerprint]*github.PullRequestComment{}, replied: map[int64]bool{}, listed: map[scanners.Fingerprint]bool{}, listedShort: map[string]bool{}}
	var all []*github.PullRequestComment
	opt := &github.PullRequestListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := gh.PullRequests.ListComments(ctx, t.Owner, t.Repo, t.PR, opt)
		if err != nil {
			return nil, fmt.Errorf("list review comments: %w", err)
		}
		all = append(all, cs...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	byID := map[int64]*github.PullRequestComment{}
	for _, c := range all {
		byID[c.GetID()] = c
		if c.InReplyTo != nil || !mine(c.GetUser()) {
			continue
		}
		if fp, ok := templates.ParseMarker(c.GetBody()); ok {
			if _, dup := p.roots[fp]; !dup {
				p.roots[fp] = c
			}
		}
	}
	for _, c := range all {
		root, ok := byID[c.GetInReplyTo()]
		if ok && c.GetUser().GetLogin() != root.GetUser().GetLogin() {
			p.replied[root.GetID()] = true
		}
	}
	ropt := &github.ListOptions{PerPage: 100}
	for {
		rs, resp, err := gh.PullRequests.ListReviews(ctx, t.Owner, t.Repo, t.PR, ropt)
		if err != nil {
			return nil, fmt.Errorf("list reviews: %w", err)
		}
		for _, r := range rs {
			if !mine(r.GetUser()) {
				continue
			}
			if r.GetState() == "CHANGES_REQUESTED" && templates.IsPicketReview(r.GetBody()) {
				p.blocking = append(p.blocking, r.GetID())
			}
			for _, fp := range templates.ParseMarkers(r.GetBody()) {
				p.listed[fp] = true
			}
			for _, id := range templates.ParseListed(r.GetBody()) {
				p.listedShort[id] = true
			}
		}
		if resp.NextPage == 0 {
			break
		}
		ropt.Page = resp.NextPage
	}
	return p, nil
}
