package githubtest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// supplementJSON holds the operations the shared subset lacks (webhook
// deliveries, redelivery, pulls/list, the installation's repositories),
// cut from the same GitHub description by testdata/cut-supplement.py;
// testdata/README.md records its provenance. It is embedded so that the
// fake validates them wherever its tests run.
//
//go:embed testdata/openapi-supplement.json
var supplementJSON []byte

// mergeSupplement adds supp's paths, tags and components to base (both
// OpenAPI documents as JSON) and returns the merged document. A path
// operation present in both, or a component of the same name whose
// content differs, is an error: the two files must come from one
// description, and a silent override would validate against the wrong
// schema.
func mergeSupplement(base, supp []byte) ([]byte, error) {
	var b, s map[string]any
	if err := json.Unmarshal(base, &b); err != nil {
		return nil, fmt.Errorf("merge supplement: parse subset: %w", err)
	}
	if err := json.Unmarshal(supp, &s); err != nil {
		return nil, fmt.Errorf("merge supplement: parse supplement: %w", err)
	}
	bPaths := objectAt(b, "paths")
	for _, p := range sortedNames(objectAt(s, "paths")) {
		item := objectAt(s, "paths")[p].(map[string]any)
		dst, ok := bPaths[p].(map[string]any)
		if !ok {
			dst = map[string]any{}
			bPaths[p] = dst
		}
		for method, op := range item {
			if _, clash := dst[method]; clash {
				return nil, fmt.Errorf("merge supplement: %s %s is in both files", method, p)
			}
			dst[method] = op
		}
	}
	bComps := objectAt(b, "components")
	for _, kind := range sortedNames(objectAt(s, "components")) {
		src, _ := objectAt(s, "components")[kind].(map[string]any)
		dst, ok := bComps[kind].(map[string]any)
		if !ok {
			dst = map[string]any{}
			bComps[kind] = dst
		}
		for _, name := range sortedNames(src) {
			if have, clash := dst[name]; clash {
				if !reflect.DeepEqual(have, src[name]) {
					return nil, fmt.Errorf("merge supplement: components/%s/%s differs between the subset and the supplement", kind, name)
				}
				continue
			}
			dst[name] = src[name]
		}
	}
	tags, _ := b["tags"].([]any)
	have := map[string]bool{}
	for _, t := range tags {
		if m, ok := t.(map[string]any); ok {
			have[fmt.Sprint(m["name"])] = true
		}
	}
	st, _ := s["tags"].([]any)
	for _, t := range st {
		if m, ok := t.(map[string]any); ok && !have[fmt.Sprint(m["name"])] {
			tags = append(tags, t)
		}
	}
	if tags != nil {
		b["tags"] = tags
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("merge supplement: %w", err)
	}
	return out, nil
}

// objectAt returns m[k] as an object, creating it if absent.
func objectAt(m map[string]any, k string) map[string]any {
	v, ok := m[k].(map[string]any)
	if !ok {
		v = map[string]any{}
		m[k] = v
	}
	return v
}

func sortedNames(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
