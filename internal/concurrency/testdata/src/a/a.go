// Package a pins the model's answers: where() reports where the function
// around it runs and the locks held there; alias(x, y) compares paths;
// functions named Spawn* report their spawns.
package a

import (
	"sync"

	"golang.org/x/sync/errgroup"

	"lib"
)

func where()           {}
func pair(string, any) {}
func alias(x, y any)   {}
func use(f ...func())  {}

// A range-over-func body runs on the caller's goroutine, under its locks.
func RangeFunc(mu *sync.Mutex, seq func(func(int) bool)) {
	mu.Lock()
	for range seq {
		where() // want `runs: sync\(range-over-func\) held: mu`
	}
	mu.Unlock()
}

// A callee in another package that calls its argument (a fact).
func Callback(mu *sync.Mutex, xs []int) {
	mu.Lock()
	lib.Each(xs, func(int) {
		where() // want `runs: sync\(lib.Each\) held: mu`
	})
	mu.Unlock()
}

// A deferred closure runs when the function returns, under the locks
// held then.
func Deferred(mu *sync.Mutex) {
	mu.Lock()
	defer func() {
		where() // want `runs: sync\(deferred\) held: mu`
		mu.Unlock()
	}()
}

func Once(mu *sync.Mutex, once *sync.Once) {
	mu.Lock()
	defer mu.Unlock()
	once.Do(func() {
		where() // want `runs: sync\(sync.Once.Do\) held: mu`
	})
}

func withRecover(f func()) {
	defer func() { _ = recover() }()
	f()
}

// go withRecover(f) runs f on the new goroutine, and so does go lib.Safe(f).
func SpawnWrapper() {
	go withRecover(func() { // want `spawn go withRecover args=1` `spawn "go withRecover" SpawnWrapper\$1`
		where() // want `runs: go\(go withRecover\) held: -`
	})
	go lib.Safe(func() { // want `spawn go Safe args=1` `spawn "go lib.Safe" SpawnWrapper\$2`
		where() // want `runs: go\(go lib.Safe\) held: -`
	})
}

// An inferred spawner in another package (a fact): many at a time.
func SpawnInferred(mu *sync.Mutex) {
	mu.Lock()
	lib.Parallel(4, func(int) { // want `spawn "lib.Parallel" SpawnInferred\$1 many`
		where() // want `runs: go\(lib.Parallel,many\) held: -`
	})
	mu.Unlock()
}

func SpawnGroup(xs []int) error {
	var g errgroup.Group
	for range xs {
		g.Go(func() error { // want `spawn "errgroup.Group.Go" SpawnGroup\$1 many`
			where() // want `runs: go\(errgroup.Group.Go,many\) held: -`
			return nil
		})
	}
	return g.Wait()
}

type server struct{ mu sync.Mutex }

func (s *server) run() {}

// Method values run their method.
func SpawnMethod(s *server) {
	go s.run() // want `spawn go run args=1`
	f := s.run
	go f() // want `spawn go run args=1`
}

// A callee that unlocks and locks again leaves the lock held.
func Relock(c *lib.Counter) {
	c.Lock()
	c.Flush()
	where() // want `runs: entry held: c.mu`
	c.Unlock()
	where() // want `runs: entry held: -`
}

// TryLock holds the lock only where it succeeded.
func Try(mu *sync.Mutex) {
	if mu.TryLock() {
		where() // want `runs: entry held: mu`
		mu.Unlock()
	} else {
		where() // want `runs: entry held: -`
	}
	if !mu.TryLock() {
		return
	}
	where() // want `runs: entry held: mu`
	mu.Unlock()
}

// A lock taken only on some paths is not held after the merge.
func Conditional(mu *sync.Mutex, useLock bool) {
	if useLock {
		mu.Lock()
	}
	where() // want `runs: entry held: -`
}

var saved func()

// A stored function value may run anywhere.
func Stored() {
	saved = func() {
		where() // want `runs: escaped held: -`
	}
}

type stats struct{ inMsgs, inBytes int64 }

type Account struct {
	mu sync.Mutex
	stats
}

type client struct{ stats }

