package unlockedinc

import (
	"fmt"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
)

// A lock is a mutex named by a canonical path from a function's parameters,
// free variables or package-level variables ("p0.mu", "g:pkg.mu"), so that
// c.mu.Lock() and a later access to c.n can be related, and so that a
// helper's "locks p0.mu" can be translated to its caller's arguments.
type lock struct {
	path string
	read bool // held by RLock only: protects reads, not writes
}

// A lockset is an immutable sorted list of locks held.
type lockset []lock

func (s lockset) exclusive() bool {
	return slices.ContainsFunc(s, func(l lock) bool { return !l.read })
}

func (s lockset) with(l lock) lockset {
	if slices.Contains(s, l) {
		return s
	}
	out := append(slices.Clone(s), l)
	slices.SortFunc(out, func(a, b lock) int {
		return strings.Compare(a.path+strconv.FormatBool(a.read), b.path+strconv.FormatBool(b.read))
	})
	return out
}

func (s lockset) without(l lock) lockset {
	if !slices.Contains(s, l) {
		return s
	}
	return slices.DeleteFunc(slices.Clone(s), func(x lock) bool { return x == l })
}

func intersect(a, b lockset) lockset {
	var out lockset
	for _, l := range a {
		if slices.Contains(b, l) {
			out = append(out, l)
		}
	}
	return out
}

var (
	acquireNames = []string{"(*sync.Mutex).Lock", "(*sync.RWMutex).Lock", "(sync.Locker).Lock"}
	releaseNames = []string{"(*sync.Mutex).Unlock", "(*sync.RWMutex).Unlock", "(sync.Locker).Unlock"}
)

// lockCall reports the lock a call acquires or releases directly.
func (c *checker) lockCall(fn *ssa.Function, call *ssa.CallCommon) (l lock, acquire, ok bool) {
	obj := calls.Callee(call)
	if obj == nil || !strings.HasSuffix(obj.Name(), "Lock") && !strings.HasSuffix(obj.Name(), "Unlock") {
		return lock{}, false, false // the common case, decided without building names
	}
	var recv ssa.Value
	if call.IsInvoke() {
		recv = call.Value
	} else if len(call.Args) > 0 {
		recv = call.Args[0]
	}
	switch {
	case calls.Is(call, acquireNames...):
		return lock{path: c.path(fn, recv)}, true, recv != nil
	case calls.Is(call, releaseNames...):
		return lock{path: c.path(fn, recv)}, false, recv != nil
	case calls.Is(call, "(*sync.RWMutex).RLock"):
		return lock{path: c.path(fn, recv), read: true}, true, recv != nil
	case calls.Is(call, "(*sync.RWMutex).RUnlock"):
		return lock{path: c.path(fn, recv), read: true}, false, recv != nil
	}
	return lock{}, false, false
}

// path returns the canonical path of an address or value in fn.
func (c *checker) path(fn *ssa.Function, v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Parameter:
		return "p" + strconv.Itoa(slices.Index(fn.Params, v))
	case *ssa.FreeVar:
		return "f" + strconv.Itoa(slices.Index(fn.FreeVars, v))
	case *ssa.Global:
		return "g:" + v.Pkg.Pkg.Path() + "." + v.Name()
	case *ssa.FieldAddr:
		return c.path(fn, v.X) + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.Field:
		return c.path(fn, v.X) + "." + fieldName(v.X.Type(), v.Field)
	case *ssa.UnOp:
		if v.Op.String() == "*" {
			return c.path(fn, v.X) + "*"
		}
	case *ssa.MakeInterface:
		return c.path(fn, v.X)
	case *ssa.ChangeType:
		return c.path(fn, v.X)
	case nil:
		return "nil"
	}
	return c.valueID(v)
}

// valueID names a value that has no path; it is only meaningful within
// the value's function.
func (c *checker) valueID(v ssa.Value) string {
	id, ok := c.ids[v]
	if !ok {
		id = len(c.ids)
		c.ids[v] = id
	}
	return fmt.Sprintf("v%d", id)
}

func fieldName(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := t.Underlying().(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i).Name()
	}
	return "#" + strconv.Itoa(i)
}

// locks holds the result of the lockset dataflow for one function.
type locks struct {
	before map[ssa.Instruction]lockset // locks definitely held before each instruction
	atExit lockset                     // definitely held at every return
	taken  []lock                      // every lock the function acquires directly
	rel    []lock                      // every lock the function releases
}

