package sast

import (
	"strings"

	"github.com/picketsec/picket/scanners"
)

// unhardened keeps a parser factory whose function never sets a feature
// or property (disallow-doctype-decl, SUPPORT_DTD false, ACCESS_EXTERNAL_DTD "").
func unhardened(m *match) bool {
	return !m.fnHasCall(false, "setFeature", "setProperty", "setAttribute", "setExpandEntityReferences")
}

var xxe = &rule{
	meta: meta("xxe", scanners.High,
		"XML parser that resolves external entities",
		"With DTDs and external entities enabled, an XML document can read local files, reach internal URLs or exhaust memory (billion laughs).",
		"Disable DOCTYPE declarations (factory.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true)) or external entities and DTD loading; in Python use defusedxml or resolve_entities=False.",
		"CWE-611", "A05:2021 Security Misconfiguration",
		`DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in)`),
	sinks: []sink{
		{langs: langJava, names: []string{"DocumentBuilderFactory.newInstance", "SAXParserFactory.newInstance", "XMLInputFactory.newInstance", "XMLInputFactory.newFactory",
			"TransformerFactory.newInstance", "SchemaFactory.newInstance", "XMLReaderFactory.createXMLReader", "new SAXBuilder", "new SAXReader"},
			when:   unhardened,
			advice: "this parser factory keeps DTDs and external entities enabled; set disallow-doctype-decl (or disable external entities) before parsing"},
		{langs: langPython, names: []string{"lxml.etree.XMLParser", "etree.XMLParser"},
			when: func(m *match) bool {
				return m.n.kwarg("resolve_entities").isTrue() || m.n.kwarg("no_network").isFalse()
			},
			advice: "resolve_entities=True lets documents read local files; use resolve_entities=False or defusedxml"},
		{langs: langPython, names: []string{"*.setFeature"},
			when: func(m *match) bool {
				return strings.Contains(m.arg(0).path(), "external_ges") && m.arg(1).isTrue()
			},
			advice: "enabling external general entities lets documents read local files; use defusedxml"},
		{langs: langJS, names: []string{"libxmljs.parseXml", "libxmljs.parseXmlString", "libxmljs2.parseXml", "libxmljs2.parseXmlString"},
			when:   func(m *match) bool { return m.n.kwarg("noent").isTrue() },
			advice: "noent: true substitutes external entities; drop it"},
	},
}
