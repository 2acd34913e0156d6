package build

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// checkCommand runs the per-command rules.
func (a *analysis) checkCommand(c *command) {
	if c.name == "" {
		return
	}
	name := strings.ToLower(c.name)
	args := c.args
	if (name == "python" || strings.HasPrefix(name, "python3")) && len(args) > 1 && args[0] == "-m" && args[1] == "pip" {
		name, args = "pip", args[2:]
	}
	for _, h := range commandHosts(c) {
		a.addHost(h, c.line, c.name)
	}
	a.nested(c, name)
	a.checkTrust(c, name, args)
	a.checkIndex(c, name, args)
	a.checkSubstExec(c, name)
	a.checkExfil(c, name)
	a.checkEcho(c, name)
	a.checkGitHubEnv(c)
	if c.sn.hook != "" {
		a.checkHookNetwork(c, name)
	}
}

// checkTrust reports disabled certificate checks and Go sum bypasses.
func (a *analysis) checkTrust(c *command, name string, args []string) {
	lower := strings.ToLower(strings.Join(args, " "))
	var what string
	switch name {
	case "curl":
		for _, x := range args {
			if x == "-k" || x == "--insecure" || shortFlag(x, 'k') {
				what = "curl " + x
			}
		}
	case "wget":
		if hasFlag(args, "--no-check-certificate") {
			what = "wget --no-check-certificate"
		}
	case "git":
		for i, x := range args {
			lx := strings.ToLower(x)
			if !strings.Contains(lx, "sslverify") {
				continue
			}
			v, ok := "", false
			if _, v, ok = strings.Cut(lx, "="); !ok && i+1 < len(args) {
				v = strings.ToLower(args[i+1])
			}
			if v == "false" || v == "0" || v == "no" || v == "off" {
				what = "git http.sslVerify " + v
			}
		}
	case "npm", "yarn", "pnpm":
		if strings.Contains(lower, "strict-ssl") && strings.Contains(lower, "false") {
			what = name + " strict-ssl false"
		}
	case "pip", "pip3", "uv", "pipx":
		if strings.Contains(lower, "--trusted-host") || strings.Contains(lower, "trusted-host") && strings.Contains(lower, "config") {
			what = name + " --trusted-host"
		}
	case "helm", "kubectl":
		if strings.Contains(lower, "--insecure-skip-tls-verify") && !strings.Contains(lower, "=false") {
			what = name + " --insecure-skip-tls-verify"
		}
	case "aws":
		if hasFlag(args, "--no-verify-ssl") {
			what = "aws --no-verify-ssl"
		}
	case "docker", "podman", "skopeo", "buildah":
		if strings.Contains(lower, "--tls-verify=false") || strings.Contains(lower, "--src-tls-verify=false") {
			what = name + " --tls-verify=false"
		}
	case "go":
		if len(args) > 1 && args[0] == "env" && args[1] == "-w" {
			for _, kv := range args[2:] {
				if k, v, ok := strings.Cut(kv, "="); ok {
					a.envVar(k, v, c.line)
				}
			}
		}
		if len(args) > 0 && (args[0] == "get" || args[0] == "install") && hasFlag(args, "-insecure") {
			a.add(ruleGoChecks, c.line, "go-insecure:"+c.raw, "`%s` fetches modules without TLS or checksum checks.", short(c.raw))
		}
	}
	if what != "" {
		a.add(ruleTLS, c.line, "tls:"+c.raw, "`%s` disables TLS certificate verification (%s).", short(c.raw), what)
	}
}

// checkIndex reports package-index overrides on pip and npm command lines.
func (a *analysis) checkIndex(c *command, name string, args []string) {
	switch name {
	case "pip", "pip3", "uv", "pipx":
		for _, f := range []string{"--extra-index-url", "--index-url", "-i", "--find-links", "-f"} {
			if v, ok := flagValue(args, 0, f); ok {
				a.indexOverride(c.line, f, v, name+" "+f)
			}
		}
	case "npm", "yarn", "pnpm", "npx":
		if v, ok := flagValue(args, 0, "--registry"); ok {
			a.indexOverride(c.line, "--registry", v, name+" --registry")
		}
		for i := 0; i+2 < len(args); i++ {
			if args[i] == "set" && (args[i+1] == "registry" || strings.HasSuffix(args[i+1], ":registry")) {
				a.indexOverride(c.line, args[i+1], args[i+2], name+" config set "+args[i+1])
			}
		}
	}
}

