package githubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxPerPage is GitHub's cap on per_page. The contract declares no
// maximum, and GitHub clamps larger values rather than failing, so the
// fake clamps too.
const MaxPerPage = 100

// paginate returns the slice bounds of the requested page of total items
// and the Link header GitHub sends with it.
func (s *Server) paginate(ex *exchange, total int) (lo, hi int, h http.Header) {
	perPage, page := 30, 1
	if v, err := strconv.Atoi(ex.query.Get("per_page")); err == nil && v > 0 {
		perPage = min(v, MaxPerPage)
	}
	if v, err := strconv.Atoi(ex.query.Get("page")); err == nil && v > 0 {
		page = v
	}
	last := max(1, (total+perPage-1)/perPage)
	lo = min((page-1)*perPage, total)
	hi = min(lo+perPage, total)
	link := func(p int, rel string) string {
		q := ex.r.URL.Query()
		q.Set("per_page", strconv.Itoa(perPage))
		q.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, s.URL(), ex.r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	h = http.Header{}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
	return lo, hi, h
}

// creates reports whether a call counts as content-creating for the
// secondary rate limit: every mutating REST call made with an
// installation token, and GraphQL mutations.
func creates(ex *exchange) bool {
	if ex.inst == nil {
		return false
	}
	switch ex.r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// secondaryLimited enforces GitHub's secondary limit on content-creating
// requests ("no more than 80 content-generating requests per minute",
// docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits)
// over a sliding minute of the fake clock (a limit of 0 or less turns
// the check off). Over the limit it answers 403
// with Retry-After, the documentation_url go-github recognises, and
// records nothing. Call with s.mu held.
func (s *Server) secondaryLimited(ex *exchange) (reply, bool) {
	if !creates(ex) || s.cfg.secondaryLimit <= 0 {
		return reply{}, false
	}
	now := s.clock.Now()
	cut := now.Add(-time.Minute).UnixNano()
	win := s.limits[ex.inst.ID]
	i := 0
	for i < len(win) && win[i] <= cut {
		i++
	}
	win = win[i:]
	if len(win) >= s.cfg.secondaryLimit {
		s.limits[ex.inst.ID] = win
		wait := time.Duration(win[0]-cut) + time.Second - 1
		rep := reply{status: http.StatusForbidden, body: map[string]any{
			"message":           "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
			"documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		}, header: http.Header{}}
		rep.header.Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		return rep, true
	}
	s.limits[ex.inst.ID] = append(win, now.UnixNano())
	return reply{}, false
}
