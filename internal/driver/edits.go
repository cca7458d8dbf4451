package driver

import (
	"bytes"
	"encoding/json"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"slices"
)

// realEditFiles rewrites the suggested fixes of one unit's output so that
// each edit names the file its offsets are in, and drops the fixes that
// would edit anything but the unit's own Go files.
//
// The unit's JSON (x/tools' driverutil) names an edit's file by its
// position adjusted by //line directives, while the offsets are in the
// file that was parsed: after "//line grammar.y:100" in hits.go, a fix to
// hits.go names grammar.y. In a cgo package the parsed file is cmd/cgo's
// output in the build cache, whose directives name the user's file: a fix
// there cannot be applied to the user's file by its offsets, so it is
// dropped (the finding stays).
//
// files are the files the unit parsed; own are those of them that are the
// package's sources (in its directory).
func realEditFiles(byAnalyzer map[string]json.RawMessage, files []string, own func(string) bool) {
	var lines *lineTables
	for name, raw := range byAnalyzer {
		if !bytes.Contains(raw, []byte(`"suggested_fixes"`)) {
			continue
		}
		var list []Finding
		if json.Unmarshal(raw, &list) != nil {
			continue // an {"error": ...}
		}
		if lines == nil {
			lines = newLineTables(files)
		}
		for i := range list {
			fixes := list[i].SuggestedFixes[:0]
			for _, fix := range list[i].SuggestedFixes {
				ok := true
				for j, e := range fix.Edits {
					file := lines.realFile(e)
					if file == "" || !own(file) {
						ok = false
						break
					}
					fix.Edits[j].Filename = file
				}
				if ok {
					fixes = append(fixes, fix)
				}
			}
			list[i].SuggestedFixes = fixes
		}
		if data, err := json.Marshal(list); err == nil {
			byAnalyzer[name] = data
		}
	}
}

// lineTables knows, for each parsed file that has //line directives, the
// file and line each offset is reported at.
type lineTables struct {
	files    []string
	fset     *token.FileSet
	adjusted map[string]*token.File // files with directives
}

func newLineTables(files []string) *lineTables {
	t := &lineTables{files: files, fset: token.NewFileSet(), adjusted: make(map[string]*token.File)}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil || !bytes.Contains(src, []byte("//line ")) && !bytes.Contains(src, []byte("/*line ")) {
			continue
		}
		// The scanner records //line directives in the token.File as
		// go/parser's does, resolving relative names against the file's
		// directory.
		f := t.fset.AddFile(name, -1, len(src))
		var s scanner.Scanner
		s.Init(f, src, nil, scanner.ScanComments)
		for {
			if _, tok, _ := s.Scan(); tok == token.EOF {
				break
			}
		}
		t.adjusted[name] = f
	}
	return t
}

// realFile returns the one parsed file in which both ends of e are
// reported under e's file name, or "" if there is none or more than one.
func (t *lineTables) realFile(e TextEdit) string {
	var found []string
	for _, name := range t.files {
		f := t.adjusted[name]
		if f == nil {
			if name == e.Filename {
				found = append(found, name)
			}
			continue
		}
		if e.Start < 0 || e.End > f.Size() || e.Start > e.End {
			continue
		}
		start := t.fset.PositionFor(f.Pos(e.Start), true)
		end := t.fset.PositionFor(f.Pos(e.End), true)
		if start.Filename == e.Filename && end.Filename == e.Filename {
			found = append(found, name)
		}
	}
	if found = slices.Compact(found); len(found) == 1 {
		return found[0]
	}
	return ""
}

// inDir reports whether file is directly in dir.
func inDir(dir string) func(string) bool {
	return func(file string) bool { return filepath.Dir(file) == filepath.Clean(dir) }
}
