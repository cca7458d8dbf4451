// Package jsontree reads futlint's and go vet's -json output for the bench
// tools: one or more trees of package -> analyzer -> diagnostics (or
// {"error": ...}), with go vet's "# package" header lines skipped.
package jsontree

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// A Diagnostic is the part of a finding the bench tools compare.
type Diagnostic struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// Each calls fn for every analyzer's diagnostics in data. Entries that
// are an error rather than diagnostics are skipped: the run's exit code
// tells about those.
func Each(data []byte, fn func(analyzer string, diags []Diagnostic)) error {
	var clean bytes.Buffer
	for line := range strings.Lines(string(data)) {
		if !strings.HasPrefix(line, "#") {
			clean.WriteString(line)
		}
	}
	dec := json.NewDecoder(&clean)
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		for _, byAnalyzer := range tree {
			for name, raw := range byAnalyzer {
				var diags []Diagnostic
				if json.Unmarshal(raw, &diags) == nil {
					fn(name, diags)
				}
			}
		}
	}
}
