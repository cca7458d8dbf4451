package uncheckedcancel

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/calls"
)

// suggestFix returns a fix for the loop l of fn: a Done case added to the
// select that is a statement of the loop's body, or else a ctx.Err check
// at the top of the body; each returns from fn. There is none when the
// context has no name usable in the loop or a result has no writable zero
// value.
func suggestFix(pass *analysis.Pass, fn *ssa.Function, l *loop, srcs []source) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	body := l.body()
	if body == nil || pass.ReadFile == nil {
		return none, false
	}
	file := fileOf(pass, body.Pos())
	if file == nil {
		return none, false
	}
	var src source
	for _, s := range srcs {
		if s.expr != "" && resolves(pass, s, body.Lbrace+1) {
			src = s
			break
		}
	}
	if src.expr == "" {
		return none, false
	}
	if _, ok := returnHint(fn.Signature, src.expr); !ok {
		// Returning zero values would change what the function means
		// (false may say "handed over", 0 "nothing to do"): the message
		// asks the author to decide.
		return none, false
	}
	tf := pass.Fset.File(body.Pos())
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return none, false
	}

	if sel := selectStmt(body); sel != nil && len(sel.Body.List) > 0 {
		first := sel.Body.List[0]
		vals, ok := returnValues(fn.Signature, file, pass.Pkg, src.expr+".Err()")
		if !ok {
			return none, false
		}
		indent := indentation(content, tf.Offset(first.Pos()))
		text := "case <-" + src.expr + ".Done():\n" + indent + "\treturn" + vals + "\n" + indent
		return analysis.SuggestedFix{
			Message:   "Add a case <-" + src.expr + ".Done() that returns",
			TextEdits: []analysis.TextEdit{{Pos: first.Pos(), End: first.Pos(), NewText: []byte(text)}},
		}, true
	}

	check := "if " + src.expr + ".Err() != nil {"
	vals, ok := returnValues(fn.Signature, file, pass.Pkg, "")
	if hasErrorResult(fn.Signature) {
		check = "if err := " + src.expr + ".Err(); err != nil {"
		vals, ok = returnValues(fn.Signature, file, pass.Pkg, "err")
	}
	if !ok {
		return none, false
	}
	indent := indentation(content, tf.Offset(l.stmt.Pos())) + "\t"
	text := "\n" + indent + check + "\n" + indent + "\treturn" + vals + "\n" + indent + "}"
	// After the line of the brace, past any comment on it, unless a
	// statement follows the brace on that line.
	at := body.Lbrace + 1
	if nl := bytes.IndexByte(content[tf.Offset(at):], '\n'); nl >= 0 {
		end := at + token.Pos(nl)
		if len(body.List) == 0 || body.List[0].Pos() > end {
			at = end
		}
	}
	return analysis.SuggestedFix{
		Message:   "Return when " + src.expr + " is cancelled",
		TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte(text)}},
	}, true
}

// selectStmt returns the only select statement among the statements of
// body, or nil.
func selectStmt(body *ast.BlockStmt) *ast.SelectStmt {
	var found *ast.SelectStmt
	for _, s := range body.List {
		if sel, ok := s.(*ast.SelectStmt); ok {
			if found != nil {
				return nil
			}
			found = sel
		}
	}
	return found
}

// resolves reports whether the variable a source's expression starts with
// means, at pos, what it means for the function: it is not shadowed.
func resolves(pass *analysis.Pass, s source, pos token.Pos) bool {
	name := s.expr
	if i := strings.IndexAny(name, ".("); i >= 0 {
		name = name[:i]
	}
	scope := pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return false
	}
	_, obj := scope.LookupParent(name, pos)
	if obj == nil {
		return false
	}
	if s.obj != nil {
		return obj == s.obj
	}
	_, isVar := obj.(*types.Var)
	return isVar
}

