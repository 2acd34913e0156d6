package secrets

// matcher is a case-insensitive Aho–Corasick automaton compiled to a dense
// DFA over byte classes. It is hand-written rather than imported: the scan
// loop is the hot path of the whole scanner, it needs ASCII case folding
// baked into the table (so keywords like "password" hit "PASSWORD" without
// lower-casing the input), and the complete automaton is ~150 lines with
// no dependency. The loop does one table load per input byte and calls back
// only on a hit, which keeps the keyword pass at several hundred MB/s.
type matcher struct {
	class  [256]uint8 // input byte → column; 0 for bytes in no keyword
	nclass int
	// delta[state*nclass + class] is the next state, premultiplied by
	// nclass so that the loop needs no multiplication, and negated when
	// that state reports keywords.
	delta   []int32
	out     [][]int32 // state → keywords ending there
	lengths []int     // keyword index → length
	maxLen  int       // longest keyword
}

// newMatcher builds the automaton for keywords, which must be non-empty;
// keyword i is reported as i.
func newMatcher(keywords []string) *matcher {
	m := &matcher{lengths: make([]int, len(keywords))}
	// Byte classes: one per distinct folded byte used in a keyword.
	var folded [256]uint8
	for c := range 256 {
		folded[c] = lower(byte(c))
	}
	classOfFolded := map[byte]uint8{}
	for _, k := range keywords {
		for i := 0; i < len(k); i++ {
			f := folded[k[i]]
			if _, ok := classOfFolded[f]; !ok {
				classOfFolded[f] = uint8(len(classOfFolded) + 1)
			}
		}
	}
	m.nclass = len(classOfFolded) + 1
	for c := range 256 {
		m.class[c] = classOfFolded[folded[c]]
	}

	// Trie with goto edges; -1 is "no edge".
	type node struct {
		next []int32
		out  []int32
	}
	newNode := func() node {
		n := node{next: make([]int32, m.nclass)}
		for i := range n.next {
			n.next[i] = -1
		}
		return n
	}
	nodes := []node{newNode()}
	for ki, k := range keywords {
		m.lengths[ki] = len(k)
		m.maxLen = max(m.maxLen, len(k))
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := m.class[k[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(ki))
	}

	// Breadth-first failure links, folded into a complete transition table.
	fail := make([]int32, len(nodes))
	m.delta = make([]int32, len(nodes)*m.nclass)
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < m.nclass; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			m.delta[c] = t
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		nodes[s].out = append(nodes[s].out, nodes[fail[s]].out...)
		for c := 0; c < m.nclass; c++ {
			t := nodes[s].next[c]
			if t < 0 {
				m.delta[int(s)*m.nclass+c] = m.delta[int(fail[s])*m.nclass+c]
				continue
			}
			fail[t] = m.delta[int(fail[s])*m.nclass+c]
			m.delta[int(s)*m.nclass+c] = t
			queue = append(queue, t)
		}
	}
	m.out = make([][]int32, len(nodes))
	for i, n := range nodes {
		m.out[i] = n.out
	}
	for i, t := range m.delta {
		v := t * int32(m.nclass)
		if len(nodes[t].out) > 0 {
			v = -v // t > 0 here: the root reports nothing
		}
		m.delta[i] = v
	}
	return m
}

// scan calls hit(keyword, end) for every occurrence of every keyword in b,
// where end is the offset just past the occurrence, in increasing end order.
//
// The DFA loop is bound by the latency of one dependent table load per
// byte, so inputs of some size are scanned as two interleaved halves whose
// loads overlap in the CPU. The second half starts maxLen bytes early so a
// keyword across the middle is seen, and reports only what ends after it;
// its hits are delivered after the first half's, keeping the order.
func (m *matcher) scan(b []byte, hit func(kw int, end int)) {
	ov := m.maxLen
	if len(b) < 4096 || ov == 0 {
		m.scanRange(b, 0, len(b), hit)
		return
	}
	mid := len(b) / 2
	a, c := b[:mid], b[mid-ov:]
	base := mid - ov
	var later []int32 // pairs of (keyword, end) from the second half
	delta, class, n := m.delta, &m.class, int32(m.nclass)
	s1, s2 := int32(0), int32(0)
	for i := range a {
		s1 = delta[s1+int32(class[a[i]])]
		s2 = delta[s2+int32(class[c[i]])]
		if s1 < 0 {
			s1 = -s1
			for _, k := range m.out[s1/n] {
				hit(int(k), i+1)
			}
		}
		if s2 < 0 {
			s2 = -s2
			if base+i+1 > mid {
				for _, k := range m.out[s2/n] {
					later = append(later, k, int32(base+i+1))
				}
			}
		}
	}
	for i := len(a); i < len(c); i++ {
		s2 = delta[s2+int32(class[c[i]])]
		if s2 < 0 {
			s2 = -s2
			if base+i+1 > mid {
				for _, k := range m.out[s2/n] {
					later = append(later, k, int32(base+i+1))
				}
			}
		}
	}
	for i := 0; i < len(later); i += 2 {
		hit(int(later[i]), int(later[i+1]))
	}
}

// scanRange is the single-stream loop over b[from:to].
func (m *matcher) scanRange(b []byte, from, to int, hit func(kw int, end int)) {
	s := int32(0)
	delta, class, n := m.delta, &m.class, int32(m.nclass)
	for i := from; i < to; i++ {
		s = delta[s+int32(class[b[i]])]
		if s < 0 {
			s = -s
			for _, k := range m.out[s/n] {
				hit(int(k), i+1)
			}
		}
	}
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
