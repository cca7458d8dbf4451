package unlockedinc

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/concurrency"
)

// atomicFns maps the fixed-size integer types to their sync/atomic adder.
var atomicFns = map[types.BasicKind]string{
	types.Int32: "AddInt32", types.Int64: "AddInt64",
	types.Uint32: "AddUint32", types.Uint64: "AddUint64", types.Uintptr: "AddUintptr",
}

// atomicFix rewrites x++, x--, x += n and x -= n on a variable of a
// fixed-size integer type into the sync/atomic call, when every other
// write of the variable in the package is such an update.
func (c *checker) atomicFix(u *update) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	if u.isMap || (u.op != token.ADD && u.op != token.SUB) {
		return none, false
	}
	basic, ok := types.Unalias(c.pass.TypesInfo.TypeOf(u.lhs)).(*types.Basic)
	if !ok {
		return none, false
	}
	adder, ok := atomicFns[basic.Kind()]
	if !ok {
		return none, false
	}
	signed := basic.Info()&types.IsUnsigned == 0
	var delta string
	switch s := u.stmt.(type) {
	case *ast.IncDecStmt:
		switch {
		case s.Tok == token.INC:
			delta = "1"
		case signed:
			delta = "-1"
		default:
			delta = "^" + basic.Name() + "(0)"
		}
	case *ast.AssignStmt:
		switch {
		case s.Tok == token.ADD_ASSIGN:
			delta = c.src(s.Rhs[0])
		case s.Tok == token.SUB_ASSIGN && signed:
			delta = "-(" + c.src(s.Rhs[0]) + ")"
			if _, ok := s.Rhs[0].(*ast.BasicLit); ok {
				delta = "-" + c.src(s.Rhs[0])
			}
		default:
			return none, false
		}
	}
	if delta == "" || c.hasPlainStore(u) || c.guardsOthers(u) {
		return none, false
	}
	addr := "&" + c.src(u.lhs)
	if star, ok := ast.Unparen(u.lhs).(*ast.StarExpr); ok {
		addr = c.src(star.X)
	}
	file := c.fileOf(u.stmt.Pos())
	if file == nil {
		return none, false
	}
	name, edits, ok := c.atomicImport(file, u.stmt.Pos())
	if !ok {
		return none, false
	}
	call := fmt.Sprintf("%s.%s(%s, %s)", name, adder, addr, delta)
	edits = append([]analysis.TextEdit{{Pos: u.stmt.Pos(), End: u.stmt.End(), NewText: []byte(call)}}, edits...)
	return analysis.SuggestedFix{Message: "Use " + call, TextEdits: edits}, true
}

// hasPlainStore reports whether the variable u updates is also written
// by a plain assignment (outside init): making the updates atomic would
// leave that write racing.
func (c *checker) hasPlainStore(u *update) bool {
	if fieldKey(u.path) == "" && u.path.Root() == nil {
		return true
	}
	for _, fn := range c.funcs {
		if strings.HasPrefix(fn.Name(), "init") && fn.Parent() == nil && fn.Signature.Recv() == nil {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok || !samePath(c.m.PathOf(fn, st.Addr), u.path) {
					continue
				}
				additive := false
				for _, v := range c.updates[fn] {
					if v.instr == instr && isAdditive(v) {
						additive = true
					}
				}
				if !additive {
					return true
				}
			}
		}
	}
	return false
}

// samePath reports whether p and q name the same variable or field: by
// type from the last pointer, or from the same root.
func samePath(p, q concurrency.Path) bool {
	if kp, kq := fieldKey(p), fieldKey(q); kp != "" || kq != "" {
		return kp == kq
	}
	return sameRoot(p, q) && slices.Equal(p.Steps, q.Steps)
}

// guardsOthers reports whether a mutex guards other fields of the struct
// holding the field u updates: the fix is to hold it, not atomics.
func (c *checker) guardsOthers(u *update) bool {
	k := fieldKey(u.path)
	i := strings.LastIndexByte(k, '.')
	if i < 0 {
		return false
	}
	for key, t := range c.guards.prod {
		if t.seen && t.locked >= t.unlocked && strings.HasPrefix(key, k[:i+1]) && !strings.Contains(key[i+1:], ".") {
			return true
		}
	}
	return false
}

// atomicImport returns the name under which file can refer to sync/atomic,
// and the edit adding the import if it is missing.
func (c *checker) atomicImport(file *ast.File, at token.Pos) (string, []analysis.TextEdit, bool) {
	for _, spec := range file.Imports {
		if path, _ := strconv.Unquote(spec.Path.Value); path == "sync/atomic" {
			if spec.Name == nil {
				return "atomic", nil, true
			}
			if spec.Name.Name == "_" || spec.Name.Name == "." {
				return "", nil, false
			}
			return spec.Name.Name, nil, true
		}
	}
	// The name must be free where the fix is inserted.
	if scope := c.pass.TypesInfo.Scopes[file]; scope != nil {
		if _, obj := scope.Innermost(at).LookupParent("atomic", at); obj != nil {
			return "", nil, false
		}
	}
	const spec = `"sync/atomic"`
	var decl *ast.GenDecl
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			decl = g
			break
		}
	}
	switch {
	case decl == nil:
		return "atomic", []analysis.TextEdit{{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport " + spec)}}, true
	case !decl.Lparen.IsValid():
		return "atomic", []analysis.TextEdit{{Pos: decl.End(), End: decl.End(), NewText: []byte("\nimport " + spec)}}, true
	}
	for _, s := range decl.Specs {
		is := s.(*ast.ImportSpec)
		if is.Path.Value > spec {
			return "atomic", []analysis.TextEdit{{Pos: is.Pos(), End: is.Pos(), NewText: []byte(spec + "\n\t")}}, true
		}
	}
	last := decl.Specs[len(decl.Specs)-1]
	return "atomic", []analysis.TextEdit{{Pos: last.End(), End: last.End(), NewText: []byte("\n\t" + spec)}}, true
}

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// src returns the source text of n.
func (c *checker) src(n ast.Node) string {
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil {
		return types.ExprString(n.(ast.Expr))
	}
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil || tf.Offset(n.End()) > len(content) {
		if e, ok := n.(ast.Expr); ok {
			return types.ExprString(e)
		}
		return ""
	}
	return string(content[tf.Offset(n.Pos()):tf.Offset(n.End())])
}

// isAdditive reports whether u is x++, x--, x += n or x -= n.
func isAdditive(u *update) bool {
	switch s := u.stmt.(type) {
	case *ast.IncDecStmt:
		return true
	case *ast.AssignStmt:
		return s.Tok == token.ADD_ASSIGN || s.Tok == token.SUB_ASSIGN
	}
	return false
}
