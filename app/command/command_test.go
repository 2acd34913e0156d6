package command

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		outcome Outcome
		cmd     Command
		reply   string // substring
	}{
		{"plain comment", "LGTM, thanks!", None, Command{}, ""},
		{"rescan", "/picket rescan", Run, Command{Name: Rescan}, ""},
		{"case and spacing", "  /Picket   RESCAN  ", Run, Command{Name: Rescan}, ""},
		{"after other text", "Thanks!\n\n/picket rescan\n", Run, Command{Name: Rescan}, ""},
		{"rescan with args", "/picket rescan now", Reply, Command{}, "takes no arguments"},
		{"help", "/picket help", Run, Command{Name: Help}, ""},
		{"bare prefix", "/picket", Reply, Command{}, "/picket rescan"},
		{"ignore", "/picket ignore 0123456789 test fixture, not a real key", Run,
			Command{Name: Ignore, ID: "0123456789", Reason: "test fixture, not a real key"}, ""},
		{"ignore repo", "/picket ignore --repo ABCDEF0123 vendored example", Run,
			Command{Name: Ignore, ID: "abcdef0123", Reason: "vendored example", Repo: true}, ""},
		{"ignore in backticks", "/picket ignore `abcdef0123` ok", Run, Command{Name: Ignore, ID: "abcdef0123", Reason: "ok"}, ""},
		{"ignore without reason", "/picket ignore abcdef0123", Reply, Command{}, "needs a reason"},
		{"ignore without id", "/picket ignore", Reply, Command{}, "needs the finding's id"},
		{"ignore bad id", "/picket ignore nothex!! reason", Reply, Command{}, "is not a finding id"},
		{"ignore bad flag", "/picket ignore --org abcdef0123 r", Reply, Command{}, "Unknown flag"},
		{"unknown", "/picket deploy", Reply, Command{}, "Unknown command `deploy`"},
		{"quoted reply", "> /picket rescan\nI agree", None, Command{}, ""},
		{"in code fence", "```\n/picket rescan\n```", None, Command{}, ""},
		{"prefix must be a word", "/picketrescan", None, Command{}, ""},
		{"mention is sanitised", "/picket @everyone", Reply, Command{}, "@\u200beveryone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.body)
			if got.Outcome != tt.outcome || got.Command != tt.cmd {
				t.Errorf("Parse(%q) = %+v, want outcome %v command %+v", tt.body, got, tt.outcome, tt.cmd)
			}
			if !strings.Contains(got.Reply, tt.reply) {
				t.Errorf("Parse(%q).Reply = %q, want it to contain %q", tt.body, got.Reply, tt.reply)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"/picket rescan", "/picket ignore abcdef0123 why", "```\n/picket help", "> /picket", "/picket ignore --repo `x`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := Parse(body)
		switch r.Outcome {
		case None:
			if r.Reply != "" || r.Command != (Command{}) {
				t.Fatalf("None with data: %+v", r)
			}
		case Reply:
			if r.Reply == "" {
				t.Fatal("Reply without text")
			}
			if utf8.ValidString(body) && !utf8.ValidString(r.Reply) {
				t.Fatalf("reply is not valid UTF-8: %q", r.Reply)
			}
		case Run:
			if r.Command.Name == Ignore && (!idPattern.MatchString(r.Command.ID) || r.Command.Reason == "") {
				t.Fatalf("invalid ignore accepted: %+v", r.Command)
			}
		}
	})
}
