// Package reporttest helps tests check Picket's machine-readable output:
// ValidateSARIF validates a SARIF log against the official SARIF 2.1.0
// JSON schema kept in scanners/report/testdata. It is imported by tests
// only (it pulls in a JSON-schema validator the binary does not need).
package reporttest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// SchemaPath is the location of the SARIF 2.1.0 schema in this module.
func SchemaPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "sarif-schema-2.1.0.json")
}

// compile loads and compiles the schema once per test binary.
func compile() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		f, err := os.Open(SchemaPath())
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = fmt.Errorf("parse schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
			schemaErr = err
			return
		}
		schema, schemaErr = c.Compile("sarif-schema-2.1.0.json")
	})
	return schema, schemaErr
}

// Validate returns nil if data is a SARIF 2.1.0 log valid against the schema.
func Validate(data []byte) error {
	s, err := compile()
	if err != nil {
		return fmt.Errorf("compile SARIF schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("SARIF is not JSON: %w", err)
	}
	return s.Validate(inst)
}

// ValidateSARIF fails the test if data is not valid SARIF 2.1.0.
func ValidateSARIF(t testing.TB, data []byte) {
	t.Helper()
	if err := Validate(data); err != nil {
		t.Fatalf("SARIF does not validate against the SARIF 2.1.0 schema: %v", err)
	}
}
