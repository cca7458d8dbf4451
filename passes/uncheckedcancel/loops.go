package uncheckedcancel

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
	"github.com/futlint/futlint/internal/ssautil"
)

// A loop is a natural loop of an SSA function together with the for or
// range statement it comes from.
type loop struct {
	*ssautil.Loop
	fn   *ssa.Function
	stmt ast.Stmt // *ast.ForStmt or *ast.RangeStmt
}

// body returns the statement's body.
func (l *loop) body() *ast.BlockStmt {
	switch s := l.stmt.(type) {
	case *ast.ForStmt:
		return s.Body
	case *ast.RangeStmt:
		return s.Body
	}
	return nil
}

// findLoops returns fn's loops, one per for or range statement, outermost
// first. Loops made with goto, and the loops of range-over-func
// statements (whose body is a closure), are left out.
func findLoops(fn *ssa.Function) []*loop {
	stmts, parents := loopStmts(fn.Syntax())
	if len(stmts) == 0 {
		return nil
	}
	// The model's natural loops, innermost (fewest blocks) first: each
	// takes the innermost statement around its instructions; an outer
	// loop whose instructions all lie inside an inner statement
	// (for { for { ... } }) takes the next one out.
	var headers []*loop
	for _, nl := range ssautil.Loops(fn) {
		headers = append(headers, &loop{Loop: nl, fn: fn})
	}
	byStmt := map[ast.Stmt]*loop{}
	for _, l := range headers {
		stmt := enclosingStmt(l, stmts)
		for stmt != nil && byStmt[stmt] != nil {
			stmt = parents[stmt]
		}
		if stmt == nil {
			continue
		}
		l.stmt = stmt
		byStmt[stmt] = l
	}
	var loops []*loop
	for _, s := range stmts {
		if l := byStmt[s]; l != nil {
			loops = append(loops, l)
		}
	}
	return loops
}

// loopStmts returns the for and range statements of a function's body,
// outermost first, not those of nested function literals, and the loop
// statement around each.
func loopStmts(syntax ast.Node) ([]ast.Stmt, map[ast.Stmt]ast.Stmt) {
	var body *ast.BlockStmt
	switch f := syntax.(type) {
	case *ast.FuncDecl:
		body = f.Body
	case *ast.FuncLit:
		body = f.Body
	}
	if body == nil {
		return nil, nil
	}
	var stmts []ast.Stmt
	parents := map[ast.Stmt]ast.Stmt{}
	var open []ast.Stmt // the loop statements around the current node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return true
		}
		for len(open) > 0 && n.Pos() >= open[len(open)-1].End() {
			open = open[:len(open)-1]
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			s := n.(ast.Stmt)
			if len(open) > 0 {
				parents[s] = open[len(open)-1]
			}
			stmts = append(stmts, s)
			open = append(open, s)
		}
		return true
	})
	return stmts, parents
}

// enclosingStmt returns the innermost statement that encloses the
// positions of the loop's instructions: all of them if one does, else the
// most.
func enclosingStmt(l *loop, stmts []ast.Stmt) ast.Stmt {
	var positions []token.Pos
	for _, b := range l.Blocks() {
		for _, instr := range b.Instrs {
			if p := instr.Pos(); p.IsValid() {
				positions = append(positions, p)
			}
		}
	}
	if len(positions) == 0 {
		return nil
	}
	var best ast.Stmt
	bestCount := 0
	for _, s := range stmts { // outermost first, so ties go to the inner
		n := 0
		for _, p := range positions {
			if s.Pos() <= p && p < s.End() {
				n++
			}
		}
		if n > 0 && n >= bestCount {
			best, bestCount = s, n
		}
	}
	return best
}

// bounded reports whether the loop runs a number of times fixed when it
// starts: a range over a slice, array, string, map or integer, or a loop
// that leaves when a counter reaches a bound.
func (l *loop) bounded(info *types.Info) bool {
	if rs, ok := l.stmt.(*ast.RangeStmt); ok {
		t := info.TypeOf(rs.X)
		if t == nil {
			return false
		}
		switch t.Underlying().(type) {
		case *types.Pointer, *types.Slice, *types.Array, *types.Map, *types.Basic:
			return true
		}
		return false // a channel, a function, or a type parameter that may be either
	}
	if fs, ok := l.stmt.(*ast.ForStmt); ok && (countsTo(fs) || benchLoop(fs, info)) {
		return true
	}
	for _, b := range l.Blocks() {
		ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		if l.Contains(b.Succs[0]) && l.Contains(b.Succs[1]) {
			continue // not an exit
		}
		cmp, ok := ifInstr.Cond.(*ssa.BinOp)
		if !ok {
			continue
		}
		switch cmp.Op {
		case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ, token.EQL:
			if l.isCounter(cmp.X) || l.isCounter(cmp.Y) {
				return true
			}
		}
	}
	return false
}

