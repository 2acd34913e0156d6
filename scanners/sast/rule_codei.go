package sast

import "github.com/picketsec/picket/scanners"

var codeInjection = &rule{
	meta: meta("code-injection", scanners.Critical,
		"User input evaluated as code or template",
		"eval, exec, new Function, vm.runIn*, script engines and templates compiled from input let the sender run code inside the service.",
		"Never evaluate input: parse it as data (JSON, a number, an allowlisted name), and render templates from constant sources with the input passed as data.",
		"CWE-94", "A03:2021 Injection",
		`eval(request.args["expr"])`),
	sinks: []sink{
		{langs: langPython, names: []string{"eval", "exec", "compile", "builtins.eval"}, args: []int{0}, local: true,
			advice: "parse the value as data (json.loads, ast.literal_eval, int) instead"},
		{langs: langPython, names: []string{"jinja2.Template", "flask.render_template_string", "render_template_string", "*.from_string", "mako.template.Template"}, args: []int{0},
			advice: "render a constant template and pass the input as a variable"},
		{langs: langJS, names: []string{"eval", "new Function", "Function", "vm.runInNewContext", "vm.runInThisContext", "vm.runInContext", "vm.compileFunction", "new vm.Script", "setTimeout", "setInterval"},
			args: []int{0}, local: true, advice: "parse the value as data (JSON.parse, Number) instead"},
		{langs: langJS, names: []string{"new Function", "Function"}, args: []int{anyArg}, local: true, advice: "build functions from constant code only"},
		{langs: langJava, names: []string{"*.eval", "*.parseExpression", "Ognl.getValue", "*.createValueExpression"}, args: []int{0}, local: true,
			advice: "evaluate constant expressions only and pass the input as a variable"},
		{langs: langGo, names: []string{"text/template.New.Parse", "html/template.New.Parse", "*.Funcs.Parse"}, args: []int{0},
			advice: "parse a constant template and pass the input to Execute as data"},
		{langs: langGo, names: []string{"*.Eval"}, args: []int{0}, local: true,
			when:   func(m *match) bool { return m.imports("github.com/traefik/yaegi/interp") },
			advice: "evaluate constant code only"},
	},
}
