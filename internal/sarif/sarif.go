// Package sarif converts futlint's findings to SARIF 2.1.0, the format
// GitHub code scanning reads, using honnef.co/go/tools/sarif's types.
package sarif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"
	hsarif "honnef.co/go/tools/sarif"

	"github.com/futlint/futlint/internal/directive"
	"github.com/futlint/futlint/internal/driver"
)

// RootBaseID names the directory result locations are relative to: the
// repository root (so that a module in a subdirectory of a monorepo
// uploads to the right files), or the module root outside a repository.
const RootBaseID = "%SRCROOT%"

// HelpURI is where each futlint analyzer is documented.
const HelpURI = "https://github.com/futlint/futlint#"

// rule adds the fullDescription that hsarif leaves out.
type rule struct {
	hsarif.ReportingDescriptor
	FullDescription hsarif.Message `json:"fullDescription"`
}

type toolComponent struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri,omitempty"`
	Rules          []rule `json:"rules"`
}

type run struct {
	Tool struct {
		Driver toolComponent `json:"driver"`
	} `json:"tool"`
	OriginalURIBaseIDs map[string]hsarif.ArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []result                           `json:"results"`
	Invocations        []invocation                       `json:"invocations,omitempty"`
	// ColumnKind says what a column counts: futlint's columns, bytes in
	// go/token, are converted to Unicode code points.
	ColumnKind string `json:"columnKind"`
}

// FingerprintKey names futlint's entry in a result's partialFingerprints:
// a hash of the rule, the file, the message and the text of the finding's
// line (not its number), and which of the identical ones it is, so code
// scanning follows a finding across commits that move it.
const FingerprintKey = "futlintFinding/v1"

type result struct {
	hsarif.Result
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

type invocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
	// One error notification per package that failed to load,
	// type-check or be analysed.
	ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
}

type notification struct {
	Level      string         `json:"level"`
	Message    hsarif.Message `json:"message"`
	Descriptor *struct {
		ID string `json:"id"`
	} `json:"descriptor,omitempty"`
}

type log struct {
	Version string `json:"version"`
	Schema  string `json:"$schema"`
	Runs    []run  `json:"runs"`
}