// locksOf computes, by a forward must-dataflow over fn's blocks, the
// locks definitely held before each instruction. A deferred Unlock releases
// nothing until the function returns, so defer instructions are ignored.
func (c *checker) locksOf(fn *ssa.Function) *locks {
	if l, ok := c.lockCache[fn]; ok {
		return l
	}
	res := &locks{before: make(map[ssa.Instruction]lockset)}
	c.lockCache[fn] = res // breaks recursion: a recursive call applies no summary
	if len(fn.Blocks) == 0 {
		return res
	}
	in := make([]lockset, len(fn.Blocks))
	known := make([]bool, len(fn.Blocks))
	out := make([]lockset, len(fn.Blocks))
	outKnown := make([]bool, len(fn.Blocks))
	known[0] = true
	if fn.Recover != nil {
		known[fn.Recover.Index] = true
	}
	for iter := 0; iter < 50; iter++ {
		changed := false
		for _, b := range fn.Blocks {
			if b.Index != 0 && b != fn.Recover {
				var s lockset
				have := false
				for _, p := range b.Preds {
					if !outKnown[p.Index] {
						continue
					}
					if !have {
						s, have = out[p.Index], true
					} else {
						s = intersect(s, out[p.Index])
					}
				}
				if !have {
					continue
				}
				in[b.Index], known[b.Index] = s, true
			}
			s := in[b.Index]
			for _, instr := range b.Instrs {
				// Absent means none held: most code holds no lock.
				if len(s) > 0 {
					res.before[instr] = s
				} else if len(res.before) > 0 {
					delete(res.before, instr) // a later pass found fewer held
				}
				s = c.transfer(fn, instr, s, res)
			}
			if !outKnown[b.Index] || !slices.Equal(out[b.Index], s) {
				out[b.Index], outKnown[b.Index] = s, true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	first := true
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || !outKnown[b.Index] {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if first {
				res.atExit, first = out[b.Index], false
			} else {
				res.atExit = intersect(res.atExit, out[b.Index])
			}
		}
	}
	return res
}

func (c *checker) transfer(fn *ssa.Function, instr ssa.Instruction, s lockset, res *locks) lockset {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return s
	}
	if l, acquire, ok := c.lockCall(fn, &call.Call); ok {
		if acquire {
			res.taken = appendUnique(res.taken, l)
			return s.with(l)
		}
		if !slices.Contains(s, l) {
			res.rel = appendUnique(res.rel, l) // held by the caller
		}
		return s.without(l)
	}
	// A helper that locks or unlocks its receiver: translate its summary.
	callee := call.Call.StaticCallee()
	var acq, rel []lock
	if callee != nil {
		acq, rel = c.lockSummary(callee)
	}
	if len(acq)+len(rel) == 0 {
		// A lock of another kind (a custom mutex, the runtime's lock):
		// go by the name, so that updates it guards stay quiet.
		if l, acquire, ok := namedLockCall(fn, &call.Call, c); ok {
			if acquire {
				res.taken = appendUnique(res.taken, l)
				return s.with(l)
			}
			return s.without(l)
		}
		return s
	}
	for _, p := range rel {
		if l, ok := c.translate(fn, &call.Call, p); ok {
			if !slices.Contains(s, l) {
				res.rel = appendUnique(res.rel, l)
			}
			s = s.without(l)
		}
	}
	for _, p := range acq {
		if l, ok := c.translate(fn, &call.Call, p); ok {
			s = s.with(l)
			res.taken = appendUnique(res.taken, l)
		}
	}
	return s
}

// namedLockCall recognises lock and unlock functions and methods of other
// kinds by name: lock(&m), m.RWLock(true), m.Unlock(). The lock is the
// receiver or first argument.
func namedLockCall(fn *ssa.Function, call *ssa.CallCommon, c *checker) (lock, bool, bool) {
	var name string
	var recv ssa.Value
	if call.IsInvoke() {
		name, recv = call.Method.Name(), call.Value
	} else if callee := call.StaticCallee(); callee != nil && len(call.Args) > 0 {
		name, recv = callee.Name(), call.Args[0]
	}
	switch {
	case recv == nil:
		return lock{}, false, false
	case name == "unlock" || strings.HasSuffix(name, "Unlock"):
		return lock{path: c.path(fn, recv)}, false, true
	case name == "lock" || strings.HasSuffix(name, "Lock"):
		return lock{path: c.path(fn, recv)}, true, true
	}
	return lock{}, false, false
}

func appendUnique(s []lock, l lock) []lock {
	if slices.Contains(s, l) {
		return s
	}
	return append(s, l)
}

// lockSummary returns the locks, rooted at parameters or globals, that a
// call to fn leaves held and the ones it releases.
func (c *checker) lockSummary(fn *ssa.Function) (acquires, releases []lock) {
	if !c.local(fn) {
		obj, ok := fn.Object().(*types.Func)
		if !ok {
			return nil, nil
		}
		var f summaryFact
		if fn.Origin() != nil {
			obj, _ = fn.Origin().Object().(*types.Func)
		}
		if obj == nil || !c.pass.ImportObjectFact(obj, &f) {
			return nil, nil
		}
		for _, p := range f.Acquires {
			acquires = append(acquires, decodeLock(p))
		}
		for _, p := range f.Releases {
			releases = append(releases, decodeLock(p))
		}
		return acquires, releases
	}
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	l := c.locksOf(fn)
	for _, x := range l.atExit {
		if exportable(x.path) {
			acquires = append(acquires, x)
		}
	}
	for _, x := range l.rel {
		if exportable(x.path) && !slices.Contains(l.atExit, x) {
			releases = append(releases, x)
		}
	}
	return acquires, releases
}

func exportable(path string) bool {
	return strings.HasPrefix(path, "g:") || (strings.HasPrefix(path, "p") && !strings.HasPrefix(path, "p-"))
}

func encodeLock(l lock) string {
	if l.read {
		return "r:" + l.path
	}
	return l.path
}

func decodeLock(s string) lock {
	if p, ok := strings.CutPrefix(s, "r:"); ok {
		return lock{path: p, read: true}
	}
	return lock{path: s}
}

// translate maps a callee's lock path onto the caller's arguments.
func (c *checker) translate(fn *ssa.Function, call *ssa.CallCommon, l lock) (lock, bool) {
	if strings.HasPrefix(l.path, "g:") {
		return l, true
	}
	rest := strings.TrimPrefix(l.path, "p")
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(rest[:i])
	if err != nil {
		return lock{}, false
	}
	args := call.Args
	if call.IsInvoke() {
		args = append([]ssa.Value{call.Value}, args...)
	}
	if n >= len(args) {
		return lock{}, false
	}
	return lock{path: c.path(fn, args[n]) + rest[i:], read: l.read}, true
}
