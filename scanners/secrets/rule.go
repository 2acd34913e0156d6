package secrets

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/picketsec/picket/scanners"
)

// Match priorities: when two findings overlap, the more specific one wins.
const (
	prioGeneric   = iota // generic assignments
	prioContext          // a format recognised from its surroundings (URL, .npmrc, header)
	prioSpecific         // a provider's own token format
	prioComposite        // a document that contains a specific format (service-account JSON)
)

// def is a built-in rule as data: metadata plus how to find it.
type def struct {
	name     string // rule id without "secrets/"
	title    string // names the credential type, e.g. "Stripe live secret key"
	provider string // where to revoke it, e.g. "Stripe"
	sev      scanners.Severity
	keywords []string // any hit (ASCII case-insensitive) wakes the rule
	exact    bool     // keywords must also match case-sensitively
	re       string   // regular expression run on a window around each hit
	group    int      // capture group holding the secret; 0: whole match
	entropy  float64  // minimum Shannon entropy of the secret, bits per byte
	noFilter bool     // skip the placeholder filter (the check decides)
	check    func(secret string, line []byte) bool
	find     finder // custom finder instead of re
	prio     int    // default prioSpecific
	why, fix string // defaults derive from title and provider
	refs     []string
	example  string
	family   string // set by allDefs: the rule file's family
	long     bool   // the match may extend far past the keyword (long tokens, JSON keys)
}

// finder is a hand-written detector: given the content and one keyword
// hit (end offset), it returns the secrets it finds and the offset up to
// which the content has been examined (hits before it are skipped).
type finder func(c *scanCtx, hitStart, hitEnd int) (found []span, doneUntil int)

// span is one detected secret: [start, end) in the content. For secrets
// spanning lines, value is the normalised secret (fingerprint input).
type span struct {
	start, end int
	value      string
}

// rule is a compiled def or custom rule.
type rule struct {
	def
	meta     scanners.Rule
	rx       *regexp.Regexp
	allowRe  []*regexp.Regexp // custom: allowlist regexes over the secret
	allowPth []*regexp.Regexp // custom: allowlist regexes over the path
	stop     []string         // custom: stop words
	generic  bool             // custom rule without keywords: regex over the whole content
	// prefix: every keyword is the literal start of the secret (regex
	// "\\b(KEYWORD…"), so the regex window can start at the hit.
	prefix bool
	// tail is the least number of token characters that must follow a
	// keyword for the regex to have a chance (from "KEYWORD[…]{N"); hits
	// with a shorter tail skip the regex.
	tail int
}

// The built-in rule set, compiled once.
var (
	builtinOnce sync.Once
	builtin     *ruleSet
	builtinErr  error
)

// ruleSet is a list of compiled rules and the keyword matcher over them.
type ruleSet struct {
	rules   []*rule
	m       *matcher
	kwRules [][]int  // keyword index → rule indexes
	kwText  []string // keyword index → keyword as written (for exact checks)
	kwExact []bool
}

func allDefs() []def {
	var all []def
	for _, fam := range []struct {
		name string
		defs []def
	}{
		{"cloud", cloudRules}, {"vcs", vcsRules}, {"chat", chatRules}, {"payment", paymentRules}, {"registry", registryRules},
		{"ai", aiRules}, {"observability", observabilityRules}, {"devtools", devtoolRules}, {"keys", keyRules}, {"generic", genericRules},
	} {
		for _, d := range fam.defs {
			d.family = fam.name
			all = append(all, d)
		}
	}
	return all
}

func builtinRules() (*ruleSet, error) {
	builtinOnce.Do(func() {
		var rules []*rule
		for _, d := range allDefs() {
			r, err := compileDef(d)
			if err != nil {
				builtinErr = err
				return
			}
			rules = append(rules, r)
		}
		builtin = newRuleSet(rules)
	})
	return builtin, builtinErr
}

