package ssautil

import (
	"fmt"
	"go/token"
	"path/filepath"
	"sync"

	"golang.org/x/tools/go/ssa"
)

// A Loop is a natural loop: a header and every block that reaches one of
// its back edges without passing the header. Blocks are kept as a slice
// indexed by BasicBlock.Index, not a map: most functions are small.
type Loop struct {
	Header *ssa.BasicBlock
	in     []bool
	n      int
}

// Contains reports whether b is in the loop.
func (l *Loop) Contains(b *ssa.BasicBlock) bool {
	return b != nil && b.Index < len(l.in) && l.in[b.Index]
}

// Len returns the number of blocks in the loop.
func (l *Loop) Len() int { return l.n }

// Blocks returns the loop's blocks in index order.
func (l *Loop) Blocks() []*ssa.BasicBlock {
	fn := l.Header.Parent()
	out := make([]*ssa.BasicBlock, 0, l.n)
	for i, in := range l.in {
		if in {
			out = append(out, fn.Blocks[i])
		}
	}
	return out
}

// HasExit reports whether control can leave the loop other than by
// panicking.
func (l *Loop) HasExit() bool {
	for _, b := range l.Blocks() {
		for _, s := range b.Succs {
			if !l.Contains(s) {
				return true
			}
		}
	}
	return false
}

// Loops returns fn's natural loops, one per header, innermost (fewest
// blocks) first. Loops made with goto are included; range-over-func
// bodies are closures and have none of their own.
func Loops(fn *ssa.Function) []*Loop {
	var loops []*Loop
	byHeader := map[*ssa.BasicBlock]*Loop{}
	for _, b := range fn.Blocks {
		for _, h := range b.Succs {
			if !h.Dominates(b) {
				continue // not a back edge
			}
			l := byHeader[h]
			if l == nil {
				l = &Loop{Header: h, in: make([]bool, len(fn.Blocks))}
				l.in[h.Index], l.n = true, 1
				byHeader[h] = l
				loops = append(loops, l)
			}
			stack := []*ssa.BasicBlock{b}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if l.in[x.Index] {
					continue
				}
				l.in[x.Index] = true
				l.n++
				stack = append(stack, x.Preds...)
			}
		}
	}
	// Stable: equal sizes keep block order, so results are reproducible.
	for i := 1; i < len(loops); i++ {
		for j := i; j > 0 && loops[j].n < loops[j-1].n; j-- {
			loops[j], loops[j-1] = loops[j-1], loops[j]
		}
	}
	return loops
}

// Reach answers reachability between the blocks of one function,
// computing each block's successors' closure once, on demand. It is safe
// for concurrent use: passes running at once share one.
type Reach struct {
	fn   *ssa.Function
	mu   sync.Mutex
	from [][]bool // by block index: the blocks reachable by one or more edges
}

// NewReach returns a Reach for fn.
func NewReach(fn *ssa.Function) *Reach {
	return &Reach{fn: fn, from: make([][]bool, len(fn.Blocks))}
}

// Reaches reports whether to can be reached from from by one or more
// edges (so Reaches(b, b) means b is in a cycle).
func (r *Reach) Reaches(from, to *ssa.BasicBlock) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	set := r.from[from.Index]
	if set == nil {
		set = make([]bool, len(r.fn.Blocks))
		stack := append([]*ssa.BasicBlock(nil), from.Succs...)
		for len(stack) > 0 {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !set[b.Index] {
				set[b.Index] = true
				stack = append(stack, b.Succs...)
			}
		}
		r.from[from.Index] = set
	}
	return set[to.Index]
}

// InCycle reports whether b can reach itself: code in it may run more
// than once per call.
func (r *Reach) InCycle(b *ssa.BasicBlock) bool { return r.Reaches(b, b) }

// InstrReaches reports whether to may run after from in one call of
// their function: later in from's block, in a block reachable from it,
// or anywhere in from's block when that block is in a cycle.
func (r *Reach) InstrReaches(from, to ssa.Instruction) bool {
	if from.Block() == to.Block() {
		return InstrIndex(from) < InstrIndex(to) || r.InCycle(from.Block())
	}
	return r.Reaches(from.Block(), to.Block())
}

// Dominates reports whether a runs before b on every path to b: earlier
// in b's block, or in a block dominating it.
func Dominates(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return InstrIndex(a) < InstrIndex(b)
	}
	return a.Block().Dominates(b.Block())
}

// Reaches reports whether to can be reached from any of from by zero or
// more edges, without memoising (for one-off questions).
func Reaches(from []*ssa.BasicBlock, to *ssa.BasicBlock) bool {
	seen := make([]bool, len(to.Parent().Blocks))
	stack := append([]*ssa.BasicBlock(nil), from...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == to {
			return true
		}
		if !seen[b.Index] {
			seen[b.Index] = true
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

// InstrIndex returns the index of instr in its block, or -1.
func InstrIndex(instr ssa.Instruction) int {
	b := instr.Block()
	if b == nil {
		return -1
	}
	for i, x := range b.Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// Root returns the declared function fn is, or is nested in.
func Root(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// Origin returns the generic function fn instantiates, or fn.
func OriginFunc(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// ShortPos renders pos as messages do: "file.go:12".
func ShortPos(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// Where renders pos for a message about code at from: "line 12" in the
// same file, "file.go:12" otherwise.
func Where(fset *token.FileSet, pos, from token.Pos) string {
	p, q := fset.Position(pos), fset.Position(from)
	if p.Filename == q.Filename {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
