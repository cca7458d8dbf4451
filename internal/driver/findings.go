package driver

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A Finding is one diagnostic, as the JSON output describes it.
type Finding struct {
	Analyzer       string           `json:"-"`
	Category       string           `json:"category,omitempty"`
	Posn           string           `json:"posn"`
	End            string           `json:"end"`
	Message        string           `json:"message"`
	SuggestedFixes []SuggestedFix   `json:"suggested_fixes,omitempty"`
	Related        []RelatedFinding `json:"related,omitempty"`
}

// A SuggestedFix is a set of edits to apply together.
type SuggestedFix struct {
	Message string     `json:"message"`
	Edits   []TextEdit `json:"edits"`
}

// A TextEdit replaces bytes [Start, End) of Filename with New.
type TextEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

// RelatedFinding is a secondary position of a finding.
type RelatedFinding struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

// A Position is a parsed "file:line:col" or "file:line". Col is 0 when
// the position has no column, as after a //line directive that gives none.
type Position struct {
	File      string
	Line, Col int
}

// ParsePosn parses "file:line:col" or "file:line" (the file may contain
// colons), as token.Position.String prints them.
func ParsePosn(posn string) Position {
	var p Position
	rest := posn
	var nums []int
	for range 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums, rest = append(nums, n), rest[:i]
	}
	switch len(nums) {
	case 2:
		p.Line, p.Col = nums[1], nums[0]
	case 1:
		p.Line = nums[0]
	}
	p.File = rest
	return p
}

// String formats p as token.Position does: the column only when known.
func (p Position) String() string {
	if p.Col == 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Findings flattens a result tree into findings sorted by file, line,
// column, analyzer and message, without the duplicates that a package and
// its test variant both report. Analyzer errors are returned as messages
// naming the package.
func Findings(tree map[string]map[string]json.RawMessage) ([]Finding, []string) {
	var (
		out  []Finding
		errs []string
		seen = make(map[[3]string]bool)
	)
	for id, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var failure struct{ Error string }
			if json.Unmarshal(raw, &failure) == nil && failure.Error != "" {
				errs = append(errs, fmt.Sprintf("package %s: analyzer %s: %s", id, name, failure.Error))
				continue
			}
			var list []Finding
			if err := json.Unmarshal(raw, &list); err != nil {
				errs = append(errs, fmt.Sprintf("package %s: analyzer %s: malformed output: %v", id, name, err))
				continue
			}
			for _, f := range list {
				key := [3]string{name, f.Posn, f.Message}
				if seen[key] {
					continue
				}
				seen[key] = true
				f.Analyzer = name
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b Finding) int {
		pa, pb := ParsePosn(a.Posn), ParsePosn(b.Posn)
		return cmp.Or(
			cmp.Compare(pa.File, pb.File),
			cmp.Compare(pa.Line, pb.Line),
			cmp.Compare(pa.Col, pb.Col),
			cmp.Compare(a.Analyzer, b.Analyzer),
			cmp.Compare(a.Message, b.Message))
	})
	slices.Sort(errs)
	return out, errs
}

// RelPath returns file relative to dir when it is under dir.
func RelPath(dir, file string) string {
	if dir == "" || !filepath.IsAbs(file) {
		return file
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return rel
}

// PrintText writes one line per finding: "file:line:col: analyzer: message"
// ("file:line: ..." when the column is unknown), with file relative to dir
// when under it.
func PrintText(w io.Writer, dir string, findings []Finding) {
	for _, f := range findings {
		p := ParsePosn(f.Posn)
		p.File = RelPath(dir, p.File)
		fmt.Fprintf(w, "%s: %s: %s\n", p, f.Analyzer, f.Message)
		// Related positions follow, as go vet prints them:
		// "file:line:col: \tmessage".
		for _, r := range f.Related {
			rp := ParsePosn(r.Posn)
			rp.File = RelPath(dir, rp.File)
			fmt.Fprintf(w, "%s: \t%s\n", rp, r.Message)
		}
	}
}
