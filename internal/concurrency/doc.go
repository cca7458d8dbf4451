// Package concurrency is futlint's model of a package's concurrency: where
// each function runs, what it starts, waits for, locks, and sends on. The
// passes Require [Analyzer] and ask its [*Model]; it reports nothing
// itself.
//
// It works per package, in the style of x/tools' ctrlflow and
// staticcheck's analysis/facts: what crosses packages is a [Summary] fact
// per function, never a whole-program analysis.
//
// # Where code runs
//
// [Model.Contexts] gives, for every function and closure of the package,
// the contexts it may run in:
//
//   - [Sync]: on its caller's goroutine, before the caller goes on: direct
//     calls, deferred closures, and function values a callee calls before
//     it returns (range-over-func bodies, sync.Once.Do, sync.Map.Range,
//     iterator-style callbacks, t.Run without t.Parallel, any parameter a
//     [Summary] marks [CalledSync]). It runs under the locks the caller
//     holds at the site ([Model.HeldAt] of Context.Site; a deferred
//     closure: the locks held at the function's returns).
//   - [Go]: on a new goroutine ([Spawn]): go statements (also of method
//     values, and of wrappers: go withRecover(f) runs f there too), the
//     spawners of the library surface (internal/calls.Surface), functions
//     marked //futlint:spawner or named by -concurrency.spawners, and
//     spawners inferred from [Summary] facts. Context.Many says whether
//     several instances may run at once: started in a loop, per request
//     (HTTP handlers, ServeHTTP), per item (an inferred spawner that
//     starts its argument in a loop), t.Run with t.Parallel,
//     b.RunParallel.
//   - [Entry]: called from code the model cannot see: an exported
//     function or method called from another package, a method called
//     through an interface.
//   - [Escaped]: the function value is stored, returned, sent, or passed
//     to a function the model knows nothing about.
//
// The one assumption passes make about the unknown: an [Escaped] or
// [Entry] context runs on some goroutine the model cannot name. Passes
// must not report a finding only because of it (futlint prefers a missed
// bug to a false report), and must not treat such a function as
// goroutine-local when that would hide a [Go] context the model does know.
// Range-over-func bodies whose iterator is a function value are assumed
// to be called synchronously, as every well-behaved iterator does.
//
// # Summaries
//
// A [Summary] is computed for every function of the package on demand
// ([Model.Summary]) and exported as a fact for those other packages can
// call. Paths in a summary are rooted at the function's parameters (the
// receiver is parameter 0) or at globals; [Model.Translate] maps them onto
// a caller's arguments.
//
// # Ordering
//
// [Model.HandsOff] and [Model.SendWaitsFor] tell whether what a spawner
// does after a go statement happens before or after what the goroutine
// does, through a channel or WaitGroup that this call of the spawner makes
// and that only the two use (handoff.go).
//
// # Identity
//
// Memory, locks and channels are named by [Path]: a root and the field
// selections from it, compared with [Path.Equal] and [Path.MayAlias].
//
// # Where to add things
//
//   - a library spawner, joiner or lock: one line in internal/calls.Surface;
//   - a user spawner: //futlint:spawner on its declaration (its fact
//     tells importers), or -concurrency.spawners=pkg.Func,(*pkg.T).Method
//     (futlint's command line, go vet -vettool=futlint, -driver=checker
//     and the golangci-lint settings' concurrency.spawners all take it;
//     -leakedgoroutine.spawners is an alias);
//   - a fact about functions: a field of [Summary], computed in summary.go,
//     with a fixture under testdata/src;
//   - an analyzer: a package under passes/ that Requires [Analyzer], listed
//     in internal/analyzers (and directive.Known);
//   - an output format: internal/driver (the standalone driver's printers)
//     next to internal/sarif.
package concurrency
