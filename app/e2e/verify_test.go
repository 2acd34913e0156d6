package e2e

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/picketsec/picket/app/githubtest"
)

// checkName is the name of Picket's check run.
const checkName = "Picket"

// markerRE is the hidden fingerprint marker of a review comment.
var markerRE = regexp.MustCompile(`<!-- picket:fp=([0-9a-f]{8,64}) -->`)

// settled reports whether every pull request's latest head has a
// completed Picket check run.
func (w *world) settled() bool {
	byRepo := map[string][]githubtest.CheckRun{}
	for _, r := range w.repos {
		byRepo[r.name] = w.fake.CheckRuns(r.name)
	}
	for _, p := range w.prs {
		head, _ := p.latest()
		ok := false
		for _, c := range byRepo[p.repo.name] {
			if c.Name == checkName && c.HeadSHA == head && c.Status == "completed" {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// scanned reports whether some process logged the scan job of every
// pull request's latest head done.
func (w *world) scanned(rs ...*replica) bool {
	for _, p := range w.prs {
		head, _ := p.latest()
		done := false
		for _, r := range rs {
			done = done || r.DoneHead(head)
		}
		if !done {
			return false
		}
	}
	return true
}

// missing explains what settled, scanned and lostDeliveries still lack.
func (w *world) missing(rs ...*replica) string {
	var b strings.Builder
	if u := w.unsettled(); len(u) > 0 {
		fmt.Fprintf(&b, "latest heads without a completed check run (%d): %v\n", len(u), u[:min(len(u), 10)])
	}
	var heads []string
	for _, p := range w.prs {
		head, _ := p.latest()
		done := false
		for _, r := range rs {
			done = done || r.DoneHead(head)
		}
		if !done {
			heads = append(heads, fmt.Sprintf("%s#%d@%.8s", p.repo.name, p.number, head))
		}
	}
	if len(heads) > 0 {
		fmt.Fprintf(&b, "latest heads no process logged done (%d): %v\n", len(heads), heads[:min(len(heads), 10)])
	}
	if l := w.lostDeliveries(); len(l) > 0 {
		fmt.Fprintf(&b, "deliveries never answered 2xx (%d): %v\n", len(l), l[:min(len(l), 10)])
	}
	return b.String()
}

// unsettled names the pull requests whose latest head has no completed
// check run, for a failure message.
func (w *world) unsettled() []string {
	var out []string
	for _, p := range w.prs {
		head, _ := p.latest()
		var states []string
		done := false
		for _, c := range w.fake.CheckRuns(p.repo.name) {
			if c.Name == checkName && c.HeadSHA == head {
				states = append(states, c.Status)
				done = done || c.Status == "completed"
			}
		}
		if !done {
			out = append(out, fmt.Sprintf("%s#%d@%.8s %v", p.repo.name, p.number, head, states))
		}
	}
	return out
}

// problems compares the fake's state with the plan: every pull request's
// latest head has exactly one completed Picket check run, none left in
// progress, concluding failure when the head adds a token and success
// when it does not; no review comment twice on a pull request (by
// fingerprint marker, and by path, line and body); no check-run output or
// comment echoing a whole token.
func (w *world) problems(tokens []string) []string {
	var out []string
	for _, p := range w.prs {
		head, planted := p.latest()
		want := "success"
		if planted {
			want = "failure"
		}
		id := fmt.Sprintf("%s#%d@%.8s", p.repo.name, p.number, head)
		var completed, open []githubtest.CheckRun
		for _, c := range w.fake.CheckRuns(p.repo.name) {
			if c.Name != checkName || c.HeadSHA != head {
				continue
			}
			if c.Status == "completed" {
				completed = append(completed, c)
			} else {
				open = append(open, c)
			}
		}
		switch {
		case len(completed) != 1:
			out = append(out, fmt.Sprintf("%s: %d completed Picket check runs, want 1", id, len(completed)))
		case completed[0].Conclusion != want:
			out = append(out, fmt.Sprintf("%s: concluded %q, want %q (%s)", id, completed[0].Conclusion, want, completed[0].Title))
		}
		if len(open) > 0 {
			out = append(out, fmt.Sprintf("%s: %d Picket check runs left %s", id, len(open), open[0].Status))
		}
		seenFP, seenAt := map[string]bool{}, map[string]bool{}
		for _, c := range w.fake.Comments(p.repo.name, p.number) {
			if m := markerRE.FindStringSubmatch(c.Body); m != nil {
				if seenFP[m[1]] {
					out = append(out, fmt.Sprintf("%s: fingerprint %s commented twice", id, m[1]))
				}
				seenFP[m[1]] = true
			}
			at := fmt.Sprintf("%s:%d:%s", c.Path, c.Line, c.Body)
			if seenAt[at] {
				out = append(out, fmt.Sprintf("%s: comment at %s:%d posted twice", id, c.Path, c.Line))
			}
			seenAt[at] = true
			out = append(out, echoes(id+" comment", c.Body, tokens)...)
		}
		if planted && len(seenAt) == 0 {
			out = append(out, fmt.Sprintf("%s: a planted token and no review comment", id))
		}
	}
	for _, r := range w.repos {
		for _, c := range w.fake.CheckRuns(r.name) {
			out = append(out, echoes(fmt.Sprintf("%s check run %d", r.name, c.ID), c.Summary+c.Text+c.Title, tokens)...)
			for _, a := range c.Annotations {
				out = append(out, echoes(fmt.Sprintf("%s annotation of run %d", r.name, c.ID), a.Message+a.Title+a.RawDetails, tokens)...)
			}
		}
	}
	return out
}

func echoes(where, text string, tokens []string) []string {
	var out []string
	for _, tok := range tokens {
		if strings.Contains(text, tok) {
			out = append(out, where+" echoes a whole token")
		}
	}
	return out
}

// checkRunOf parses owner/name and the run id from a check-run path
// (/repos/OWNER/NAME/check-runs/ID).
func checkRunOf(t testing.TB, path string) (string, int64) {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) != 5 || parts[0] != "repos" || parts[3] != "check-runs" {
		t.Fatalf("%q is not a check-run path", path)
	}
	id, err := strconv.ParseInt(parts[4], 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", path, err)
	}
	return parts[1] + "/" + parts[2], id
}

// checkRun is the fake's check run id of repo.
func (w *world) checkRun(repo string, id int64) (githubtest.CheckRun, bool) {
	for _, c := range w.fake.CheckRuns(repo) {
		if c.ID == id {
			return c, true
		}
	}
	return githubtest.CheckRun{}, false
}

// lostDeliveries lists the delivery GUIDs the fake sent that no process
// ever answered with 2xx.
func (w *world) lostDeliveries() []string {
	ok, seen := map[string]bool{}, map[string]string{}
	for _, d := range w.fake.HookDeliveries() {
		if d.StatusCode >= 200 && d.StatusCode < 300 {
			ok[d.GUID] = true
		}
		seen[d.GUID] = d.Status
	}
	var out []string
	for g, st := range seen {
		if !ok[g] {
			out = append(out, g+" ("+st+")")
		}
	}
	sort.Strings(out)
	return out
}
