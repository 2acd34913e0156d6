package api

func TestRedact(t *testing.T) {
	got := Redact("token=abc")
	if got != "token=***" {
		t.Fatal(got)
	}
}
