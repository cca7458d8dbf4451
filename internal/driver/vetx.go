package driver

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
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
func (d *driver) synthesize(p *listPackage) (string, error) {
	d.mu.Lock()
	s := d.synth[p.ImportPath]
	if s == nil {
		s = new(synthVetx)
		d.synth[p.ImportPath] = s
	}
	n := len(d.synth)
	d.mu.Unlock()
	s.once.Do(func() {
		s.file = filepath.Join(d.tmp, fmt.Sprintf("dep%d.vetx", n))
		s.err = writeVetxFromExport(p, s.file)
	})
	return s.file, s.err
}

func writeVetxFromExport(p *listPackage, file string) error {
	if p.Export == "" {
		return fmt.Errorf("no export data (did it compile?)")
	}
	f, err := os.Open(p.Export)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return fmt.Errorf("reading export data: %v", err)
	}
	fset := token.NewFileSet()
	pkg, err := gcexportdata.Read(r, fset, make(map[string]*types.Package), basePath(p.ImportPath))
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
