// Command leakoracle scores leakedgoroutine against the Go team's goroutine
// leak oracle, $(go env GOROOT)/src/runtime/testdata/testgoroutineleakprofile:
// the GoKer kernels of real bugs (goker/*.go) and the common leak patterns
// (commonpatterns.go). bench/leakoracle runs it; see there.
//
//	leakoracle -futlint BIN [-work DIR] [-o FILE]
//
// The expected leaks are read from runtime/goroutineleakprofile_test.go:
// each is a regular expression naming the function a leaked goroutine
// started in and what it blocks on ("Cockroach1055\.func2\(.* \[chan
// receive\]"). A finding matches an expected goroutine when it is at a go
// statement that starts the named function, or inside that function's own
// body (its blocking operation), nested closures excluded, or in a function
// it calls synchronously (up to four calls deep), or at a call of a function
// whose go statement starts it (up to four calls deep). Calls are static
// calls and, as the VTA call graph of the whole program resolves them,
// interface method calls (to the oracle's implementations), calls of
// function values (a handler stored in a slice field and called by a
// loop), and a std function's calls back into the interface values and
// functions it is passed (io.ReadFull(r, p) runs r's Read); std frames in
// between are not counted. A kernel or pattern is found when at least one
// of its expected goroutines (flaky ones included: they are real leaks) is
// matched. Matching is by function: a finding about a goroutine matches
// every expected leak of that function, whatever it blocks on.
//
// Kernels are grouped by what their expected goroutines block on: channel
// only (chan send, chan receive, select), mixed, and lock only
// (sync.Mutex, RWMutex, WaitGroup, Cond). Findings that match no expected
// goroutine are listed for precision review.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/callgraph/cha"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

type leak struct {
	re     *regexp.Regexp
	name   *regexp.Regexp // the function part, before " ["
	reason string         // what it blocks on
	flaky  bool
}

type tcase struct {
	name  string
	group string // goker or patterns
	leaks []leak
}

func (t *tcase) kind() string {
	ch, lk := false, false
	for _, l := range t.leaks {
		if isChan(l.reason) {
			ch = true
		} else {
			lk = true
		}
	}
	switch {
	case t.group == "patterns":
		return "patterns"
	case ch && lk:
		return "mixed"
	case ch:
		return "channel-only"
	default:
		return "lock-only"
	}
}

func isChan(reason string) bool {
	return strings.HasPrefix(reason, "chan ") || strings.HasPrefix(reason, "select")
}

type finding struct {
	file    string // relative to the work module
	line    int
	col     int
	message string
}

func (f finding) grade() int {
	if strings.HasPrefix(f.message, "goroutine leaks") {
		return 1
	}
	return 2
}

