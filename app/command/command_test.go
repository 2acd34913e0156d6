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
		{"help lists unignore", "/picket", Reply, Command{}, "`/picket unignore <id>`"},
		{"ignore", "/picket ignore 0123456789 test fixture, not a real key", Run,
			Command{Name: Ignore, ID: "0123456789", Reason: "test fixture, not a real key"}, ""},
		{"ignore repo", "/picket ignore --repo ABCDEF0123 vendored example", Run,
			Command{Name: Ignore, ID: "abcdef0123", Reason: "vendored example", Repo: true}, ""},
		{"ignore in backticks", "/picket ignore `abcdef0123` ok", Run, Command{Name: Ignore, ID: "abcdef0123", Reason: "ok"}, ""},
		{"ignore without reason", "/picket ignore abcdef0123", Reply, Command{}, "needs a reason"},
		{"ignore without id", "/picket ignore", Reply, Command{}, "needs the finding's id"},
		{"ignore bad id", "/picket ignore nothex!! reason", Reply, Command{}, "is not a finding id"},
		{"ignore bad flag", "/picket ignore --org abcdef0123 r", Reply, Command{}, "Unknown flag"},
		{"unignore", "/picket unignore 0123456789", Run, Command{Name: Unignore, ID: "0123456789"}, ""},
		{"unignore repo", "/picket unignore ABCDEF0123 --repo", Run, Command{Name: Unignore, ID: "abcdef0123", Repo: true}, ""},
		{"unignore repo first", "/picket UNIGNORE --repo `abcdef0123`", Run, Command{Name: Unignore, ID: "abcdef0123", Repo: true}, ""},
		{"unignore full fingerprint", "/picket unignore " + strings.Repeat("ab", 32), Run, Command{Name: Unignore, ID: strings.Repeat("ab", 32)}, ""},
		{"unignore without id", "/picket unignore", Reply, Command{}, "`/picket unignore` needs the finding's id"},
		{"unignore with only the flag", "/picket unignore --repo", Reply, Command{}, "`/picket unignore` needs the finding's id"},
		{"unignore extra words", "/picket unignore abcdef0123 it is real after all", Reply, Command{}, "takes only the finding's id"},
		{"unignore bad id", "/picket unignore 12345 ", Reply, Command{}, "`12345` is not a finding id"},
		{"unignore bad flag", "/picket unignore abcdef0123 --org", Reply, Command{}, "Unknown flag `--org` for `/picket unignore`"},
		{"unignore quoted", "> /picket unignore abcdef0123\nplease", None, Command{}, ""},
		{"unignore in code fence", "~~~\n/picket unignore abcdef0123\n~~~", None, Command{}, ""},
		{"only the first command runs", "/picket unignore abcdef0123\n/picket rescan", Run, Command{Name: Unignore, ID: "abcdef0123"}, ""},
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
	for _, s := range []string{"/picket rescan", "/picket ignore abcdef0123 why", "```\n/picket help", "> /picket", "/picket ignore --repo `x`", "/picket unignore abcdef0123 --repo"} {
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
			if r.Command.Name == Unignore && (!idPattern.MatchString(r.Command.ID) || r.Command.Reason != "") {
				t.Fatalf("invalid unignore accepted: %+v", r.Command)
			}
		}
	})
}
