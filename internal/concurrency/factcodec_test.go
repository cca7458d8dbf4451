package concurrency_test

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/futlint/futlint/internal/concurrency"
)

// A Summary fact with every field set survives the trip through gob that
// facts take between packages.
func TestSummaryGob(t *testing.T) {
	p := concurrency.Path{Kind: concurrency.Param, Param: 1, Name: "s", PtrRoot: true,
		Steps: []concurrency.Step{{Field: "mu", Struct: "pkg/path.T", Deref: true}, {}}}
	g := concurrency.Path{Kind: concurrency.Global, Name: "pkg/path.done"}
	in := &concurrency.Summary{
		Params:           []concurrency.Use{0, concurrency.CalledSync | concurrency.Stored},
		Joins:            []concurrency.Join{{Path: p, What: "sync.WaitGroup.Wait"}},
		Signals:          []concurrency.Path{g},
		Locks:            []concurrency.LockEffect{{Lock: p, Read: true, Effect: concurrency.Reacquires}},
		Chans:            []concurrency.ChanOp{{Path: g, Op: concurrency.Close}},
		IgnoresCtx:       true,
		Waits:            true,
		NoReturn:         true,
		BlocksWithoutCtx: "net.Dial",
	}
	// Every field is set, so a field added to Summary or to the types it
	// is made of must be set here (and encoded by factcodec.go).
	for _, x := range []any{in, &p, &p.Steps[0], &in.Joins[0], &in.Locks[0], &in.Chans[0]} {
		v := reflect.ValueOf(x).Elem()
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Field(i).IsZero() {
				t.Fatalf("set %s.%s in this test", v.Type().Name(), v.Type().Field(i).Name)
			}
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	out := new(concurrency.Summary)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("gob round trip:\n got %+v\nwant %+v", out, in)
	}
}

// The common fact, "waits", is one byte; what GobEncode did not make is
// refused.
func TestSummaryCodec(t *testing.T) {
	if data, _ := (&concurrency.Summary{Waits: true}).GobEncode(); len(data) != 1 {
		t.Errorf("a waits summary encodes to %d bytes, want 1", len(data))
	}
	var s concurrency.Summary
	for _, data := range [][]byte{{}, {0x08}, {0x08, 0x05, 0x01}, {0x80}, {0x01, 0x00}} {
		if err := s.GobDecode(data); err == nil {
			t.Errorf("GobDecode(%x) = nil error, want one", data)
		}
	}
}
