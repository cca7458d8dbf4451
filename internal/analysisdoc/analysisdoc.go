// Package analysisdoc extracts an analyzer's documentation from its doc.go,
// so that `go doc`, `futlint help NAME` and the analyzer's Doc field show the
// same text.
package analysisdoc

import (
	"fmt"
	"strings"
)

// MustExtract returns the "# Analyzer name" section of a package doc
// comment (the whole of doc.go), with the comment markers removed. It panics
// if the section is missing: that is a programming error caught by any test.
//
// The section's first line is "name: one-line summary"; the result starts
// with the summary, as analysis.Analyzer.Doc expects.
func MustExtract(content, name string) string {
	doc, err := extract(content, name)
	if err != nil {
		panic(err)
	}
	return doc
}

func extract(content, name string) (string, error) {
	// Strip the comment markers of the leading doc comment.
	var lines []string
	for line := range strings.SplitSeq(content, "\n") {
		if line == "//" {
			lines = append(lines, "")
			continue
		}
		if rest, ok := strings.CutPrefix(line, "// "); ok {
			lines = append(lines, rest)
			continue
		}
		if rest, ok := strings.CutPrefix(line, "//\t"); ok {
			lines = append(lines, "\t"+rest)
			continue
		}
		if strings.HasPrefix(line, "package ") {
			break
		}
	}
	heading := "# Analyzer " + name
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == heading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("analysisdoc: doc has no %q section", heading)
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "# ") {
			end = i
			break
		}
	}
	body := strings.TrimSpace(strings.Join(lines[start:end], "\n"))
	prefix := name + ": "
	if !strings.HasPrefix(body, prefix) {
		return "", fmt.Errorf("analysisdoc: section %q must start with %q", heading, prefix)
	}
	return strings.TrimPrefix(body, prefix), nil
}
