// Package directive parses the comments that suppress futlint findings and
// reports the malformed ones.
//
// go vet has no suppression mechanism of its own, so suppression lives
// inside the analyzers: every pass reports through [report.Reporter], which
// consults the [Result] computed here once per package.
//
// Recognised forms:
//
//	//futlint:ignore unlockedinc,leakedgoroutine reason why this is safe
//	//futlint:file-ignore uncheckedcancel reason
//	//nolint                      (golangci-lint: every linter)
//	//nolint:futlint              (golangci-lint: the futlint plugin)
//	//nolint:unlockedinc,gosec    (names of other linters are ignored)
//
// //nolint comments are read as golangci-lint reads them (a space after
// "//" is allowed, names are separated by commas, "//" starts an
// explanation), so one comment means the same under every driver.
//
// An ignore directive covers its own line and the line below it; a nolint
// directive on a line of its own covers the whole statement or declaration
// that starts on the next line, as golangci-lint does.
package directive

import (
	"go/ast"
	"go/token"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
)

// Known lists every analyzer name a directive may name. A test in
// internal/analyzers checks that it matches the registered analyzers.
var Known = []string{"leakedgoroutine", "uncheckedcancel", "unlockedinc"}

// Kind is the form of a directive.
type Kind int

const (
	Ignore     Kind = iota // //futlint:ignore
	FileIgnore             // //futlint:file-ignore
	NoLint                 // //nolint[:...]
)

func (k Kind) String() string {
	switch k {
	case Ignore:
		return "futlint:ignore"
	case FileIgnore:
		return "futlint:file-ignore"
	}
	return "nolint"
}

// A Directive is one suppression comment.
type Directive struct {
	Kind      Kind
	Pos       token.Pos // the comment's "//"
	File      string    // file name, as token.Position reports it
	FromLine  int       // first line covered (FileIgnore: whole file)
	ToLine    int       // last line covered
	Analyzers []string  // nil: every futlint analyzer
	Reason    string
}

// Covers reports whether the directive suppresses a finding of the named
// analyzer at posn.
func (d *Directive) Covers(analyzer string, posn token.Position) bool {
	if posn.Filename != d.File {
		return false
	}
	if d.Analyzers != nil && !slices.Contains(d.Analyzers, analyzer) {
		return false
	}
	return d.Kind == FileIgnore || (d.FromLine <= posn.Line && posn.Line <= d.ToLine)
}

// Names reports whether the directive names the analyzer explicitly.
func (d *Directive) Names(analyzer string) bool {
	return slices.Contains(d.Analyzers, analyzer)
}

// Result is the set of directives of one package.
type Result struct {
	Directives []*Directive
}

// Analyzer parses the directives of a package and reports malformed
// futlint directives: a missing reason, a missing or unknown analyzer name.
// Every futlint pass requires it, so it runs once per package.
var Analyzer = &analysis.Analyzer{
	Name: "futlintdirective",
	Doc: `check //futlint:ignore and //futlint:file-ignore directives

A futlint directive must name the analyzers it silences and say why:

	//futlint:ignore unlockedinc counter is only read after wg.Wait

A directive without a reason, or naming an analyzer futlint does not have,
is reported here. A directive that silences nothing is reported by the
analyzer it names.`,
	URL:              "https://github.com/futlint/futlint#suppressing-findings",
	Run:              run,
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*Result](),
}

// honourNoLintAll is the -futlintdirective.nolint flag. Inside
// golangci-lint the plugin turns it off: golangci-lint applies //nolint,
// //nolint:all and //nolint:futlint to futlint's findings itself, and if
// futlint silenced them first, golangci-lint's nolintlint would report
// those comments as unused. //nolint:NAME naming a futlint analyzer is
// always honoured: golangci-lint knows only the linter name futlint.
var honourNoLintAll = true

func init() {
	Analyzer.Flags.BoolVar(&honourNoLintAll, "nolint", true,
		"honour //nolint, //nolint:all and //nolint:futlint (the golangci-lint plugin leaves them to golangci-lint)")
}

func run(pass *analysis.Pass) (any, error) {
	res := new(Result)
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.Pos())
		if tf == nil {
			continue
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if d := parse(pass, f, tf, c); d != nil {
					res.Directives = append(res.Directives, d)
				}
			}
		}
	}
	return res, nil
}

