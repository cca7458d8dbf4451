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
	// Every field is set, so a field added to Summary must be set here.
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("set Summary.%s in this test", v.Type().Field(i).Name)
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