// backoff reports whether the loop sleeps (time.Sleep, or a receive from
// time.After) for a duration the loop changes from one iteration to the
// next: "time.Sleep(backoff); backoff *= 2", "time.Sleep(base << i)". A
// loop bounded in attempts that does so is not bounded in time.
func (l *loop) backoff() bool {
	for _, b := range l.Blocks() {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !calls.Is(&call.Call, "time.Sleep", "time.After") || len(call.Call.Args) != 1 {
				continue
			}
			if l.varies(call.Call.Args[0]) {
				return true
			}
		}
	}
	return false
}

// varies reports whether v is computed, within seven steps and without
// calling anything but a builtin (min(backoff*2, max)), from a value that
// a phi of the loop changes each iteration or from a variable the loop
// stores to.
func (l *loop) varies(v ssa.Value) bool {
	return ssautil.ComputedFrom(v, func(v ssa.Value, depth int) (found, stop bool) {
		if depth > 6 {
			return false, true
		}
		switch v := v.(type) {
		case *ssa.Phi:
			return l.Contains(v.Block()) && v.Block() == l.Header, true
		case *ssa.UnOp:
			if v.Op == token.MUL {
				// A variable on the heap: does the loop store to it?
				alloc, ok := v.X.(*ssa.Alloc)
				return ok && l.storesTo(alloc), true
			}
		case *ssa.Call:
			_, builtin := v.Call.Value.(*ssa.Builtin)
			return false, !builtin
		}
		return false, false
	})
}

// storesTo reports whether the loop stores to alloc.
func (l *loop) storesTo(alloc *ssa.Alloc) bool {
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc && l.Contains(st.Block()) {
			return true
		}
	}
	return false
}

// isCounter reports whether v is a variable of the loop that each
// iteration steps by a constant: i in "for i := 0; i < n; i++".
func (l *loop) isCounter(v ssa.Value) bool {
	if conv, ok := v.(*ssa.Convert); ok {
		v = conv.X
	}
	// "count++; if count > 100 { break }" compares the stepped value.
	if step, ok := v.(*ssa.BinOp); ok && (step.Op == token.ADD || step.Op == token.SUB) {
		if _, ok := step.Y.(*ssa.Const); ok {
			v = step.X
		} else if _, ok := step.X.(*ssa.Const); ok {
			v = step.Y
		}
	}
	phi, ok := v.(*ssa.Phi)
	if !ok || !l.Contains(phi.Block()) {
		return false
	}
	for i, e := range phi.Edges {
		if !l.Contains(phi.Block().Preds[i]) {
			continue // the initial value
		}
		step, ok := e.(*ssa.BinOp)
		if !ok || (step.Op != token.ADD && step.Op != token.SUB) {
			return false
		}
		_, xConst := step.X.(*ssa.Const)
		_, yConst := step.Y.(*ssa.Const)
		if !(step.X == phi && yConst || step.Y == phi && xConst) {
			return false
		}
	}
	return true
}

// countsTo reports whether a for statement has the form
// "for ...; i < n; i++": a counter stepped by its post statement and
// compared by its condition. The SSA check misses it when the body
// captures i, as each iteration then has its own variable.
func countsTo(fs *ast.ForStmt) bool {
	inc, ok := fs.Post.(*ast.IncDecStmt)
	if !ok {
		return false
	}
	counter, ok := inc.X.(*ast.Ident)
	if !ok {
		return false
	}
	cmp, ok := fs.Cond.(*ast.BinaryExpr)
	if !ok {
		return false
	}
	switch cmp.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ:
	default:
		return false
	}
	for _, e := range []ast.Expr{cmp.X, cmp.Y} {
		if id, ok := e.(*ast.Ident); ok && id.Name == counter.Name {
			return true
		}
	}
	return false
}

// benchLoop reports whether fs is "for b.Loop()": the benchmark framework
// bounds it.
func benchLoop(fs *ast.ForStmt, info *types.Info) bool {
	call, ok := fs.Cond.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Loop" {
		return false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	return ok && calls.InPkg(fn, "testing")
}
