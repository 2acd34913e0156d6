package sast

import "github.com/picketsec/picket/scanners"

var commandInjection = &rule{
	meta: meta("command-injection", scanners.Critical,
		"Operating-system command built from user input",
		"A shell interprets ;, |, $() and backticks in its input, so input that reaches a shell command line runs arbitrary commands with the service's privileges.",
		"Run the program directly with an argument list and no shell (exec.Command(\"git\", \"log\", ref), subprocess.run([...]) without shell=True, execFile, ProcessBuilder with separate arguments); if a shell is unavoidable, quote with shlex.quote and validate against an allowlist.",
		"CWE-78", "A03:2021 Injection",
		`exec.Command("sh", "-c", "ping "+r.FormValue("host"))`),
	sinks: []sink{
		{langs: langGo, names: []string{"os/exec.Command"}, local: true,
			when:   func(m *match) bool { return m.commandTainted(m.n.kids) },
			advice: `pass the input as a separate argument without a shell: exec.Command("ping", "-c", "1", host)`},
		{langs: langGo, names: []string{"os/exec.CommandContext"}, local: true,
			when:   func(m *match) bool { return len(m.n.kids) > 1 && m.commandTainted(m.n.kids[1:]) },
			advice: `pass the input as a separate argument without a shell: exec.CommandContext(ctx, "ping", "-c", "1", host)`},
		{langs: langPython, names: []string{"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput", "asyncio.create_subprocess_shell"},
			args: []int{0}, local: true, advice: `use subprocess.run(["prog", arg]) without a shell, or shlex.quote the value`},
		{langs: langPython, names: []string{"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}, local: true,
			when: func(m *match) bool {
				if m.n.kwarg("shell").isTrue() {
					if t := m.taintOf(m.arg(0)); t != nil {
						m.src = t
						return true
					}
					return false
				}
				return m.commandTainted(m.n.kids[:min(1, len(m.n.kids))])
			},
			advice: `pass a list without shell=True: subprocess.run(["prog", arg])`},
		{langs: langJS, names: []string{"child_process.exec", "child_process.execSync", "shelljs.exec"}, args: []int{0}, local: true,
			advice: `use execFile("prog", [arg]) or spawn without a shell`},
		{langs: langJS, names: []string{"child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync"}, local: true,
			when: func(m *match) bool {
				if m.n.kwarg("shell").isTrue() {
					if t := m.taintOf(m.arg(0)); t != nil {
						m.src = t
						return true
					}
				}
				args := []*node{m.arg(0)}
				if a := m.arg(1); a != nil && a.k == kObject {
					args = append(args, a.kids...)
				}
				return m.commandTainted(args)
			},
			advice: "pass the input as a separate argument without shell: true"},
		{langs: langJava, names: []string{"*.exec"}, local: true,
			when: func(m *match) bool {
				if a := m.arg(0); a != nil && a.k != kObject {
					if t := m.taintOf(a); t != nil {
						m.src = t
						return true
					}
					return false
				}
				return m.commandTainted(m.n.kids[:min(1, len(m.n.kids))])
			},
			advice: `use new ProcessBuilder("prog", arg) with the input as a separate argument`},
		{langs: langJava, names: []string{"new ProcessBuilder", "*.command"}, local: true,
			when:   func(m *match) bool { return m.commandTainted(m.n.kids) },
			advice: "pass the input as a separate argument, never to sh -c"},
	},
}
