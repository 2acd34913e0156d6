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

// PrimaryLimit is an installation's hourly request budget (GitHub's
// floor for installations: "5,000 requests per hour",
// docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#primary-rate-limit-for-github-app-installations).
const PrimaryLimit = 5000

// budget is an installation's primary rate-limit window.
type budget struct {
	used  int
	reset time.Time
}

// budgetLocked returns the installation's current window, opening a new
// one when the last has passed. Call with s.mu held.
func (s *Server) budgetLocked(id int64) *budget {
	now := s.clock.Now()
	b, ok := s.budgets[id]
	if !ok || !now.Before(b.reset) {
		b = &budget{reset: now.Add(time.Hour)}
		s.budgets[id] = b
	}
	return b
}

// SetRateRemaining leaves installationID with remaining requests in its
// current hour of the fake clock; once they are spent, REST calls answer
// 403 with X-RateLimit-Remaining: 0 until the window resets.
func (s *Server) SetRateRemaining(installationID int64, remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.budgetLocked(installationID).used = PrimaryLimit - remaining
}

// spend charges one REST call to the installation's budget, or answers
// the primary rate limit when it is spent. Call with s.mu held.
func (s *Server) spend(ex *exchange) (reply, bool) {
	// "Accessing this endpoint does not count against your REST API rate
	// limit" (rate-limit/get).
	if ex.inst == nil || ex.op == "rate-limit/get" {
		return reply{}, false
	}
	b := s.budgetLocked(ex.inst.ID)
	if b.used >= PrimaryLimit {
		rep := basicError(http.StatusForbidden, fmt.Sprintf("API rate limit exceeded for installation ID %d.", ex.inst.ID))
		rep.header = http.Header{}
		setRateHeaders(rep.header, b.used, b.reset)
		return rep, true
	}
	b.used++
	return reply{}, false
}

func setRateHeaders(h http.Header, used int, reset time.Time) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(PrimaryLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(PrimaryLimit-used, 0)))
	h.Set("X-RateLimit-Used", strconv.Itoa(min(used, PrimaryLimit)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// rateHeaders adds GitHub's primary rate-limit headers unless a fault or
// the limit itself set them already.
func (s *Server) rateHeaders(h http.Header, ex *exchange) {
	if h.Get("X-RateLimit-Remaining") != "" {
		return
	}
	if ex.inst == nil || ex.op == "graphql" {
		setRateHeaders(h, 1, s.clock.Now().Add(time.Hour))
		if ex.op == "graphql" {
			h.Set("X-RateLimit-Resource", "graphql")
		}
		return
	}
	s.mu.Lock()
	b := s.budgetLocked(ex.inst.ID)
	used, reset := b.used, b.reset
	s.mu.Unlock()
	setRateHeaders(h, used, reset)
}
