package metrics

// Value is the current value of the counter or gauge series called name
// whose labels include the pairs kv ("kind", "sweep", …), and whether
// there is one: what a test or a debugging session reads without parsing
// the exposition.
func (m *Metrics) Value(name string, kv ...string) (float64, bool) {
	mfs, err := m.reg.Gather()
	if err != nil {
		return 0, false
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, s := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range s.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(kv); i += 2 {
				if have[kv[i]] != kv[i+1] {
					continue series
				}
			}
			switch {
			case s.Counter != nil:
				return s.GetCounter().GetValue(), true
			case s.Gauge != nil:
				return s.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}
