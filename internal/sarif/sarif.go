// Package sarif converts futlint's findings to SARIF 2.1.0, the format
// GitHub code scanning reads, using honnef.co/go/tools/sarif's types.
package sarif

import (
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	hsarif "honnef.co/go/tools/sarif"

	"github.com/futlint/futlint/internal/directive"
	"github.com/futlint/futlint/internal/driver"
)

// RootBaseID names the directory result locations are relative to: the
// module root.
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
	Results            []hsarif.Result                    `json:"results"`
	Invocations        []hsarif.Invocation                `json:"invocations,omitempty"`
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
	files := make(map[string][]byte)
	r.Results = []hsarif.Result{}
	for _, f := range findings {
		res := hsarif.Result{
			RuleID:       f.Analyzer,
			Kind:         hsarif.Fail,
			Level:        hsarif.Warning,
			Message:      hsarif.Message{Text: f.Message},
			Locations:    []hsarif.Location{location(root, f.Posn, f.End)},
			Suppressions: []hsarif.Suppression{},
		}
		for _, rel := range f.Related {
			loc := location(root, rel.Posn, rel.End)
			loc.Message = &hsarif.Message{Text: rel.Message}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		for _, fix := range f.SuggestedFixes {
			sfix := hsarif.Fix{Description: hsarif.Message{Text: fix.Message}}
			for _, e := range fix.Edits {
				content, ok := files[e.Filename]
				if !ok {
					content, _ = os.ReadFile(e.Filename)
					files[e.Filename] = content
				}
				if e.End > len(content) {
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
		r.Results = append(r.Results, res)
	}
	r.Invocations = []hsarif.Invocation{{ExecutionSuccessful: len(errors) == 0}}
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

func location(root, posn, end string) hsarif.Location {
	p, e := driver.ParsePosn(posn), driver.ParsePosn(end)
	// A position without a column (after a //line directive that gives
	// none) starts at column 1, SARIF's default, and has no known end.
	region := hsarif.Region{StartLine: p.Line, StartColumn: max(p.Col, 1)}
	if e.File == p.File && e.Line > 0 && p.Col > 0 && e.Col > 0 {
		region.EndLine, region.EndColumn = e.Line, e.Col
	}
	return hsarif.Location{PhysicalLocation: hsarif.PhysicalLocation{
		ArtifactLocation: artifact(root, p.File),
		Region:           region,
	}}
}

func artifact(root, file string) hsarif.ArtifactLocation {
	if rel := driver.RelPath(root, file); rel != file || !filepath.IsAbs(file) {
		return hsarif.ArtifactLocation{URI: filepath.ToSlash(rel), URIBaseID: RootBaseID}
	}
	return hsarif.ArtifactLocation{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()}
}

// lineCol converts a byte offset to a 1-based line and byte column.
func lineCol(content []byte, off int) driver.Position {
	line, col := 1, 1
	for _, b := range content[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return driver.Position{Line: line, Col: col}
}
