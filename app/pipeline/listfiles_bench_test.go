package pipeline

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/google/go-github/v62/github"
)

// filesPageJSON is a page of pulls/list-files as GitHub writes it: 100
// modified files, each with every field and a 40-line patch.
func filesPageJSON(tb testing.TB) []byte {
	tb.Helper()
	var files []map[string]any
	for i := range 100 {
		var p strings.Builder
		p.WriteString("@@ -1,40 +1,40 @@\n")
		for j := range 40 {
			fmt.Fprintf(&p, "-    return {\"status\": 200, \"value\": %d}\n+    return {\"status\": 200, \"value\": %d}\n", j, j+1)
		}
		ref := "6dcb09b5b57875f334f61aebed695e2e4193db5e"
		name := fmt.Sprintf("svc/mod%04d.py", i)
		files = append(files, map[string]any{
			"sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": name, "status": "modified",
			"additions": 40, "deletions": 40, "changes": 80,
			"blob_url":     "https://github.com/octo-org/hello/blob/" + ref + "/" + name,
			"raw_url":      "https://github.com/octo-org/hello/raw/" + ref + "/" + name,
			"contents_url": "https://api.github.com/repos/octo-org/hello/contents/" + name + "?ref=" + ref,
			"patch":        p.String(),
		})
	}
	b, err := stdjson.Marshal(files)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkFilesPageDecode compares decoding one page of the file
// listing the way go-github's Client.Do does (encoding/json's Decoder on
// the body) with filesPage's (json v2, v1's leniencies).
func BenchmarkFilesPageDecode(b *testing.B) {
	page := filesPageJSON(b)
	for _, tc := range []struct {
		name   string
		decode func([]byte, *[]*github.CommitFile) error
	}{
		{"go-github", func(p []byte, out *[]*github.CommitFile) error {
			return stdjson.NewDecoder(bytes.NewReader(p)).Decode(out)
		}},
		{"json-v2", func(p []byte, out *[]*github.CommitFile) error {
			return json.UnmarshalRead(bytes.NewReader(p), out, decodeOpts)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				var out []*github.CommitFile
				if err := tc.decode(page, &out); err != nil || len(out) != 100 {
					b.Fatalf("decoded %d files: %v", len(out), err)
				}
			}
		})
	}
}
