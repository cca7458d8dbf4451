package calls_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/futlint/futlint/internal/calls"
)

const src = `package p

import (
	"context"
	"sync"
	"time"
)

type T struct{ mu sync.Mutex }

func (t *T) Unlock() {}

func Map[E any](s []E) {}

func f(ctx context.Context, t *T, fn func()) {
	t.mu.Lock()             // (*sync.Mutex).Lock
	t.Unlock()              // (*p.T).Unlock
	<-ctx.Done()            // (context.Context).Done
	time.Sleep(1)           // time.Sleep
	Map([]int{})            // p.Map, by its origin
	g := t.mu.Unlock; g()   // a method value: (*sync.Mutex).Unlock
	fn()                    // a func value: no name
}
`

func TestIsAndName(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.ForCompiler(fset, "gc", nil)},
		fset, types.NewPackage("p", "p"), []*ast.File{f}, ssa.InstantiateGenerics)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range pkg.Func("f").Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				got = append(got, calls.Name(&c.Call))
			}
		}
	}
	want := []string{"(*sync.Mutex).Lock", "(*p.T).Unlock", "(context.Context).Done", "time.Sleep", "p.Map", "(*sync.Mutex).Unlock", ""}
	if len(got) != len(want) {
		t.Fatalf("calls named %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d named %q, want %q", i, got[i], want[i])
		}
	}

	for _, b := range pkg.Func("f").Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			name := calls.Name(&c.Call)
			if name != "" && !calls.Is(&c.Call, "x.Other", name) {
				t.Errorf("Is(%s) = false for its own name", name)
			}
			// Same bare name, other receiver or package: no match.
			for _, other := range []string{"(*sync.RWMutex).Lock", "(*q.T).Unlock", "(context.Other).Done", "os.Sleep", "q.Map", "Unlock"} {
				if calls.Is(&c.Call, other) {
					t.Errorf("Is(%q) = true for a call of %q", other, name)
				}
			}
		}
	}
}

// A vendored copy of a library is that library: its names and types match
// without the vendor directory (GOPATH projects vendor golang.org/x/sync;
// std vendors golang.org/x/net).
func TestVendorless(t *testing.T) {
	for path, want := range map[string]string{
		"proj/vendor/golang.org/x/sync/errgroup": "golang.org/x/sync/errgroup",
		"vendor/net/http":                        "net/http",
		"a/vendor/b/vendor/c":                    "c",
		"net/http":                               "net/http",
		"example.com/vendors/x":                  "example.com/vendors/x",
	} {
		if got := calls.PkgPath(types.NewPackage(path, "x")); got != want {
			t.Errorf("PkgPath(%q) = %q, want %q", path, got, want)
		}
	}

	pkg := types.NewPackage("proj/vendor/golang.org/x/sync/errgroup", "errgroup")
	group := types.NewNamed(types.NewTypeName(0, pkg, "Group", nil), types.NewStruct(nil, nil), nil)
	recv := types.NewVar(0, pkg, "g", types.NewPointer(group))
	goMethod := types.NewFunc(0, pkg, "Go", types.NewSignatureType(recv, nil, nil, nil, nil, false))
	withContext := types.NewFunc(0, pkg, "WithContext", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	for f, want := range map[*types.Func]string{
		goMethod:    "(*golang.org/x/sync/errgroup.Group).Go",
		withContext: "golang.org/x/sync/errgroup.WithContext",
	} {
		if got := calls.FuncName(f); got != want {
			t.Errorf("FuncName = %q, want %q", got, want)
		}
	}
	if !calls.IsPointerTo(recv.Type(), "golang.org/x/sync/errgroup", "Group") || !calls.IsNamed(group, "golang.org/x/sync/errgroup", "Group") {
		t.Errorf("vendored errgroup.Group not recognised")
	}
	if !calls.InPkg(goMethod, "golang.org/x/sync/errgroup") || calls.InPkg(goMethod, "proj/vendor/golang.org/x/sync/errgroup") {
		t.Errorf("InPkg: want the vendorless path only")
	}
}
