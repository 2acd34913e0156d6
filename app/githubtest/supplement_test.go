package githubtest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMergeSupplement(t *testing.T) {
	t.Parallel()
	base := `{"paths":{"/a":{"get":{"operationId":"a"}}},"tags":[{"name":"apps"}],
		"components":{"schemas":{"x":{"type":"string"}}}}`
	tests := []struct {
		name, supp, wantErr string
	}{
		{"adds", `{"paths":{"/a":{"post":{"operationId":"a2"}},"/b":{"get":{"operationId":"b"}}},"tags":[{"name":"apps"},{"name":"pulls"}],
			"components":{"schemas":{"x":{"type":"string"},"y":{"type":"integer"}},"parameters":{"p":{"name":"p"}}}}`, ""},
		{"same operation twice", `{"paths":{"/a":{"get":{"operationId":"a"}}}}`, "get /a is in both files"},
		{"component differs", `{"components":{"schemas":{"x":{"type":"integer"}}}}`, "components/schemas/x differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := mergeSupplement([]byte(base), []byte(tt.supp))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("mergeSupplement = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Paths      map[string]map[string]any
				Tags       []map[string]any
				Components map[string]map[string]any
			}
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatal(err)
			}
			if len(m.Paths["/a"]) != 2 || m.Paths["/b"] == nil || len(m.Tags) != 2 ||
				m.Components["schemas"]["y"] == nil || m.Components["parameters"]["p"] == nil {
				t.Errorf("merged = %s", out)
			}
		})
	}
}

// TestSupplementLoads proves the embedded supplement merges into the
// shared subset and its operations are routed.
func TestSupplementLoads(t *testing.T) {
	t.Parallel()
	sp, err := loadSpec("")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"apps/list-webhook-deliveries", "apps/get-webhook-delivery", "apps/redeliver-webhook-delivery",
		"apps/list-repos-accessible-to-installation", "pulls/list"} {
		found := false
		for _, item := range sp.doc.Paths.Map() {
			for _, o := range item.Operations() {
				found = found || o.OperationID == op
			}
		}
		if !found {
			t.Errorf("operation %s is not in the merged contract", op)
		}
		if restHandlers[op] == nil {
			t.Errorf("operation %s has no handler", op)
		}
	}
}
