package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParseError is a configuration that was read but is not valid: bad YAML,
// an unknown key, a wrong type or a bad value. It names the file, the line
// and, where there is one, the key.
type ParseError struct {
	File string // the name given to Parse (a path)
	Line int    // 1-based; 0 when unknown
	Key  string // dotted key ("rules.severity"), empty for syntax errors
	Msg  string
}

// Error renders ".github/picket.yml:7: unknown key "fail_onn" (did you mean "fail_on"?)".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// LoadError is a configuration that could not be read at all (permission,
// I/O). A missing file is not an error: Load returns the defaults.
type LoadError struct {
	File string
	Err  error
}

// Error renders "read config .github/picket.yml: …".
func (e *LoadError) Error() string { return fmt.Sprintf("read config %s: %v", e.File, e.Err) }

// Unwrap returns the underlying I/O error.
func (e *LoadError) Unwrap() error { return e.Err }

// maxConfigSize bounds the file read; a real configuration is a few KiB.
const maxConfigSize = 1 << 20

// Load reads and parses the configuration at path. A missing file yields
// Default(); an unreadable one a *LoadError; an invalid one a *ParseError.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, &LoadError{File: path, Err: err}
	}
	return Parse(data, path)
}

// Parse parses a configuration document strictly: unknown keys, wrong
// types and invalid values are *ParseError values naming the key and its
// line. name is used in error messages only. An empty document yields
// Default().
func Parse(data []byte, name string) (*Config, error) {
	cfg := Default()
	if len(data) > maxConfigSize {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("file is larger than %d bytes", maxConfigSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return cfg, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil
	}
	d := &decoder{file: name}
	if err := d.mapping(root, "", topLevel(cfg)); err != nil {
		return nil, err
	}
	return cfg, nil
}

// syntaxError turns a yaml.v3 error ("yaml: line 3: mapping values are not
// allowed in this context") into a ParseError with the line split out.
func syntaxError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		_, rest, _ := strings.Cut(msg, ":")
		msg = strings.TrimSpace(rest)
	}
	return &ParseError{File: name, Line: line, Msg: "invalid YAML: " + msg}
}