// indexOverride reports one package-source override.
func (a *analysis) indexOverride(line int, field, value, via string) {
	h := hostOf(value)
	a.addHost(h, line, via)
	if strings.HasPrefix(strings.ToLower(value), "http://") {
		a.add(ruleInsecureRepo, line, "http:"+value, "%s uses plain HTTP (%s): packages can be replaced in transit.", via, h)
		return
	}
	if h == "" || a.s.allowedHost(h) {
		return
	}
	why := "packages will be resolved from it"
	if strings.Contains(field, "extra-index") {
		why = "an extra index lets a public package with an internal name win (dependency confusion)"
	}
	a.add(ruleIndex, line, "index:"+field+"="+value, "%s points package installs at %s: %s.", via, h, why)
}

// checkSubstExec reports eval "$(curl …)", bash <(curl …), sh -c "$(…)"
// and the base64 equivalents.
func (a *analysis) checkSubstExec(c *command, name string) {
	execs := name == "eval" || name == "source" || name == "." || isInterpreter(name)
	if !execs {
		return
	}
	for _, w := range c.words {
		if !hasSubst(w) {
			continue
		}
		for _, inner := range substCalls(w) {
			iname := strings.ToLower(inner[0])
			switch {
			case fetchesToStdout(iname, inner[1:]):
				c.executes = true
				fc := &command{line: c.line, name: iname, args: inner[1:], sn: c.sn}
				a.markSensitive(fc, "serves code that the build executes")
				a.add(ruleCurlPipe, c.line, "subst:"+c.raw, "`%s` runs whatever %s serves, without verification.", short(c.raw), hostList(fc))
			case isDecoder(iname, inner[1:]):
				a.add(ruleBase64Exec, c.line, "subst:"+c.raw, "`%s` decodes and executes a hidden payload.", short(c.raw))
			}
		}
	}
}

func hostList(c *command) string {
	hs := commandHosts(c)
	if len(hs) == 0 {
		return "the remote host"
	}
	return strings.Join(hs, ", ")
}

// isDecoder reports base64/hex decoding commands.
func isDecoder(name string, args []string) bool {
	switch name {
	case "base64", "base32", "gbase64":
		return hasFlag(args, "-d", "--decode", "-D") || strings.Contains(strings.Join(args, " "), "-d")
	case "openssl":
		return len(args) > 0 && (args[0] == "base64" || args[0] == "enc") && hasFlag(args, "-d")
	case "xxd":
		return hasFlag(args, "-r")
	}
	return false
}

// readsStdin reports whether an interpreter command reads its program
// from standard input.
func readsStdin(c *command) bool {
	n := strings.ToLower(c.name)
	if n == "iex" || n == "invoke-expression" {
		return true
	}
	for _, x := range c.args {
		switch {
		case x == "-" || x == "-s":
			return true
		case x == "-c" || x == "-e" || x == "-m" || x == "--eval" || x == "-Command" || x == "-File":
			return false
		case strings.HasPrefix(x, "-"):
		default:
			return false
		}
	}
	return true
}

// checkPipe reports fetch | interpreter and decode | interpreter.
func (a *analysis) checkPipe(stages []*syntax.Stmt, byCall map[*syntax.CallExpr]*command) {
	for j := 1; j < len(stages); j++ {
		sink := firstCall(stages[j], byCall)
		if sink == nil || !isInterpreter(sink.name) || !readsStdin(sink) {
			continue
		}
		for i := 0; i < j; i++ {
			for _, src := range calls(stages[i], byCall) {
				switch {
				case fetchesToStdout(src.name, src.args):
					src.executes = true
					a.markSensitive(src, "serves code that the build executes")
					a.add(ruleCurlPipe, src.line, "pipe:"+src.raw+"|"+sink.name,
						"`%s | %s` runs whatever %s serves, without verification.", short(src.raw), sink.name, hostList(src))
				case isDecoder(strings.ToLower(src.name), src.args):
					a.add(ruleBase64Exec, src.line, "pipe:"+src.raw+"|"+sink.name,
						"`%s | %s` decodes and executes a hidden payload.", short(src.raw), sink.name)
				}
			}
		}
	}
}