// Write writes a SARIF log of the findings of analyzers to w. root is the
// module root: result locations under it are relative to it. errors are
// the packages that failed; they make the invocation unsuccessful.
func Write(w io.Writer, analyzers []*analysis.Analyzer, findings []driver.Finding, root, version string, errors []string) error {
	var r run
	r.Tool.Driver = toolComponent{
		Name:           "futlint",
		Version:        version,
		InformationURI: "https://github.com/futlint/futlint",
	}
	for _, a := range analyzers {
		short, full, _ := strings.Cut(a.Doc, "\n")
		help := a.URL // go vet's analyzers, with -vet
		if slices.Contains(directive.Known, a.Name) {
			help = HelpURI + a.Name
		}
		r.Tool.Driver.Rules = append(r.Tool.Driver.Rules, rule{
			ReportingDescriptor: hsarif.ReportingDescriptor{
				ID:                   a.Name,
				ShortDescription:     hsarif.Message{Text: strings.TrimSpace(short)},
				Help:                 hsarif.Message{Text: a.Doc},
				HelpURI:              help,
				DefaultConfiguration: hsarif.ReportingConfiguration{Enabled: true, Level: hsarif.Warning},
			},
			FullDescription: hsarif.Message{Text: strings.TrimSpace(cmpOr(full, short))},
		})
	}
	if root != "" {
		r.OriginalURIBaseIDs = map[string]hsarif.ArtifactLocation{
			RootBaseID: {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(root) + "/"}).String()},
		}
	}
	src := sources{}
	r.ColumnKind = "unicodeCodePoints"
	r.Results = []result{}
	seen := make(map[string]int)
	for _, f := range findings {
		res := hsarif.Result{
			RuleID:       f.Analyzer,
			Kind:         hsarif.Fail,
			Level:        level(f),
			Message:      hsarif.Message{Text: f.Message},
			Locations:    []hsarif.Location{src.location(root, f.Posn, f.End)},
			Suppressions: []hsarif.Suppression{},
		}
		for _, rel := range f.Related {
			loc := src.location(root, rel.Posn, rel.End)
			loc.Message = &hsarif.Message{Text: rel.Message}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		for _, fix := range f.SuggestedFixes {
			sfix := hsarif.Fix{Description: hsarif.Message{Text: fix.Message}}
			for _, e := range fix.Edits {
				content := src.read(e.Filename)
				if e.End > len(content) || e.Start > e.End {
					continue
				}
				start, end := lineCol(content, e.Start), lineCol(content, e.End)
				sfix.ArtifactChanges = append(sfix.ArtifactChanges, hsarif.ArtifactChange{
					ArtifactLocation: artifact(root, e.Filename),
					Replacements: []hsarif.Replacement{{
						DeletedRegion:   hsarif.Region{StartLine: start.Line, StartColumn: start.Col, EndLine: end.Line, EndColumn: end.Col},
						InsertedContent: hsarif.ArtifactContent{Text: e.New},
					}},
				})
			}
			res.Fixes = append(res.Fixes, sfix)
		}
		key := fingerprint(res, src.lineText(driver.ParsePosn(f.Posn)))
		seen[key]++
		r.Results = append(r.Results, result{
			Result:              res,
			PartialFingerprints: map[string]string{FingerprintKey: fmt.Sprintf("%s:%d", key, seen[key])},
		})
	}
	inv := invocation{ExecutionSuccessful: len(errors) == 0}
	for _, e := range errors {
		n := notification{Level: "error", Message: hsarif.Message{Text: e}}
		n.Descriptor = &struct {
			ID string `json:"id"`
		}{ID: "package-failed"}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	r.Invocations = []invocation{inv}
	out := log{Version: hsarif.Version, Schema: hsarif.Schema, Runs: []run{r}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// sources reads each file once, for columns and fingerprints.
type sources map[string][]byte

func (src sources) read(file string) []byte {
	content, ok := src[file]
	if !ok {
		content, _ = os.ReadFile(file)
		src[file] = content
	}
	return content
}

// line returns line n (1-based) of file, without its newline, or nil.
func (src sources) line(file string, n int) []byte {
	content := src.read(file)
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(content, '\n')
		if j < 0 {
			return nil
		}
		content = content[j+1:]
	}
	if j := bytes.IndexByte(content, '\n'); j >= 0 {
		content = content[:j]
	}
	return content
}

// lineText is the text of p's line without surrounding blanks.
func (src sources) lineText(p driver.Position) string {
	return string(bytes.TrimSpace(src.line(p.File, p.Line)))
}

// column converts a 1-based byte column on line n of file to a 1-based
// column in Unicode code points (a file that cannot be read keeps the
// byte column).
func (src sources) column(file string, n, col int) int {
	line := src.line(file, n)
	if col < 1 || col-1 > len(line) {
		return col
	}
	return utf8.RuneCount(line[:col-1]) + 1
}

func (src sources) location(root, posn, end string) hsarif.Location {
	p, e := driver.ParsePosn(posn), driver.ParsePosn(end)
	// A position without a column (after a //line directive that gives
	// none) starts at column 1, SARIF's default, and has no known end.
	region := hsarif.Region{StartLine: p.Line, StartColumn: max(src.column(p.File, p.Line, p.Col), 1)}
	if e.File == p.File && e.Line > 0 && p.Col > 0 && e.Col > 0 {
		region.EndLine, region.EndColumn = e.Line, src.column(e.File, e.Line, e.Col)
	}
	return hsarif.Location{PhysicalLocation: hsarif.PhysicalLocation{
		ArtifactLocation: artifact(root, p.File),
		Region:           region,
	}}
}

// fingerprint hashes what identifies a finding regardless of where its
// line moves: the rule, the file, the message and the line's text.
func fingerprint(res hsarif.Result, lineText string) string {
	h := sha256.New()
	for _, s := range []string{res.RuleID, res.Locations[0].PhysicalLocation.ArtifactLocation.URI, res.Message.Text, lineText} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func artifact(root, file string) hsarif.ArtifactLocation {
	rel := driver.RelPath(root, file)
	if rel == file && filepath.IsAbs(file) {
		// The root git names has its symbolic links resolved; the
		// file's path may not.
		if real, err := filepath.EvalSymlinks(file); err == nil && driver.RelPath(root, real) != real {
			rel = driver.RelPath(root, real)
		}
	}
	if rel != file || !filepath.IsAbs(file) {
		return hsarif.ArtifactLocation{URI: filepath.ToSlash(rel), URIBaseID: RootBaseID}
	}
	return hsarif.ArtifactLocation{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()}
}

// lineCol converts a byte offset to a 1-based line and a 1-based column
// in Unicode code points (the run's columnKind).
func lineCol(content []byte, off int) driver.Position {
	line, start := 1, 0
	for i, b := range content[:off] {
		if b == '\n' {
			line, start = line+1, i+1
		}
	}
	return driver.Position{Line: line, Col: utf8.RuneCount(content[start:off]) + 1}
}

// level is a finding's SARIF level: leakedgoroutine's structured
// concurrency policy (Category "unjoined") is a note; its harmful unjoined
// classes (issue 17: never-ends, outlives-test, outlives-owner), its
// certain leaks and everything else are warnings.
func level(f driver.Finding) string {
	if f.Analyzer == "leakedgoroutine" {
		switch f.Category {
		case "unjoined":
			return hsarif.Note
		case "never-ends", "outlives-test", "outlives-owner":
			return hsarif.Warning
		}
	}
	return hsarif.Warning
}
