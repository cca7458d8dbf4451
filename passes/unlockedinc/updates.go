package unlockedinc

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
)

// An update is one read-modify-write statement: x++, x -= n, x = x * 2,
// m[k]++, found in SSA as a load, an arithmetic operation and a store to
// the same address.
type update struct {
	fn     *ssa.Function
	instr  ssa.Instruction  // *ssa.Store or *ssa.MapUpdate
	addr   ssa.Value        // the address stored to; for a map element, the map
	path   concurrency.Path // addr's access path, free variables followed
	isMap  bool
	op     token.Token // the arithmetic operation
	stmt   ast.Stmt    // *ast.IncDecStmt or *ast.AssignStmt
	lhs    ast.Expr
	target string // source form of the updated expression: hits, s.n, m[k]
}

// verb describes the update for a message.
func (u *update) verb() string {
	switch u.op {
	case token.ADD:
		return "increment"
	case token.SUB:
		return "decrement"
	}
	return "update"
}

var arith = map[token.Token]bool{
	token.ADD: true, token.SUB: true, token.MUL: true, token.QUO: true, token.REM: true,
	token.AND: true, token.OR: true, token.XOR: true, token.SHL: true, token.SHR: true, token.AND_NOT: true,
}

// updatesOf returns the read-modify-write statements of fn.
func (c *checker) updatesOf(fn *ssa.Function) []*update {
	var out []*update
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var u *update
			switch instr := instr.(type) {
			case *ssa.Store:
				if op, ok := rmw(instr.Val, func(v ssa.Value) bool {
					ld, ok := v.(*ssa.UnOp)
					return ok && ld.Op == token.MUL && sameValue(ld.X, instr.Addr)
				}); ok {
					u = &update{fn: fn, instr: instr, addr: instr.Addr, op: op}
				}
			case *ssa.MapUpdate:
				if op, ok := rmw(instr.Value, func(v ssa.Value) bool {
					lk, ok := v.(*ssa.Lookup)
					return ok && !lk.CommaOk && sameValue(lk.X, instr.Map) && sameValue(lk.Index, instr.Key)
				}); ok {
					u = &update{fn: fn, instr: instr, addr: instr.Map, isMap: true, op: op}
				}
			}
			if u == nil {
				continue
			}
			bin := instrValue(instr).(*ssa.BinOp)
			u.stmt, u.lhs = c.stmtAt(bin.Pos())
			if u.stmt == nil {
				continue // no statement to point at (e.g. compiler-generated)
			}
			u.target = types.ExprString(u.lhs)
			u.path = c.m.PathOf(fn, u.addr)
			out = append(out, u)
		}
	}
	return out
}

func instrValue(instr ssa.Instruction) ssa.Value {
	switch instr := instr.(type) {
	case *ssa.Store:
		return instr.Val
	case *ssa.MapUpdate:
		return instr.Value
	}
	return nil
}

// rmw reports whether v is an arithmetic operation with an operand
// satisfying isLoad, and which operation.
func rmw(v ssa.Value, isLoad func(ssa.Value) bool) (token.Token, bool) {
	bin, ok := v.(*ssa.BinOp)
	if !ok || !arith[bin.Op] {
		return 0, false
	}
	if isLoad(bin.X) || (isLoad(bin.Y) && bin.Op != token.SHL && bin.Op != token.SHR) {
		return bin.Op, true
	}
	return 0, false
}

// sameValue reports whether a and b denote the same address or value:
// the same SSA value, or the same selection from the same base.
func sameValue(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.FieldAddr:
		b, ok := b.(*ssa.FieldAddr)
		return ok && a.Field == b.Field && sameValue(a.X, b.X)
	case *ssa.Field:
		b, ok := b.(*ssa.Field)
		return ok && a.Field == b.Field && sameValue(a.X, b.X)
	case *ssa.IndexAddr:
		b, ok := b.(*ssa.IndexAddr)
		return ok && sameValue(a.Index, b.Index) && sameValue(a.X, b.X)
	case *ssa.UnOp:
		b, ok := b.(*ssa.UnOp)
		return ok && a.Op == token.MUL && b.Op == token.MUL && sameValue(a.X, b.X)
	case *ssa.Const:
		b, ok := b.(*ssa.Const)
		return ok && a.Value != nil && b.Value != nil && types.Identical(a.Type(), b.Type()) &&
			constant.Compare(a.Value, token.EQL, b.Value)
	}
	return false
}

// stmtAt returns the innermost increment or assignment statement
// containing pos, and its single left-hand side.
func (c *checker) stmtAt(pos token.Pos) (ast.Stmt, ast.Expr) {
	f := c.fileOf(pos)
	if f == nil {
		return nil, nil
	}
	path, _ := astutil.PathEnclosingInterval(f, pos, pos)
	for _, n := range path {
		switch n := n.(type) {
		case *ast.IncDecStmt:
			return n, n.X
		case *ast.AssignStmt:
			if len(n.Lhs) == 1 && len(n.Rhs) == 1 && n.Tok != token.DEFINE {
				return n, n.Lhs[0]
			}
			return nil, nil
		case ast.Stmt, *ast.FuncLit:
			return nil, nil // the operation is part of another statement
		}
	}
	return nil, nil
}