// parse returns the directive in c, or nil. Malformed futlint directives
// are reported and dropped, so they never silence anything.
func parse(pass *analysis.Pass, f *ast.File, tf *token.File, c *ast.Comment) *Directive {
	text := c.Text
	if !strings.HasPrefix(text, "//") {
		return nil
	}
	line := tf.Line(c.Slash)
	d := &Directive{Pos: c.Slash, File: tf.Name(), FromLine: line, ToLine: line}

	if names, ok := parseNoLint(text); ok {
		if names == nil && !honourNoLintAll {
			return nil // golangci-lint applies it, and nolintlint sees it used
		}
		d.Kind, d.Analyzers = NoLint, names
		if onOwnLine(tf, f, c) {
			d.FromLine, d.ToLine = line+1, nodeEndLine(tf, f, line+1)
		}
		return d
	}

	dir, ok := ast.ParseDirective(c.Slash, text)
	if !ok || dir.Tool != "futlint" {
		return nil
	}
	switch dir.Name {
	case "ignore":
		d.Kind = Ignore
		d.ToLine = line + 1
	case "file-ignore":
		d.Kind = FileIgnore
	case "spawner":
		// Marks a function as a structured group for leakedgoroutine;
		// it silences nothing.
		return nil
	default:
		pass.Reportf(c.Slash, "unknown directive //futlint:%s: use //futlint:ignore, //futlint:file-ignore or //futlint:spawner", dir.Name)
		return nil
	}
	names, reason := dir.Args, ""
	if i := strings.IndexFunc(names, unicode.IsSpace); i >= 0 {
		names, reason = names[:i], names[i:]
	}
	if names == "" {
		pass.Reportf(c.Slash, "//%s needs the analyzers it silences and a reason: //%s unlockedinc why this is safe", d.Kind, d.Kind)
		return nil
	}
	for n := range strings.SplitSeq(names, ",") {
		if !slices.Contains(Known, n) {
			pass.Reportf(c.Slash, "//%s names unknown analyzer %q; futlint has %s", d.Kind, n, strings.Join(Known, ", "))
			return nil
		}
		d.Analyzers = append(d.Analyzers, n)
	}
	d.Reason = strings.TrimSpace(reason)
	if d.Reason == "" {
		pass.Reportf(c.Slash, "//%s %s needs a reason: say why the finding is safe to ignore", d.Kind, names)
		return nil
	}
	return d
}

// parseNoLint parses a //nolint comment the way golangci-lint does
// (pkg/result/processors/nolint_filter.go), so that a comment silences the
// same findings under futlint, go vet and golangci-lint. It returns the
// futlint analyzers named (nil: all of them) and whether the comment is a
// //nolint comment that concerns futlint at all.
func parseNoLint(text string) ([]string, bool) {
	text = strings.TrimLeft(text, "/ ")
	if !noLintRE.MatchString(text) {
		return nil, false
	}
	if strings.HasPrefix(text, "nolint:all") || !strings.HasPrefix(text, "nolint:") {
		return nil, true // every linter
	}
	text, _, _ = strings.Cut(text, "//") // an explanation may follow
	var ours []string
	for n := range strings.SplitSeq(strings.TrimPrefix(text, "nolint:"), ",") {
		switch n = strings.ToLower(strings.TrimSpace(n)); {
		case n == "futlint" || n == "all":
			return nil, true
		case slices.Contains(Known, n):
			ours = append(ours, n)
		}
	}
	return ours, ours != nil // other linters only: not ours
}

// noLintRE is golangci-lint's test for a nolint comment, after "//" and
// spaces are trimmed.
var noLintRE = regexp.MustCompile(`^nolint( |:|$)`)

// onOwnLine reports whether no code precedes comment c on its line.
func onOwnLine(tf *token.File, f *ast.File, c *ast.Comment) bool {
	line := tf.Line(c.Slash)
	own := true
	ast.Inspect(f, func(n ast.Node) bool {
		if !own || n == nil {
			return false
		}
		if _, ok := n.(*ast.CommentGroup); ok {
			return false
		}
		if n.Pos() < c.Slash && tf.Line(n.End()) >= line && tf.Line(n.Pos()) <= line {
			if tf.Line(n.Pos()) == line {
				own = false
				return false
			}
			return true // n spans the line; look inside
		}
		return n.Pos() < c.Slash
	})
	return own
}

// nodeEndLine returns the last line of the outermost node starting on line,
// or line itself when no node starts there.
func nodeEndLine(tf *token.File, f *ast.File, line int) int {
	end := line
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || end != line {
			return false
		}
		if tf.Line(n.Pos()) > line || tf.Line(n.End()) < line {
			return false
		}
		if tf.Line(n.Pos()) == line {
			if _, ok := n.(*ast.File); !ok {
				end = tf.Line(n.End())
				return false
			}
		}
		return true
	})
	return end
}