func main() {
	bin := flag.String("futlint", "", "futlint binary")
	work := flag.String("work", "", "work directory (default: a temporary one)")
	out := flag.String("o", "", "write the report here (default stdout)")
	flag.Parse()
	if *bin == "" {
		fatal(fmt.Errorf("-futlint is required"))
	}
	root := filepath.Join(runtime.GOROOT(), "src", "runtime")
	if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		root = filepath.Join(strings.TrimSpace(string(out)), "src", "runtime")
	}
	cases, err := readCases(filepath.Join(root, "goroutineleakprofile_test.go"))
	if err != nil {
		fatal(err)
	}
	dir := *work
	if dir == "" {
		dir, err = os.MkdirTemp("", "leakoracle")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	if err := prepare(filepath.Join(root, "testdata", "testgoroutineleakprofile"), dir); err != nil {
		fatal(err)
	}
	funcs, err := loadFuncs(dir)
	if err != nil {
		fatal(err)
	}
	allFuncs = funcs
	var w bytes.Buffer
	fmt.Fprintf(&w, "# leakedgoroutine on the Go team's goroutine leak oracle\n\n")
	fmt.Fprintf(&w, "Produced by `bench/leakoracle` from `%s` (%s). ", "runtime/testdata/testgoroutineleakprofile", goVersion())
	fmt.Fprintf(&w, "A kernel or pattern counts as found when a finding is about one of its expected leaked goroutines: at the `go` statement that starts it (go), in its function's own body (body) or in a function it calls synchronously up to four calls deep (callee: the blocking operation; static calls, interface method calls and function values as the VTA call graph resolves them, and a std function's calls back into the interfaces and functions it is passed, as io.ReadFull runs its reader's Read), or at a call of a function whose `go` statement starts it (spawn: a constructor or Start method). Expected goroutines are those of `runtime/goroutineleakprofile_test.go`, flaky ones included; lock-only kernels are out of scope for leakedgoroutine (it has no lock rule).\n\n")
	for _, mode := range []struct{ title, flag string }{
		{"-leakedgoroutine.strict=false (certain leaks only)", "-leakedgoroutine.strict=false"},
		{"default (strict: unjoined goroutines too)", "-leakedgoroutine.strict=true"},
	} {
		fs, err := runFutlint(*bin, dir, mode.flag)
		if err != nil {
			fatal(err)
		}
		score(&w, mode.title, cases, funcs, fs, mode.flag == "-leakedgoroutine.strict=false")
	}
	if *out == "" {
		os.Stdout.Write(w.Bytes())
	} else if err := os.WriteFile(*out, w.Bytes(), 0o666); err != nil {
		fatal(err)
	}
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

// readCases extracts the pattern and GoKer test cases.
func readCases(file string) ([]*tcase, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		return nil, err
	}
	var cases []*tcase
	ast.Inspect(f, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return true
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return true
		}
		group := map[string]string{"patternTestCases": "patterns", "gokerTestCases": "goker"}[id.Name]
		if group == "" {
			return true
		}
		ast.Inspect(as.Rhs[0], func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "makeTest" && fn.Name != "makeFlakyTest") || len(call.Args) == 0 {
				return true
			}
			var strs []string
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return false
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return false
				}
				strs = append(strs, s)
			}
			tc := &tcase{name: strs[0], group: group}
			for _, s := range strs[1:] {
				i := strings.LastIndex(s, ` \[`)
				if i < 0 {
					continue
				}
				reason := strings.TrimSuffix(s[i+3:], `\]`)
				reason = strings.ReplaceAll(reason, `\`, "")
				tc.leaks = append(tc.leaks, leak{
					re:     regexp.MustCompile(s),
					name:   regexp.MustCompile(strings.TrimSuffix(s[:i], ".*")),
					reason: reason,
					flaky:  fn.Name == "makeFlakyTest",
				})
			}
			cases = append(cases, tc)
			return false
		})
		return false
	})
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no test cases found", file)
	}
	return cases, nil
}

// prepare copies the oracle's programs into a module in dir: goker/ and
// patterns/ (commonpatterns.go with the main.go that registers them).
func prepare(src, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "goker"), 0o777); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "patterns"), 0o777); err != nil {
		return err
	}
	copyFile := func(from, to string) error {
		data, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o666)
	}
	ents, err := os.ReadDir(filepath.Join(src, "goker"))
	if err != nil {
		return err
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".go") {
			if err := copyFile(filepath.Join(src, "goker", e.Name()), filepath.Join(dir, "goker", e.Name())); err != nil {
				return err
			}
		}
	}
	for _, name := range []string{"commonpatterns.go", "main.go"} {
		if err := copyFile(filepath.Join(src, name), filepath.Join(dir, "patterns", name)); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module leakoracle\n\ngo 1.26\n"), 0o666)
}

// fnInfo is one function of the oracle's programs.
type fnInfo struct {
	name       string // as the runtime prints it, without "main."
	file       string // relative to the work module
	start, end token.Position
	nested     []*fnInfo
	gos        []token.Position // go statements starting it
	callees    []*fnInfo        // functions it calls synchronously (static calls)
	spawns     []*fnInfo        // functions its go statements start
	calls      []token.Position // static calls of it
}

// loadFuncs names every function of the oracle's programs as the runtime
// does, with the go statements that start each.
func loadFuncs(dir string) ([]*fnInfo, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=")}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, err
	}
	prog, ssaPkgs := ssautil.AllPackages(pkgs, ssa.InstantiateGenerics)
	prog.Build()
	infos := make(map[*ssa.Function]*fnInfo)
	var all []*fnInfo
	var visit func(fn *ssa.Function, name string)
	visit = func(fn *ssa.Function, name string) {
		if fn.Syntax() == nil {
			return
		}
		start, end := prog.Fset.Position(fn.Syntax().Pos()), prog.Fset.Position(fn.Syntax().End())
		rel, _ := filepath.Rel(dir, start.Filename)
		fi := &fnInfo{name: name, file: rel, start: start, end: end}
		infos[fn] = fi
		all = append(all, fi)
		for i, anon := range fn.AnonFuncs {
			sub := fmt.Sprintf("%s.%d", name, i+1)
			if fn.Parent() == nil {
				sub = fmt.Sprintf("%s.func%d", name, i+1)
			}
			visit(anon, sub)
			if a := infos[anon]; a != nil {
				fi.nested = append(fi.nested, a)
			}
		}
	}
	for _, p := range ssaPkgs {
		if p == nil {
			continue
		}
		for _, m := range p.Members {
			switch m := m.(type) {
			case *ssa.Function:
				visit(m, m.Name())
			case *ssa.Type:
				for _, recv := range []bool{false, true} {
					t := m.Type()
					if recv {
						t = types.NewPointer(t)
					}
					ms := prog.MethodSets.MethodSet(t)
					for i := range ms.Len() {
						fn := prog.MethodValue(ms.At(i))
						if fn == nil || fn.Synthetic != "" || infos[fn] != nil {
							continue
						}
						name := m.Name() + "." + fn.Name()
						if recv {
							name = "(*" + m.Name() + ")." + fn.Name()
						}
						visit(fn, name)
					}
				}
			}
		}
	}
	dyn := dynamicCallees(prog, infos)
	for fn, caller := range infos {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				var callee *ssa.Function
				switch v := call.Common().Value.(type) {
				case *ssa.MakeClosure:
					callee, _ = v.Fn.(*ssa.Function)
				default:
					callee = call.Common().StaticCallee()
				}
				p := prog.Fset.Position(instr.Pos())
				p.Filename, _ = filepath.Rel(dir, p.Filename)
				if _, ok := instr.(*ssa.Go); ok {
					if fi := infos[callee]; fi != nil {
						fi.gos = append(fi.gos, p)
						caller.spawns = append(caller.spawns, fi)
					}
					continue
				}
				var fis []*fnInfo
				if fi := infos[callee]; fi != nil {
					fis = append(fis, fi)
				} else {
					fis = dyn(call)
				}
				for _, fi := range fis {
					fi.calls = append(fi.calls, p)
					caller.callees = append(caller.callees, fi)
				}
			}
		}
	}
	return all, nil
}

// dynamicCallees returns, for a call whose callee is not one of the oracle's
// own functions, the oracle's functions it runs on the calling goroutine, as
// the VTA call graph of the whole program (std included) resolves them: an
// interface method call's implementations and a function value's functions;
// and for a call of a std function, the oracle's methods of the interfaces
// it is passed and the oracle's functions it is passed as values that the
// std function calls (io.ReadFull(r, p) runs r's Read). Other oracle
// functions std reaches (an Error method through some error value) are not
// the callbacks of this call, and calls made by go statements are never
// followed.
func dynamicCallees(prog *ssa.Program, infos map[*ssa.Function]*fnInfo) func(ssa.CallInstruction) []*fnInfo {
	cg := vta.CallGraph(ssautil.AllFunctions(prog), cha.CallGraph(prog))
	through := make(map[*ssa.Function][]*ssa.Function) // a std function -> the oracle functions it calls, memoised
	reach := func(start *ssa.Function) []*ssa.Function {
		if r, ok := through[start]; ok {
			return r
		}
		var found []*ssa.Function
		seen := map[*ssa.Function]bool{start: true}
		stack := []*ssa.Function{start}
		for len(stack) > 0 {
			fn := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			node := cg.Nodes[fn]
			if node == nil {
				continue
			}
			for _, e := range node.Out {
				if _, isGo := e.Site.(*ssa.Go); isGo || seen[e.Callee.Func] {
					continue
				}
				seen[e.Callee.Func] = true
				if infos[e.Callee.Func] != nil {
					found = append(found, e.Callee.Func)
				} else {
					stack = append(stack, e.Callee.Func)
				}
			}
		}
		through[start] = found
		return found
	}
	// passed reports whether fn is a callback the call hands over: a method
	// of an interface-typed argument's interface, or a function argument.
	passed := func(call ssa.CallInstruction, fn *ssa.Function) bool {
		for _, a := range call.Common().Args {
			if iface, ok := a.Type().Underlying().(*types.Interface); ok && fn.Signature.Recv() != nil {
				recv := fn.Signature.Recv().Type()
				if m, _, _ := types.LookupFieldOrMethod(iface, false, fn.Pkg.Pkg, fn.Name()); m != nil && types.Implements(recv, iface) {
					return true
				}
			}
			if f, _ := a.(*ssa.Function); f == fn {
				return true
			}
			if mc, _ := a.(*ssa.MakeClosure); mc != nil && mc.Fn == fn {
				return true
			}
		}
		return false
	}
	return func(call ssa.CallInstruction) []*fnInfo {
		node := cg.Nodes[call.Parent()]
		if node == nil {
			return nil
		}
		var fis []*fnInfo
		for _, e := range node.Out {
			if e.Site != call {
				continue
			}
			if fi := infos[e.Callee.Func]; fi != nil {
				fis = append(fis, fi)
				continue
			}
			for _, fn := range reach(e.Callee.Func) {
				if passed(call, fn) {
					fis = append(fis, infos[fn])
				}
			}
		}
		return fis
	}
}

var textFinding = regexp.MustCompile(`^(.+\.go):(\d+):(\d+): leakedgoroutine: (.*)$`)

func runFutlint(bin, dir, flagArg string) ([]finding, error) {
	cmd := exec.Command(bin, "-leakedgoroutine", flagArg, "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("futlint: %v\n%s", err, stderr.String())
	}
	var fs []finding
	sc := bufio.NewScanner(io.MultiReader(&stdout, &stderr))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := textFinding.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		file := m[1]
		if filepath.IsAbs(file) {
			file, _ = filepath.Rel(dir, file)
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		fs = append(fs, finding{file: file, line: line, col: col, message: m[4]})
	}
	return fs, sc.Err()
}

func within(p token.Position, fi *fnInfo) bool {
	after := p.Line > fi.start.Line || p.Line == fi.start.Line && p.Column >= fi.start.Column
	before := p.Line < fi.end.Line || p.Line == fi.end.Line && p.Column < fi.end.Column
	return after && before
}

// maxDepth bounds the synchronous calls followed from a goroutine's function
// to its blocking operation, and from a call to the go statement it runs.
// Four: Istio16224's Run reaches its blocking send through an interface
// method, two helpers and a registered handler.
const maxDepth = 4

// How a finding matches an expected goroutine.
const (
	noMatch  = ""
	atGo     = "go"     // at the go statement starting it
	inBody   = "body"   // in its function's own body
	inCallee = "callee" // in a function it calls (its blocking operation)
	atSpawn  = "spawn"  // at a call of a function whose go statement starts it
)

// matches reports how finding f is about a goroutine running fi.
func matches(f finding, fi *fnInfo) string {
	p := token.Position{Filename: f.file, Line: f.line, Column: f.col}
	for _, g := range fi.gos {
		if g.Filename == f.file && g.Line == f.line && g.Column == f.col {
			return atGo
		}
	}
	if inOwnBody(p, fi) {
		return inBody
	}
	seen := map[*fnInfo]bool{fi: true}
	level := []*fnInfo{fi}
	for range maxDepth {
		var next []*fnInfo
		for _, x := range level {
			for _, c := range x.callees {
				if !seen[c] {
					seen[c] = true
					if inOwnBody(p, c) {
						return inCallee
					}
					next = append(next, c)
				}
			}
		}
		level = next
	}
	// A call that starts it: a call of a function whose go statement (or
	// whose callee's, up to maxDepth) starts fi, on the finding's line.
	starters := map[*fnInfo]bool{}
	level = nil
	for _, x := range allFuncs {
		if slices.Contains(x.spawns, fi) {
			starters[x] = true
			level = append(level, x)
		}
	}
	for range maxDepth {
		for _, x := range level {
			for _, c := range x.calls {
				if c.Filename == f.file && c.Line == f.line {
					return atSpawn
				}
			}
		}
		var next []*fnInfo
		for _, y := range allFuncs {
			if starters[y] {
				continue
			}
			for _, x := range level {
				if slices.Contains(y.callees, x) {
					starters[y] = true
					next = append(next, y)
					break
				}
			}
		}
		level = next
	}
	return noMatch
}

var allFuncs []*fnInfo

func inOwnBody(p token.Position, fi *fnInfo) bool {
	if p.Filename != fi.file || !within(p, fi) {
		return false
	}
	for _, n := range fi.nested {
		if within(p, n) {
			return false
		}
	}
	return true
}

type result struct {
	tc      *tcase
	matched map[int][]finding // expected leak index -> findings
	how     map[finding]string
}

func score(w io.Writer, title string, cases []*tcase, funcs []*fnInfo, fs []finding, detail bool) {
	used := make(map[int]bool)
	var results []result
	for _, tc := range cases {
		r := result{tc: tc, matched: make(map[int][]finding), how: make(map[finding]string)}
		dirOf := "goker/"
		if tc.group == "patterns" {
			dirOf = "patterns/"
		}
		for li, l := range tc.leaks {
			for _, fi := range funcs {
				if !strings.HasPrefix(fi.file, dirOf) || !l.name.MatchString(fi.name+"(") {
					continue
				}
				for i, f := range fs {
					if how := matches(f, fi); how != noMatch {
						r.matched[li] = append(r.matched[li], f)
						r.how[f] = how
						used[i] = true
					}
				}
			}
		}
		results = append(results, r)
	}
	kinds := []string{"channel-only", "mixed", "lock-only", "patterns"}
	type tally struct{ n, found, found1, gor, gorFound int }
	tallies := make(map[string]*tally)
	for _, k := range kinds {
		tallies[k] = new(tally)
	}
	for _, r := range results {
		t := tallies[r.tc.kind()]
		t.n++
		found, found1 := false, false
		for li := range r.tc.leaks {
			t.gor++
			if len(r.matched[li]) > 0 {
				t.gorFound++
				found = true
				for _, f := range r.matched[li] {
					if f.grade() == 1 {
						found1 = true
					}
				}
			}
		}
		if found {
			t.found++
		}
		if found1 {
			t.found1++
		}
	}
	fmt.Fprintf(w, "## %s\n\n", title)
	fmt.Fprintf(w, "| group | cases | found | found by a grade-1 finding | expected goroutines matched |\n|---|---|---|---|---|\n")
	var chN, chF, chF1 int
	for _, k := range kinds {
		t := tallies[k]
		fmt.Fprintf(w, "| %s | %d | %d (%s) | %d | %d of %d |\n", k, t.n, t.found, pct(t.found, t.n), t.found1, t.gorFound, t.gor)
		if k == "channel-only" || k == "mixed" {
			chN += t.n
			chF += t.found
			chF1 += t.found1
		}
	}
	fmt.Fprintf(w, "| **channel kernels** (channel-only + mixed) | %d | %d (%s) | %d | |\n\n", chN, chF, pct(chF, chN), chF1)
	g1, g2 := 0, 0
	for _, f := range fs {
		if f.grade() == 1 {
			g1++
		} else {
			g2++
		}
	}
	un1, un2 := 0, 0
	for i, f := range fs {
		if !used[i] {
			if f.grade() == 1 {
				un1++
			} else {
				un2++
			}
		}
	}
	fmt.Fprintf(w, "Findings: %d grade 1, %d grade 2; matching no expected goroutine: %d grade 1, %d grade 2.\n\n", g1, g2, un1, un2)
	if !detail {
		return
	}
	fmt.Fprintf(w, "### Per case\n\n| case | group | expected goroutines (found: ✓) | findings matched |\n|---|---|---|---|\n")
	sort.SliceStable(results, func(i, j int) bool {
		return slices.Index(kinds, results[i].tc.kind()) < slices.Index(kinds, results[j].tc.kind())
	})
	for _, r := range results {
		var exp, got []string
		for li, l := range r.tc.leaks {
			mark := "✗"
			if len(r.matched[li]) > 0 {
				mark = "✓"
			}
			name := strings.TrimSuffix(strings.ReplaceAll(l.name.String(), `\`, ""), "(")
			exp = append(exp, fmt.Sprintf("%s `%s` [%s]", mark, name, l.reason))
			for _, f := range r.matched[li] {
				s := fmt.Sprintf("%s:%d (grade %d, %s)", f.file, f.line, f.grade(), r.how[f])
				if !slices.Contains(got, s) {
					got = append(got, s)
				}
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.tc.name, r.tc.kind(), strings.Join(exp, "<br>"), strings.Join(got, "<br>"))
	}
	fmt.Fprintf(w, "\n### Findings matching no expected goroutine (precision review)\n\n")
	n := 0
	for i, f := range fs {
		if !used[i] {
			n++
			fmt.Fprintf(w, "- `%s:%d`: %s\n", f.file, f.line, strings.ReplaceAll(f.message, "|", `\|`))
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "none\n")
	}
	fmt.Fprintln(w)
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%d%%", a*100/b)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "leakoracle:", err)
	os.Exit(1)
}