func compileDef(d def) (*rule, error) {
	if d.prio == 0 && d.find == nil && d.re != "" {
		d.prio = prioSpecific
	}
	r := &rule{def: d}
	if d.re != "" {
		rx, err := regexp.Compile(d.re)
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", d.name, err)
		}
		r.rx = rx
		r.prefix = isPrefixRegex(d.re, d.keywords)
		if r.prefix {
			r.tail = minTail(d.re, d.keywords)
		}
	}
	if r.rx == nil && d.find == nil {
		return nil, fmt.Errorf("rule %s: neither regex nor finder", d.name)
	}
	r.meta = ruleMeta(d)
	return r, nil
}

func ruleMeta(d def) scanners.Rule {
	why := d.why
	if why == "" {
		why = fmt.Sprintf("A %s in the repository works for anyone who can read the code, a clone, a fork or the git history: they can act as its owner at %s until the credential is revoked.", lcFirst(d.title), d.provider)
	}
	fix := d.fix
	if fix == "" {
		fix = fmt.Sprintf("Revoke or rotate the credential at %s now: deleting the line does not help, the value stays in git history. Load the new one at run time from a secret store or the environment, and purge the old one from history (git filter-repo) if the repository is or was public.", d.provider)
	}
	return scanners.Rule{
		ID:       "secrets/" + d.name,
		Kind:     scanners.KindSecret,
		Severity: d.sev,
		Title:    d.title,
		Why:      why,
		Fix:      fix,
		CWE:      []string{"CWE-798"},
		Refs:     d.refs,
		Example:  d.example,
	}
}

func lcFirst(s string) string {
	// Keep proper nouns and acronyms: only lower-case a leading common word.
	for _, w := range []string{"Generic ", "Private ", "Password ", "Database ", "Hard-coded ", "Kubernetes "} {
		if strings.HasPrefix(s, w) {
			return strings.ToLower(w[:1]) + s[1:]
		}
	}
	return s
}

func newRuleSet(rules []*rule) *ruleSet {
	rs := &ruleSet{rules: rules}
	index := map[string]int{}
	for ri, r := range rules {
		for _, k := range r.keywords {
			key := strings.ToLower(k)
			if r.exact {
				key = "\x00" + k // exact keywords get their own entry
			}
			ki, ok := index[key]
			if !ok {
				ki = len(rs.kwText)
				index[key] = ki
				rs.kwText = append(rs.kwText, k)
				rs.kwExact = append(rs.kwExact, r.exact)
				rs.kwRules = append(rs.kwRules, nil)
			}
			rs.kwRules[ki] = append(rs.kwRules[ki], ri)
		}
	}
	if len(rs.kwText) > 0 {
		rs.m = newMatcher(rs.kwText)
	}
	return rs
}

// isPrefixRegex reports whether re starts with `\b(` and one of the
// keywords literally, for every keyword; only then may the regex window
// start at a keyword hit.
func isPrefixRegex(re string, keywords []string) bool {
	rest, ok := strings.CutPrefix(re, `\b(`)
	if !ok || len(keywords) == 0 {
		return false
	}
	for _, k := range keywords {
		q := regexp.QuoteMeta(k)
		if !strings.HasPrefix(rest, q) && !strings.HasPrefix(rest, "(?:"+q) {
			return false
		}
	}
	return true
}

var tailRe = regexp.MustCompile(`^\[[^\]]+\]\{(\d+)`)

// minTail derives the shortest run of token characters the regex needs
// after any of the keywords; 0 when it cannot tell.
func minTail(re string, keywords []string) int {
	rest := strings.TrimPrefix(strings.TrimPrefix(re, `\b(`), "(?:")
	least := -1
	for _, k := range keywords {
		after, ok := strings.CutPrefix(rest, regexp.QuoteMeta(k))
		if !ok {
			return 0
		}
		m := tailRe.FindStringSubmatch(after)
		if m == nil {
			return 0
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0
		}
		if least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0)
}
