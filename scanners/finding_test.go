package scanners_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/picketsec/picket/scanners"
)

func TestRedactedNeverPrintsTheValue(t *testing.T) {
	secret := "ghp_R4nd0mV4lu3ThatIsSecret0123456789ab"
	r := scanners.Redact(secret)
	var out bytes.Buffer
	fmt.Fprintf(&out, "%v %+v %#v %s", r, r, r, r)
	js, err := json.Marshal(struct{ E scanners.Redacted }{r})
	if err != nil {
		t.Fatal(err)
	}
	out.Write(js)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("x", "e", r)
	slog.New(slog.NewTextHandler(&out, nil)).Info("x", "e", r)
	// No run of 8 characters of the value may appear.
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(out.String(), secret[i:i+8]) {
			t.Fatalf("output contains %q from the secret: %s", secret[i:i+8], out.String())
		}
	}
	if r.Length() != len(secret) || r.Prefix() != "ghp_" || !strings.Contains(out.String(), "(39 chars)") {
		t.Errorf("redacted = %v (prefix %q, length %d)", r, r.Prefix(), r.Length())
	}
	var back scanners.Redacted
	if err := json.Unmarshal(js[len(`{"E":`):len(js)-1], &back); err != nil || back != r {
		t.Errorf("JSON round trip = %v, %v", back, err)
	}
}

func TestRedactShortValuesHideThreeQuarters(t *testing.T) {
	for _, s := range []string{"a", "abc", "hunter2", "12345678"} {
		r := scanners.Redact(s)
		if len(r.Prefix())*4 > len(s) {
			t.Errorf("Redact(%d chars) shows %d chars", len(s), len(r.Prefix()))
		}
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []string{"info", "LOW", "Medium", "high", "critical"} {
		if _, err := scanners.ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	if _, err := scanners.ParseSeverity("severe"); err == nil || !strings.Contains(err.Error(), "critical") {
		t.Errorf("ParseSeverity(severe) = %v, want an error listing the names", err)
	}
	if scanners.High.SecurityScore() != "8.0" || scanners.Critical.SecurityScore() != "9.5" {
		t.Error("security scores do not map to GitHub's bands")
	}
}

func TestRuleValidate(t *testing.T) {
	ok := scanners.Rule{ID: "x/y", Kind: scanners.KindBuild, Title: "t", Why: "w", Fix: "f"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []scanners.Rule{{ID: "noslash", Kind: "k", Title: "t", Why: "w", Fix: "f"}, {ID: "x/y", Title: "t", Why: "w", Fix: "f"}, {ID: "x/y", Kind: "k", Title: "t"}} {
		if bad.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want an error", bad)
		}
	}
}

func TestPlacementJSONRoundTrip(t *testing.T) {
	for _, p := range []scanners.Placement{scanners.InChangedLines, scanners.InFile, scanners.OutsideDiff} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var got scanners.Placement
		if err := json.Unmarshal(b, &got); err != nil || got != p {
			t.Errorf("json round trip of %v = %v, %v", p, got, err)
		}
	}
	var p scanners.Placement
	if err := json.Unmarshal([]byte(`"inline"`), &p); err == nil {
		t.Error(`Unmarshal("inline") = nil error, want unknown placement`)
	}
}
