package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// safeYAMLLoaders are PyYAML loaders that build only plain data.
var safeYAMLLoaders = map[string]bool{"SafeLoader": true, "CSafeLoader": true, "BaseLoader": true, "CBaseLoader": true}

var unsafeDeserialization = &rule{
	meta: meta("unsafe-deserialization", scanners.High,
		"Deserialisation that can instantiate arbitrary objects",
		"pickle, PyYAML's full loaders, Java's ObjectInputStream and XMLDecoder, XStream and node-serialize rebuild arbitrary objects, so crafted input runs code while it is read.",
		"Read untrusted data with a data-only format: json, yaml.safe_load, a schema-bound JSON mapper; sign data that must round-trip through a client.",
		"CWE-502", "A08:2021 Software and Data Integrity Failures",
		`pickle.loads(request.data)`),
	sinks: []sink{
		{langs: langPython, names: []string{"pickle.loads", "pickle.load", "cPickle.loads", "_pickle.loads", "dill.loads", "marshal.loads", "jsonpickle.decode", "shelve.open"},
			args: []int{0}, local: true, advice: "use json (or sign the data and verify the signature before unpickling)"},
		{langs: langPython, names: []string{"yaml.load", "yaml.load_all"},
			when: func(m *match) bool {
				l := m.n.kwarg("Loader")
				if l == nil {
					l = m.arg(1)
				}
				return l == nil || !safeYAMLLoaders[base(l.path())]
			},
			advice: "yaml.load without a safe Loader constructs arbitrary Python objects; use yaml.safe_load",
			fix: func(m *match) *scanners.Fix {
				if m.n.kwarg("Loader") != nil || m.arg(1) != nil {
					return nil
				}
				name := base(m.n.text)
				return m.replaceFix("use yaml.safe_load", strings.TrimSuffix(m.n.text, name)+name+"(", strings.TrimSuffix(m.n.text, name)+"safe_"+name+"(")
			}},
		{langs: langPython, names: []string{"yaml.unsafe_load", "yaml.unsafe_load_all"}, advice: "yaml.unsafe_load constructs arbitrary Python objects; use yaml.safe_load"},
		{langs: langJava, names: []string{"new ObjectInputStream", "new XMLDecoder", "*.fromXML"}, args: []int{0}, local: true,
			advice: "deserialise untrusted bytes into plain data (JSON with a fixed schema), or set an ObjectInputFilter allowlist"},
		{langs: langJava, names: []string{"*.load", "*.loadAs", "*.loadAll"}, args: []int{0},
			when: func(m *match) bool {
				return strings.Contains(strings.ToLower(m.n.recv.path()+m.text(m.n.recv)), "yaml") && !strings.Contains(m.text(m.n.recv), "SafeConstructor")
			},
			advice: "construct SnakeYAML with new Yaml(new SafeConstructor(new LoaderOptions()))"},
		{langs: langJava, names: []string{"*.enableDefaultTyping", "*.activateDefaultTyping"},
			advice: "Jackson default typing lets the JSON choose classes to instantiate; bind to concrete types or use a PolymorphicTypeValidator allowlist"},
		{langs: langJS, names: []string{"node-serialize.unserialize", "serialize-javascript.deserialize", "funcster.deepDeserialize"},
			advice: "node-serialize runs functions embedded in its input; parse JSON with JSON.parse instead"},
	},
}
