package sast

import "github.com/picketsec/picket/scanners"

func tmpArg(i int) func(m *match) bool {
	return func(m *match) bool { return m.tmpPath(m.arg(i)) }
}

var predictableTempFile = &rule{
	meta: meta("predictable-tempfile", scanners.Medium,
		"Fixed file name in a shared temporary directory",
		"Another local user can create the file or a symlink with that name first, and so read the data or redirect the write to a file of their choice.",
		"Create temporary files with a random name and exclusive creation: os.CreateTemp / os.MkdirTemp, tempfile.mkstemp / NamedTemporaryFile, fs.mkdtemp, Files.createTempFile.",
		"CWE-377", "A01:2021 Broken Access Control",
		`os.WriteFile("/tmp/app-cache.json", data, 0600)`),
	sinks: []sink{
		{langs: langGo, names: []string{"os.Create", "os.WriteFile", "os.OpenFile", "io/ioutil.WriteFile", "os.Mkdir", "os.MkdirAll"}, when: tmpArg(0),
			advice: "a fixed name in the shared temp directory can be pre-created or symlinked by another user; use os.CreateTemp or os.MkdirTemp"},
		{langs: langPython, names: []string{"tempfile.mktemp"},
			advice: "mktemp returns a name another process can claim first; use tempfile.mkstemp or NamedTemporaryFile"},
		{langs: langPython, names: []string{"open", "io.open", "os.open"},
			when: func(m *match) bool {
				if !m.tmpPath(m.arg(0)) {
					return false
				}
				mo, _ := m.arg(1).constString()
				if mo == "" {
					mo, _ = m.n.kwarg("mode").constString()
				}
				return base(m.callee) == "open" && m.callee == "os.open" || containsAny(mo, "wax+")
			},
			advice: "a fixed name in the shared temp directory can be pre-created or symlinked by another user; use tempfile.NamedTemporaryFile or mkstemp"},
		{langs: langJS, names: []string{"*.writeFile", "*.writeFileSync", "*.createWriteStream", "*.openSync", "*.appendFileSync", "*.mkdirSync"}, when: tmpArg(0),
			advice: "a fixed name in the shared temp directory can be pre-created or symlinked by another user; use fs.mkdtemp"},
		{langs: langJava, names: []string{"new File", "new FileOutputStream", "new FileWriter", "Paths.get", "Path.of"},
			when:   func(m *match) bool { return m.tmpPath(m.arg(0)) || m.tmpPath(m.n) },
			advice: "a fixed name in the shared temp directory can be pre-created or symlinked by another user; use Files.createTempFile"},
	},
}

func containsAny(s, chars string) bool {
	for _, c := range chars {
		for _, d := range s {
			if c == d {
				return true
			}
		}
	}
	return false
}
