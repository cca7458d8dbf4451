package lib

// RangeT calls Range on a type parameter: not resolved to the
// constraint's implementations, so f is taken to be kept.
func RangeT[T Ranger](r T, f func(int) bool) { r.Range(f) } // want RangeT:"p1:stored"

// A Visitor's implementations are List, which calls its callback, and the
// generic Queue, which keeps it: VisitAll is not Sync.
type Visitor interface{ Visit(func(int) bool) }

type List struct{ xs []int }

func (l *List) Visit(f func(int) bool) { // want Visit:"p1:sync"
	for _, x := range l.xs {
		if !f(x) {
			return
		}
	}
}

type Queue[T any] struct{ fns []func(int) bool }

func (q *Queue[T]) Visit(f func(int) bool) { q.fns = append(q.fns, f) } // want Visit:"p1:stored"

func VisitAll(v Visitor, f func(int) bool) { v.Visit(f) } // want VisitAll:"p1:stored"

// A Walker's one implementation is the generic Tree, which calls its
// callback: WalkAll is Sync.
type Walker interface{ Walk(func(int) bool) }

type Tree[T any] struct {
	keys []int
	vals []T
}

func (t *Tree[T]) Walk(f func(int) bool) { // want Walk:"p1:sync"
	for _, k := range t.keys {
		if !f(k) {
			return
		}
	}
}

func WalkAll(w Walker, f func(int) bool) { w.Walk(f) } // want WalkAll:"p1:sync"
