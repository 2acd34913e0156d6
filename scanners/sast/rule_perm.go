package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// modeArg returns a sink condition on the mode at position i (or in the
// options object's "mode").
func modeArg(i int) func(m *match) bool {
	return func(m *match) bool {
		if a := m.arg(i); a != nil && a.k != kObject {
			return worldWritableMode(a) || strings.Contains(m.text(a), "S_IWOTH") || strings.Contains(m.text(a), "S_IRWXO")
		}
		return worldWritableMode(m.n.kwarg("mode"))
	}
}

func modeFixAt(i int) func(m *match) *scanners.Fix {
	return func(m *match) *scanners.Fix {
		if a := m.arg(i); a != nil {
			return m.modeFix(a)
		}
		return nil
	}
}

var worldWritable = &rule{
	meta: meta("world-writable", scanners.Medium,
		"File or directory made writable by every user",
		"A world-writable file or directory lets any local user or process replace its contents: configuration, scripts, sockets, uploaded files.",
		"Grant write only to the owner (0644 for files, 0755 or 0700 for directories, 0600 for secrets).",
		"CWE-732", "A01:2021 Broken Access Control",
		`os.WriteFile(path, data, 0666)`),
	sinks: []sink{
		{langs: langGo, names: []string{"os.Chmod", "os.Mkdir", "os.MkdirAll", "os.Lchown"}, when: modeArg(1), fix: modeFixAt(1),
			advice: "this mode lets every user write; use 0755 for directories or 0644 for files"},
		{langs: langGo, names: []string{"os.WriteFile", "os.OpenFile", "io/ioutil.WriteFile"}, when: modeArg(2), fix: modeFixAt(2),
			advice: "this mode lets every user write; use 0644 or 0600"},
		{langs: langGo, names: []string{"*.Chmod"}, when: modeArg(0), fix: modeFixAt(0),
			advice: "this mode lets every user write; use 0644 or 0600"},
		{langs: langPython, names: []string{"os.chmod", "os.mkdir", "os.makedirs", "os.fchmod", "os.lchmod"}, when: modeArg(1), fix: modeFixAt(1),
			advice: "this mode lets every user write; use 0o755 for directories or 0o644 for files"},
		{langs: langPython, names: []string{"os.open"}, when: modeArg(2), fix: modeFixAt(2), advice: "this mode lets every user write; use 0o600"},
		{langs: langPython, names: []string{"*.chmod", "*.mkdir"}, when: modeArg(0), fix: modeFixAt(0), advice: "this mode lets every user write; use 0o644 or 0o755"},
		{langs: langJS, names: []string{"*.chmod", "*.chmodSync", "*.fchmod", "*.fchmodSync", "*.mkdir", "*.mkdirSync", "*.writeFile", "*.writeFileSync", "*.open", "*.openSync"},
			when: func(m *match) bool {
				for i := 1; i < len(m.n.kids); i++ {
					if modeArg(i)(m) {
						return true
					}
				}
				return false
			},
			advice: "this mode lets every user write; use 0o644 for files or 0o755 for directories"},
		{langs: langJava, names: []string{"PosixFilePermissions.fromString"},
			when: func(m *match) bool {
				s, _ := m.arg(0).constString()
				return len(s) == 9 && s[7] == 'w'
			},
			advice: "these permissions let every user write; use rw-r----- or rwxr-x---"},
		{langs: langJava, names: []string{"*.setWritable"},
			when:   func(m *match) bool { return m.arg(0).isTrue() && m.arg(1).isFalse() },
			advice: "setWritable(true, false) lets every user write; use setWritable(true, true)"},
	},
}
