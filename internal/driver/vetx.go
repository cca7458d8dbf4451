package driver

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
)

// synthVetx is a vetx file made once from a package's export data.
type synthVetx struct {
	once sync.Once
	file string
	err  error
}

// synthesize returns a vetx file for a package that is not analysed:
// unitchecker reads each import's types from a vetx file (the "vetx" magic,
// two little-endian lengths, indexed export data, facts), so one is made
// from the compiler's export data with no facts.
//
// All variants of a package share the one made from the plain package:
// types are keyed by package path, and a test variant's declarations are
// a superset of the plain package's.
func (d *driver) synthesize(path string) (string, error) {
	d.mu.Lock()
	s := d.synth[path]
	if s == nil {
		s = new(synthVetx)
		d.synth[path] = s
	}
	n := len(d.synth)
	d.mu.Unlock()
	s.once.Do(func() {
		s.file = filepath.Join(d.tmp, fmt.Sprintf("dep%d.vetx", n))
		export, err := d.exportFile(path)
		if err == nil {
			err = writeVetxFromExport(path, export, s.file)
		}
		s.err = err
	})
	return s.file, s.err
}

// exportFile returns the export data file of the package at path, running
// go list -export for it if prefetchExports did not.
func (d *driver) exportFile(path string) (string, error) {
	d.mu.Lock()
	p, ok := d.exports[path]
	d.mu.Unlock()
	if !ok {
		m, err := goListExport(d.ctx, d.opts, []string{path})
		if err != nil {
			return "", err
		}
		p = m[path]
		d.mu.Lock()
		d.exports[path] = p
		d.mu.Unlock()
	}
	switch {
	case p == nil:
		return "", fmt.Errorf("go list did not describe it")
	case p.Error != nil:
		return "", fmt.Errorf("%s", p.Error)
	case p.Export == "":
		return "", fmt.Errorf("no export data (did it compile?)")
	}
	return p.Export, nil
}

// prefetchExports fetches in one go list the export data of the imports
// that no unit analyses.
func (d *driver) prefetchExports(units []*unit) error {
	analysed := make(map[string]bool)
	for _, u := range units {
		analysed[basePath(u.pkg.ImportPath)] = true
	}
	need := make(map[string]bool)
	for _, u := range units {
		for _, imp := range u.pkg.Imports {
			path := basePath(imp)
			if imp != "unsafe" && imp != "C" && (!analysed[path] || !hasDep(u, path)) {
				need[path] = true
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	paths := make([]string, 0, len(need))
	for path := range need {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	have, paths := d.speculatedExports(paths) // cache.go
	d.exports = have
	if len(paths) == 0 {
		return nil
	}
	m, err := goListExport(d.ctx, d.opts, paths)
	if err != nil {
		return err
	}
	maps.Copy(d.exports, m)
	return nil
}

func hasDep(u *unit, path string) bool {
	return slices.ContainsFunc(u.deps, func(dep *unit) bool { return basePath(dep.pkg.ImportPath) == path })
}

func writeVetxFromExport(path, export, file string) error {
	f, err := os.Open(export)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("reading export data: %v", err)
	}
	fset := token.NewFileSet()
	pkg, err := gcexportdata.Read(r, fset, make(map[string]*types.Package), path)
	if err != nil {
		return fmt.Errorf("reading export data: %v", err)
	}
	var exp bytes.Buffer
	if err := gcexportdata.Write(&exp, fset, pkg); err != nil {
		return fmt.Errorf("re-exporting types: %v", err)
	}
	typesData := exp.Bytes()[1:] // drop gcexportdata's 'i' format byte
	var buf bytes.Buffer
	buf.WriteString("vetx")
	var lens [8]byte
	binary.LittleEndian.PutUint32(lens[0:4], uint32(len(typesData)))
	binary.LittleEndian.PutUint32(lens[4:8], 0) // no facts
	buf.Write(lens[:])
	buf.Write(typesData)
	return os.WriteFile(file, buf.Bytes(), 0o666)
}