// Access paths: a root and the fields from it.
func Paths(acc *Account, c *client, a, b *Account) {
	alias(&acc.stats.inMsgs, &c.stats.inMsgs)    // want `acc.stats.inMsgs a.Account.stats.inMsgs / c.stats.inMsgs a.client.stats.inMsgs: no alias`
	alias(&acc.stats.inMsgs, &acc.stats.inBytes) // want `acc.stats.inMsgs a.Account.stats.inMsgs / acc.stats.inBytes a.Account.stats.inBytes: no alias`
	alias(&a.stats.inMsgs, &b.stats.inMsgs)      // want `a.stats.inMsgs a.Account.stats.inMsgs / b.stats.inMsgs a.Account.stats.inMsgs: alias`
	alias(&acc.stats, &acc.stats.inMsgs)         // want `acc.stats a.Account.stats / acc.stats.inMsgs a.Account.stats.inMsgs: alias`
	var x, y Account
	alias(&x.stats.inMsgs, &y.stats.inMsgs) // want `x.stats.inMsgs - / y.stats.inMsgs -: no alias`
}

type box struct {
	mu sync.Mutex
	n  int
}

// An unexported helper called only with the lock held runs under it.
func (x *box) incLocked() {
	where() // want `runs: sync held: x.mu`
}

func (b *box) Inc() {
	b.mu.Lock()
	b.incLocked()
	b.mu.Unlock()
}

// Helpers calling helpers: the outer caller's lock is held all the way.
func (x *box) deepLocked() {
	where() // want `runs: sync held: x.mu`
}

func (y *box) midLocked() { y.deepLocked() }

func (b *box) Deep() {
	b.mu.Lock()
	b.midLocked()
	b.mu.Unlock()
}

// A cycle of calls (walk calls step, step calls walk again) adds no
// constraint: whatever enters it holds the lock.
func (x *box) stepLeaf() {
	where() // want `runs: sync held: x.mu`
}

func (x *box) walk(n int) { x.step(n) }

func (x *box) step(n int) {
	if n > 0 {
		x.walk(n - 1)
	}
	x.stepLeaf()
}

func (b *box) Walk() {
	b.mu.Lock()
	b.walk(3)
	b.mu.Unlock()
}

// Its quiet twin: an entry into the cycle without the lock.
func (x *box) stepLeaf2() {
	where() // want `runs: sync held: -`
}

func (x *box) walk2(n int) { x.step2(n) }

func (x *box) step2(n int) {
	if n > 0 {
		x.walk2(n - 1)
	}
	x.stepLeaf2()
}

func (b *box) Walk2() {
	b.mu.Lock()
	b.walk2(3)
	b.mu.Unlock()
	b.step2(1)
}

// A helper whose receiver a closure captures (a cell): the lock its
// caller holds is still its receiver's.
func (x *box) cellLocked() {
	where() // want `runs: sync held: x.mu`
	f := func() { x.n++ }
	f()
}

func (x *box) cellMid() {
	f := func() { x.n-- }
	f()
	x.cellLocked()
}

func (b *box) Cell() {
	b.mu.Lock()
	b.cellMid()
	b.mu.Unlock()
}

// A helper that calls one that lets others in and relocks keeps the
// lock for what follows.
func (x *box) afterRelock() {
	where() // want `runs: sync held: x.mu`
}

func (x *box) relock() {
	x.mu.Unlock()
	x.mu.Lock()
}

func (x *box) relockMid() {
	x.relock()
	x.afterRelock()
}

func (b *box) Relock() {
	b.mu.Lock()
	b.relockMid()
	b.mu.Unlock()
}

// A closure captured by another closure runs where the other calls it.
func Nested(mu *sync.Mutex, n *int) {
	f := func() {
		where() // want `runs: sync held: mu`
		*n++
	}
	mu.Lock()
	g := func() { f() }
	g()
	mu.Unlock()
	h := func() {
		where() // want `runs: sync held: mu`
	}
	mu.Lock()
	k := func() { h() }
	k()
	mu.Unlock()
}

type other struct{ mu sync.Mutex }

// Called through an interface too: from code the model cannot see.
func (o *other) bump() {
	where() // want `runs: sync entry held: -`
}

type bumper interface{ bump() }

func Bump(o *other, b bumper) {
	o.mu.Lock()
	o.bump()
	o.mu.Unlock()
	b.bump()
}

// Deferred calls run last-deferred first: the closure runs before the
// deferred Unlock.
func DeferOrder(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
	defer func() {
		where() // want `runs: sync\(deferred\) held: mu`
	}()
}

// Here the Unlock, deferred later, runs first.
func DeferOrderLater(mu *sync.Mutex) {
	defer func() {
		where() // want `runs: sync\(deferred\) held: -`
	}()
	mu.Lock()
	defer mu.Unlock()
}

// A declared spawner in another package (//futlint:spawner, a fact).
func SpawnDeclared() {
	lib.Go(func() { // want `spawn "lib.Go" SpawnDeclared\$1`
		where() // want `runs: go\(lib.Go\) held: -`
	})
}

