package build

import (
	"encoding/json"
	"strings"
)

// instruction is one Dockerfile instruction with continuations joined.
type instruction struct {
	line int    // first line
	cmd  string // upper-case keyword
	args string // the rest, continuation newlines kept
}

// instructions splits a Dockerfile into instructions, handling backslash
// continuations, comments inside continuations and RUN heredocs.
func (a *analysis) instructions() []instruction {
	var out []instruction
	for i := 0; i < len(a.lines); i++ {
		t := strings.TrimSpace(a.lines[i])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		first := i + 1
		text := t
		for strings.HasSuffix(text, "\\") && i+1 < len(a.lines) {
			i++
			next := a.lines[i]
			if strings.HasPrefix(strings.TrimSpace(next), "#") {
				text += "\n"
				continue
			}
			text += "\n" + next
		}
		kw, rest, _ := strings.Cut(text, " ")
		in := instruction{line: first, cmd: strings.ToUpper(kw), args: strings.TrimSpace(rest)}
		// RUN <<EOF … EOF
		if in.cmd == "RUN" {
			if j := strings.Index(in.args, "<<"); j >= 0 && !strings.Contains(in.args[:j], "\n") {
				delim := strings.Trim(strings.TrimLeft(strings.Fields(in.args[j+2:] + " x")[0], "-"), `"'`)
				var body []string
				for i+1 < len(a.lines) {
					i++
					if strings.TrimSpace(a.lines[i]) == delim {
						break
					}
					body = append(body, a.lines[i])
				}
				in.args = strings.Join(body, "\n")
				in.line = first + 1
			}
		}
		out = append(out, in)
	}
	return out
}

// dockerfile checks RUN, ADD, ENV, ARG and FROM instructions.
func (a *analysis) dockerfile() {
	stages := map[string]bool{}
	registries := map[string]bool{}
	for _, in := range a.instructions() {
		switch in.cmd {
		case "RUN":
			src := in.args
			for strings.HasPrefix(src, "--") { // --mount=…, --network=…
				_, src, _ = strings.Cut(src, " ")
				src = strings.TrimSpace(src)
			}
			if strings.HasPrefix(src, "[") {
				var argv []string
				if json.Unmarshal([]byte(src), &argv) == nil {
					if len(argv) >= 3 && (argv[1] == "-c") {
						src = argv[2]
					} else {
						src = strings.Join(argv, " ")
					}
				}
			}
			off := strings.Count(in.args, "\n") - strings.Count(src, "\n")
			a.shell(&snippet{src: src, line: at(in.line + off)})
		case "ADD":
			a.dockerAdd(in)
		case "ENV", "ARG":
			for _, kv := range envPairs(in.args) {
				a.envVar(kv[0], kv[1], in.line)
			}
		case "FROM":
			a.dockerFrom(in, stages, registries)
		}
	}
}

// envPairs parses "K=V K2=V2" and the legacy "K V" form.
func envPairs(s string) [][2]string {
	var out [][2]string
	f := strings.Fields(strings.ReplaceAll(s, "\\\n", " "))
	if len(f) >= 2 && !strings.Contains(f[0], "=") {
		return [][2]string{{f[0], strings.Join(f[1:], " ")}}
	}
	for _, kv := range f {
		if k, v, ok := strings.Cut(kv, "="); ok {
			out = append(out, [2]string{k, strings.Trim(v, `"'`)})
		}
	}
	return out
}

func (a *analysis) dockerAdd(in instruction) {
	fields := strings.Fields(in.args)
	checksum := false
	for _, f := range fields {
		if strings.HasPrefix(f, "--checksum=") {
			checksum = true
		}
	}
	for _, f := range fields {
		if !strings.HasPrefix(f, "http://") && !strings.HasPrefix(f, "https://") {
			continue
		}
		h := hostOf(f)
		a.addHost(h, in.line, "ADD")
		if strings.HasSuffix(f, ".git") || strings.Contains(f, ".git#") {
			continue
		}
		if !checksum {
			a.add(ruleDockerAdd, in.line, "add:"+f, "`ADD %s` downloads from %s at every build without a checksum.", f, h)
		}
	}
}

// unpinnedImage reports an image reference without a digest whose tag is
// missing or latest.
func unpinnedImage(image string) bool {
	ref, digest, _ := strings.Cut(image, "@")
	last := ref[strings.LastIndex(ref, "/")+1:]
	_, tag, hasTag := strings.Cut(last, ":")
	return digest == "" && (!hasTag || tag == "latest")
}

func (a *analysis) dockerFrom(in instruction, stages, registries map[string]bool) {
	f := strings.Fields(in.args)
	var image string
	for i, x := range f {
		if strings.HasPrefix(x, "--") {
			continue
		}
		image = x
		if i+2 < len(f) && strings.EqualFold(f[i+1], "AS") {
			stages[strings.ToLower(f[i+2])] = true
		}
		break
	}
	if image == "" || image == "scratch" || stages[strings.ToLower(image)] || strings.Contains(image, "$") {
		return
	}
	ref, _, _ := strings.Cut(image, "@")
	reg := "Docker Hub"
	if first, _, ok := strings.Cut(ref, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		reg = first
	}
	if unpinnedImage(image) {
		a.add(ruleDockerUnpinned, in.line, "from:"+ref, "Base image `%s` is not pinned to a version: it can change under the build.", ref)
	}
	if !registries[reg] {
		registries[reg] = true
		if a.in.File != nil && a.in.File.HasBase() {
			a.add(ruleDockerRegistry, in.line, "registry:"+reg, "Base image now comes from the registry %s.", reg)
		}
	}
}
