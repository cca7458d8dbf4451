package concurrency

import (
	"encoding/binary"
	"errors"
)

// A Summary encodes itself for gob, as an opaque []byte: one type for gob
// to negotiate (analysistest round-trips every inherited fact through
// fresh gob coders once per import edge, and Summary's dozen nested types
// cost the fixture tests a quarter of their CPU), and small and quick to
// decode. Under go vet -vettool the facts about methods are re-exported
// by every importer, so a unit decodes those of its whole dependency
// tree once per direct import (etcd's embed: some 1,800 summaries per
// import, most of them just "waits"): as JSON they tripled the facts'
// bytes and doubled their decoding, a fifth of a dependency unit's CPU.
// The encoding is a mask of the parts present, then each part, with
// varint lengths; a "waits" summary is one byte. TestSummaryGob sets
// every field: a field added to Summary or a path must be added here.

// Bits of the mask that starts an encoded Summary, the common ones first
// (a mask below 128 is one byte).
const (
	flagWaits = 1 << iota
	flagNoReturn
	flagIgnoresCtx
	hasParams
	hasJoins
	hasSignals
	hasLocks
	hasChans
	hasBlocksWithoutCtx
)

// GobEncode encodes s for a fact (gob calls it).
func (s *Summary) GobEncode() ([]byte, error) {
	var mask uint64
	set := func(bit uint64, on bool) {
		if on {
			mask |= bit
		}
	}
	set(hasParams, len(s.Params) > 0)
	set(hasJoins, len(s.Joins) > 0)
	set(hasSignals, len(s.Signals) > 0)
	set(hasLocks, len(s.Locks) > 0)
	set(hasChans, len(s.Chans) > 0)
	set(hasBlocksWithoutCtx, s.BlocksWithoutCtx != "")
	set(flagIgnoresCtx, s.IgnoresCtx)
	set(flagWaits, s.Waits)
	set(flagNoReturn, s.NoReturn)
	b := binary.AppendUvarint(nil, mask)
	if mask&hasParams != 0 {
		b = binary.AppendUvarint(b, uint64(len(s.Params)))
		for _, u := range s.Params {
			b = append(b, byte(u))
		}
	}
	if mask&hasJoins != 0 {
		b = binary.AppendUvarint(b, uint64(len(s.Joins)))
		for _, j := range s.Joins {
			b = appendPath(b, j.Path)
			b = appendString(b, j.What)
		}
	}
	if mask&hasSignals != 0 {
		b = binary.AppendUvarint(b, uint64(len(s.Signals)))
		for _, p := range s.Signals {
			b = appendPath(b, p)
		}
	}
	if mask&hasLocks != 0 {
		b = binary.AppendUvarint(b, uint64(len(s.Locks)))
		for _, l := range s.Locks {
			b = appendPath(b, l.Lock)
			b = append(b, byte(l.Effect), boolByte(l.Read))
		}
	}
	if mask&hasChans != 0 {
		b = binary.AppendUvarint(b, uint64(len(s.Chans)))
		for _, c := range s.Chans {
			b = appendPath(b, c.Path)
			b = append(b, byte(c.Op))
		}
	}
	if mask&hasBlocksWithoutCtx != 0 {
		b = appendString(b, s.BlocksWithoutCtx)
	}
	return b, nil
}

// GobDecode decodes what GobEncode made.
func (s *Summary) GobDecode(data []byte) error {
	d := decoder{data: data}
	mask := d.uvarint()
	*s = Summary{
		IgnoresCtx: mask&flagIgnoresCtx != 0,
		Waits:      mask&flagWaits != 0,
		NoReturn:   mask&flagNoReturn != 0,
	}
	if mask&hasParams != 0 {
		n := d.count()
		s.Params = make([]Use, n)
		for i := range s.Params {
			s.Params[i] = Use(d.byte())
		}
	}
	if mask&hasJoins != 0 {
		s.Joins = make([]Join, d.count())
		for i := range s.Joins {
			s.Joins[i] = Join{Path: d.path(), What: d.string()}
		}
	}
	if mask&hasSignals != 0 {
		s.Signals = make([]Path, d.count())
		for i := range s.Signals {
			s.Signals[i] = d.path()
		}
	}
	if mask&hasLocks != 0 {
		s.Locks = make([]LockEffect, d.count())
		for i := range s.Locks {
			s.Locks[i] = LockEffect{Lock: d.path(), Effect: LockEffectKind(d.byte()), Read: d.byte() != 0}
		}
	}
	if mask&hasChans != 0 {
		s.Chans = make([]ChanOp, d.count())
		for i := range s.Chans {
			s.Chans[i] = ChanOp{Path: d.path(), Op: ChanOpKind(d.byte())}
		}
	}
	if mask&hasBlocksWithoutCtx != 0 {
		s.BlocksWithoutCtx = d.string()
	}
	if d.err == nil && len(d.data) > 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return errors.New("concurrency.Summary fact: " + d.err.Error())
	}
	return nil
}

// appendPath encodes an exportable path: kind, parameter, name, steps,
// pointer root (the root value of local paths is never in a fact).
func appendPath(b []byte, p Path) []byte {
	b = append(b, byte(p.Kind), boolByte(p.PtrRoot))
	b = binary.AppendVarint(b, int64(p.Param))
	b = appendString(b, p.Name)
	b = binary.AppendUvarint(b, uint64(len(p.Steps)))
	for _, st := range p.Steps {
		b = appendString(b, st.Field)
		b = appendString(b, st.Struct)
		b = append(b, boolByte(st.Deref))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// decoder reads an encoded Summary; the first error sticks and makes
// every later read return zero values.
type decoder struct {
	data []byte
	err  error
}

var errShort = errors.New("truncated")

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.data)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.data = d.data[n:]
	return v
}

// count reads a length, which cannot exceed the bytes left (each
// element takes at least one).
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.err = errShort
		return 0
	}
	return int(n)
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.data) == 0 {
		d.err = errShort
		return 0
	}
	c := d.data[0]
	d.data = d.data[1:]
	return c
}

func (d *decoder) string() string {
	n := d.count()
	if d.err != nil {
		return ""
	}
	s := string(d.data[:n])
	d.data = d.data[n:]
	return s
}

func (d *decoder) path() Path {
	p := Path{Kind: RootKind(d.byte()), PtrRoot: d.byte() != 0}
	p.Param = int(d.varint())
	p.Name = d.string()
	if n := d.count(); n > 0 {
		p.Steps = make([]Step, n)
		for i := range p.Steps {
			p.Steps[i] = Step{Field: d.string(), Struct: d.string(), Deref: d.byte() != 0}
		}
	}
	return p
}