func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// indentation returns the leading white space of the line holding offset.
func indentation(content []byte, offset int) string {
	if offset > len(content) {
		return ""
	}
	start := bytes.LastIndexByte(content[:offset], '\n') + 1
	end := start
	for end < len(content) && (content[end] == '\t' || content[end] == ' ') {
		end++
	}
	return string(content[start:end])
}

// returnHint describes the return statement that stops a loop of a
// function with signature sig when ctx is cancelled, and reports whether
// there is one that cannot change what the function means on its other
// paths: none for a function without results, ctx.Err() for a final
// error result with zero values before it. Other results need the
// author's choice.
func returnHint(sig *types.Signature, ctx string) (string, bool) {
	res := sig.Results()
	switch {
	case res.Len() == 0:
		return "return", true
	case !hasErrorResult(sig):
		return "", false
	case res.Len() == 1:
		return "return " + ctx + ".Err()", true
	}
	return "return " + ctx + ".Err() with zero values", true
}

// resultsDesc names a signature's result types for a message: "bool",
// "(int, bool)".
func resultsDesc(sig *types.Signature) string {
	res := sig.Results()
	qual := func(p *types.Package) string { return p.Name() }
	if res.Len() == 1 {
		return types.TypeString(res.At(0).Type(), qual)
	}
	parts := make([]string, res.Len())
	for i := range res.Len() {
		parts[i] = types.TypeString(res.At(i).Type(), qual)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func hasErrorResult(sig *types.Signature) bool {
	res := sig.Results()
	return res.Len() > 0 && isError(res.At(res.Len()-1).Type())
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// returnValues returns the operands of a return statement, with a leading
// space: zero values, and errExpr for a final error result. It fails when a
// zero value cannot be written in file.
func returnValues(sig *types.Signature, file *ast.File, pkg *types.Package, errExpr string) (string, bool) {
	res := sig.Results()
	if res.Len() == 0 {
		return "", true
	}
	qual, ok := qualifier(file, pkg)
	if !ok {
		return "", false
	}
	vals := make([]string, res.Len())
	for i := range res.Len() {
		t := res.At(i).Type()
		if i == res.Len()-1 && isError(t) && errExpr != "" {
			vals[i] = errExpr
			continue
		}
		z, ok := zeroValue(t, qual)
		if !ok {
			return "", false
		}
		vals[i] = z
	}
	return " " + strings.Join(vals, ", "), true
}

// qualifier names packages as file imports them; ok is false if a
// dot import makes that ambiguous.
func qualifier(file *ast.File, pkg *types.Package) (func(*types.Package) string, bool) {
	names := map[string]string{}
	for _, imp := range file.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		name := ""
		if imp.Name != nil {
			name = imp.Name.Name
			if name == "." {
				return nil, false
			}
		} else {
			for _, p := range pkg.Imports() {
				if calls.PkgPath(p) == path {
					name = p.Name()
				}
			}
		}
		names[path] = name
	}
	return func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		if n := names[calls.PkgPath(p)]; n != "" && n != "_" {
			return n
		}
		return "\x00" // marks a package the file does not import
	}, true
}

// zeroValue returns how to write the zero value of t.
func zeroValue(t types.Type, qual func(*types.Package) string) (string, bool) {
	var z string
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			z = "false"
		case u.Info()&types.IsNumeric != 0:
			z = "0"
		case u.Info()&types.IsString != 0:
			z = `""`
		case u.Kind() == types.UnsafePointer:
			z = "nil"
		default:
			return "", false
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature:
		z = "nil"
	case *types.Interface:
		if _, isParam := types.Unalias(t).(*types.TypeParam); isParam {
			z = "*new(" + types.TypeString(t, qual) + ")"
		} else {
			z = "nil"
		}
	case *types.Struct, *types.Array:
		z = types.TypeString(t, qual) + "{}"
	default:
		return "", false
	}
	if strings.Contains(z, "\x00") {
		return "", false
	}
	return z, true
}