func (s *server) work() error {
	where() // want `runs: go\(errgroup.Group.Go\) go\(go\) held: -`
	return nil
}

// A method value handed to a spawner runs the method; so does a go
// statement of a function value that is nil on some path.
func SpawnMethodValue(s *server, b bool) {
	var g errgroup.Group
	g.Go(s.work) // want `spawn "errgroup.Group.Go" work`
	var f func() error
	if b {
		f = s.work
	}
	if f != nil {
		go f() // want `spawn go work args=1`
	}
	_ = g.Wait()
}

// A closure that unlocks its enclosing function's mutex: its effect is
// in the enclosing function's terms, not the closure's arguments.
func ClosureUnlock(mu *sync.Mutex) {
	mu.Lock()
	unlock := func() { mu.Unlock() }
	unlock()
	where() // want `runs: entry held: -`
}

// Parameters of two functions are two roots: copies of one type do not
// alias; pointers to one type may.
func byValue1(a Account) { pair("v", a.stats.inMsgs) }

func byValue2(b Account) { pair("v", b.stats.inMsgs) } // want `b.stats.inMsgs / a.stats.inMsgs: no alias`

func byPointer1(a *Account) { pair("p", &a.stats.inMsgs) }

func byPointer2(b *Account) { pair("p", &b.stats.inMsgs) } // want `b.stats.inMsgs / a.stats.inMsgs: alias`

type renamed Account

// A converted pointer selects the same fields.
func Converted(a *Account) {
	alias(&a.mu, &(*renamed)(a).mu) // want `a.mu a.Account.mu / a.mu a.renamed.mu: alias`
}

// An interface method call runs its callback before it returns when every
// implementation the program knows does (here one of them in lib).
type Ranger interface{ Range(func(int) bool) }

type rangeSlice []int

func (r rangeSlice) Range(f func(int) bool) {
	for _, x := range r {
		if !f(x) {
			return
		}
	}
}

var _ Ranger = (*lib.Set)(nil)

func Invoked(mu *sync.Mutex, r Ranger) {
	mu.Lock()
	defer mu.Unlock()
	r.Range(func(int) bool {
		where() // want `runs: sync\(Range\) held: mu`
		return true
	})
}

// One implementation that keeps the callback makes it unknown.
type Visitor interface{ Visit(func()) }

type nowVisitor struct{}

func (nowVisitor) Visit(f func()) { f() }

type laterVisitor struct{ f func() }

func (v *laterVisitor) Visit(f func()) { v.f = f }

func InvokedStored(mu *sync.Mutex, v Visitor) {
	mu.Lock()
	defer mu.Unlock()
	v.Visit(func() {
		where() // want `runs: escaped held: -`
	})
}

type block struct {
	mu sync.Mutex
	n  int
}

// A closure called with a block whose lock its caller holds holds it on
// its parameter, for the methods it calls.
func (b *block) grow() {
	where() // want `runs: sync sync held: b.mu`
}

func Blocks(bs []*block) {
	visit := func(b *block) { b.grow() }
	for _, b := range bs {
		b.mu.Lock()
		visit(b)
		b.mu.Unlock()
	}
	bs[0].mu.Lock()
	bs[0].grow()
	bs[0].mu.Unlock()
}

// Called once without the lock: nothing is held.
func (b *block) growSome() {
	where() // want `runs: sync held: -`
}

func BlocksSome(bs []*block) {
	visit := func(b *block) { b.growSome() }
	bs[0].mu.Lock()
	visit(bs[0])
	bs[0].mu.Unlock()
	visit(bs[1])
}

// A closure's own parameter is not its enclosing function's parameter of
// the same index: both locks stay held, each under its own name.
func (b *block) Pair(o *block) {
	b.mu.Lock()
	o.mu.Lock()
	func(c *block) {
		where() // want `runs: sync held: b.mu,c.mu,o.mu`
	}(o)
	o.mu.Unlock()
	b.mu.Unlock()
}

// A method value run by a callback taker holds the caller's locks on its
// bound receiver (not on the taker's arguments).
func (b *block) visited() {
	where() // want `runs: sync\(sync.Once.Do\) held: b.mu`
}

func OnceVisit(b *block, once *sync.Once) {
	b.mu.Lock()
	once.Do(b.visited)
	b.mu.Unlock()
}

func (b *block) visitedOther() {
	where() // want `runs: sync\(sync.Once.Do\) held: -`
}

func OnceVisitOther(b, o *block, once *sync.Once) {
	b.mu.Lock()
	once.Do(o.visitedOther)
	b.mu.Unlock()
}