// download is a fetched file awaiting verification.
type download struct {
	cmd      *command
	file     string // base name
	verified bool
}

// sequences finds download → (chmod) → run without a verification step in
// between, across all the commands of the file in order.
func (a *analysis) sequences() {
	var dls []*download
	for _, c := range a.cmds {
		if c.name == "" {
			continue
		}
		if isVerifier(c.name, c.args) || c.prev != nil && isVerifier(c.prev.name, c.prev.args) {
			for _, d := range dls {
				d.verified = true
			}
			continue
		}
		if f := downloadTarget(c); f != "" {
			dls = append(dls, &download{cmd: c, file: f})
			continue
		}
		ran := runTarget(c)
		if ran == "" {
			continue
		}
		for _, d := range dls {
			if d.verified || d.file != ran || d.cmd.executes {
				continue
			}
			d.cmd.executes = true
			a.markSensitive(d.cmd, "serves a file that the build runs")
			a.add(ruleDownloadExec, c.line, "dl:"+d.cmd.raw+"→"+c.name,
				"`%s` is downloaded from %s and run (`%s`) without a checksum or signature check.", d.file, hostList(d.cmd), short(c.raw))
		}
	}
}

// downloadTarget returns the base name of the file a fetcher writes.
func downloadTarget(c *command) string {
	name := strings.ToLower(c.name)
	switch name {
	case "curl":
		if v, ok := flagValue(c.args, 'o', "-o", "--output"); ok && v != "-" {
			return path.Base(v)
		}
		for _, x := range c.args {
			if x == "-O" || x == "--remote-name" || shortFlag(x, 'O') {
				return urlBase(c.args)
			}
		}
	case "wget":
		if fetchesToStdout(name, c.args) {
			return ""
		}
		if v, ok := flagValue(c.args, 'O', "-O", "--output-document"); ok {
			if v == "-" {
				return ""
			}
			return path.Base(v)
		}
		return urlBase(c.args)
	case "iwr", "invoke-webrequest":
		if v, ok := flagValue(c.args, 0, "-OutFile", "-outfile"); ok {
			return path.Base(v)
		}
	}
	return ""
}

func urlBase(args []string) string {
	for _, x := range args {
		if u := urls(x); len(u) > 0 {
			p := u[0]
			if i := strings.IndexAny(p, "?#"); i >= 0 {
				p = p[:i]
			}
			return path.Base(p)
		}
	}
	return ""
}

// runTarget returns the base name of the file a command executes.
func runTarget(c *command) string {
	name := strings.ToLower(c.name)
	if isInterpreter(name) || name == "source" || name == "." {
		for _, x := range c.args {
			if x == "-c" || x == "-e" || x == "-m" {
				return ""
			}
			if !strings.HasPrefix(x, "-") {
				return path.Base(x)
			}
		}
		return ""
	}
	switch name {
	case "chmod", "mv", "cp", "install", "tar", "unzip", "rm", "ls", "echo", "ln", "file", "mkdir", "cat", "test", "[":
		return ""
	}
	return c.name
}

// posixShells run their -c argument as a script.
var posixShells = map[string]bool{"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "ash": true}

// nested analyses the script given to sh -c / bash -c, on the command's line.
func (a *analysis) nested(c *command, name string) {
	if !posixShells[name] {
		return
	}
	for i, x := range c.args {
		if x == "-c" || strings.HasPrefix(x, "-") && !strings.HasPrefix(x, "--") && strings.HasSuffix(x, "c") {
			if i+1 < len(c.args) && !hasSubst(c.words[i+1]) {
				line := c.line
				a.shell(&snippet{src: c.args[i+1], line: func(int) int { return line }, exprs: c.sn.exprs, env: c.sn.env, hook: c.sn.hook})
			}
			return
		}
	}
}
