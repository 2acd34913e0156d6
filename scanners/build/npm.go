package build

import (
	"bytes"
	"encoding/json"
	"strings"
)

// installHooks run on `npm install` of the package or its dependents.
var installHooks = map[string]bool{
	"preinstall": true, "install": true, "postinstall": true, "prepare": true, "prepublish": true,
	"preprepare": true, "postprepare": true, "dependencies": true,
}

// jsonString is a string value of a JSON object and its line.
type jsonString struct {
	key, value string
	line       int
}

// jsonObject returns the string members of the object at the top-level
// key (scripts, dependencies…) with their lines, reading tokens so that
// positions map back to the file.
func (a *analysis) jsonObject(data []byte, key string) []jsonString {
	type frame struct {
		obj     bool
		wantKey bool
		key     string // current member key
		name    string // the key this container is the value of
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*frame
	var out []jsonString
	for {
		if a.ctx.Err() != nil {
			return nil
		}
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.obj && top.wantKey {
			top.key, top.wantKey = s, false
			continue
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				name := ""
				if top != nil && top.obj {
					name = top.key
				}
				stack = append(stack, &frame{obj: d == '{', wantKey: d == '{', name: name})
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		}
		if s, ok := tok.(string); ok && len(stack) == 2 && top.obj && top.name == key {
			out = append(out, jsonString{key: top.key, value: s, line: a.lineOf(int(dec.InputOffset()) - 1)})
		}
		if top != nil && top.obj {
			top.wantKey = true
		}
	}
}

// packageJSON analyses lifecycle scripts and URL dependencies.
func (a *analysis) packageJSON() {
	data := []byte(a.text())
	for _, s := range a.jsonObject(data, "scripts") {
		hook := ""
		if installHooks[s.key] {
			hook = "npm " + s.key
			a.pipelineItem(s.line, "npm-hook:"+s.key, "This change adds an npm `%s` script, which runs on every install: `%s`.", s.key, short(s.value))
		}
		a.shell(&snippet{src: s.value, line: func(int) int { return s.line }, hook: hook})
	}
	for _, dep := range []string{"dependencies", "devDependencies", "optionalDependencies"} {
		for _, s := range a.jsonObject(data, dep) {
			for _, u := range urls(s.value) {
				h := hostOf(u)
				a.addHost(h, s.line, "dependency "+s.key)
				if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "git://") {
					a.add(ruleInsecureRepo, s.line, "dep:"+s.key+"="+s.value, "Dependency %s is fetched over an unencrypted URL from %s.", s.key, h)
				}
			}
		}
	}
	for _, s := range a.jsonObject(data, "publishConfig") {
		if s.key == "registry" {
			a.indexOverride(s.line, "publishConfig.registry", s.value, "publishConfig.registry")
		}
	}
}
