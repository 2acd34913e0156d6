package sast

import "github.com/picketsec/picket/scanners"

var pathTraversal = &rule{
	meta: meta("path-traversal", scanners.High,
		"File path built from user input",
		"A name such as ../../etc/passwd or an absolute path escapes the intended directory and reads, overwrites or deletes other files.",
		"Reduce the input to a bare name (filepath.Base, os.path.basename, secure_filename), or clean the joined path and check that it still starts with the base directory before opening it.",
		"CWE-22", "A01:2021 Broken Access Control",
		`os.ReadFile(filepath.Join("/srv/files", r.URL.Query().Get("name")))`),
	sinks: []sink{
		{langs: langGo, names: []string{"os.Open", "os.OpenFile", "os.ReadFile", "os.WriteFile", "os.Create", "os.Remove", "os.RemoveAll", "os.ReadDir", "io/ioutil.ReadFile", "io/ioutil.WriteFile"},
			args: []int{0}, advice: `use filepath.Base, or check strings.HasPrefix(filepath.Clean(p), base+"/") before opening`},
		{langs: langGo, names: []string{"net/http.ServeFile"}, args: []int{2}, advice: "serve from an http.FileServer(http.Dir(base)) or check the cleaned path against the base"},
		{langs: langPython, names: []string{"*.Path.read_text", "*.Path.read_bytes", "*.Path.write_text", "*.Path.write_bytes", "*.Path.open", "*.Path.unlink"},
			args: []int{recvArg}, advice: "use os.path.basename or werkzeug's secure_filename, or check that the resolved path is inside the base directory first"},
		{langs: langPython, names: []string{"*.save"}, args: []int{0},
			when:   func(m *match) bool { return m.taintOf(m.n.recv) != nil },
			advice: "save uploads under werkzeug's secure_filename(f.filename), never the client's name"},
		{langs: langPython, names: []string{"open", "io.open", "os.remove", "os.unlink", "shutil.rmtree", "os.rmdir", "flask.send_file", "send_file"},
			args: []int{0}, advice: "use os.path.basename or werkzeug's secure_filename, or check os.path.realpath(p).startswith(base) first"},
		{langs: langJS, names: []string{"*.readFile", "*.readFileSync", "*.writeFile", "*.writeFileSync", "*.createReadStream", "*.createWriteStream", "*.unlink", "*.unlinkSync",
			"*.rm", "*.rmSync", "*.appendFile", "*.appendFileSync", "*.download"},
			args: []int{0}, advice: "use path.basename, or resolve the path and check it startsWith the base directory"},
		{langs: langJS, names: []string{"*.sendFile"}, args: []int{0},
			when:   func(m *match) bool { return m.n.kwarg("root") == nil },
			advice: "pass { root: baseDir } so that the file is resolved inside the base directory"},
		{langs: langJava, names: []string{"Files.readAllBytes", "Files.readString", "Files.readAllLines", "Files.lines", "Files.newInputStream", "Files.newOutputStream",
			"Files.newBufferedReader", "Files.newBufferedWriter", "Files.write", "Files.writeString", "Files.delete", "Files.deleteIfExists", "Files.copy", "Files.move",
			"new FileInputStream", "new FileOutputStream", "new FileReader", "new FileWriter", "new RandomAccessFile", "*.transferTo"},
			args: []int{anyArg}, advice: "normalize the resolved path and check path.startsWith(baseDir) before using it"},
	},
}
