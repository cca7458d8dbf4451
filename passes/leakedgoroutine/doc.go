// Package leakedgoroutine defines an Analyzer that reports goroutines
// that leak and goroutines that nothing joins.
//
// # Analyzer leakedgoroutine
//
// leakedgoroutine: report goroutines that block forever or that nothing waits for
//
// Every goroutine should belong to a group that waits for it: a
// sync.WaitGroup, an errgroup.Group, a conc pool, or a done or result
// channel its spawner receives from. The analyzer reports go statements
// in two grades.
//
// Grade 1, a certain leak, is always reported. The goroutine blocks
// forever on a channel its spawner made, because the spawner has a path
// on which it stops using the channel:
//
//   - the goroutine sends on an unbuffered (or too small) channel and the
//     spawner returns without receiving: the timeout or ctx.Done() arm of
//     a select, an early return before the receive;
//   - the goroutine sends more values than the spawner receives: a double
//     send with one receive (also in a helper given the channel that
//     sends twice on some path, the missing return after a send),
//     goroutines started in a loop that each send while the spawner takes
//     only the first result;
//   - the goroutine sends in a loop until it closes the channel, and the
//     spawner's receive loop returns or breaks before seeing it closed;
//   - the goroutine ranges over a channel that nothing ever closes (a
//     worker pool without close(jobs));
//   - one level through helpers: a function that starts a goroutine
//     sending on the channel it returns, whose caller stops draining early;
//   - a loop that makes a fresh channel each round, starts its sender and
//     goes round (or returns) on another select case without receiving:
//     each round abandons the channel with its sender.
//
// Channels in struct fields that only the package can reach (unexported
// fields, or any field in package main) are checked across the whole
// package: every make stored in the field and every send, receive and
// close on it, followed through locals, closures, calls, returns and
// direction conversions. When one side is missing everywhere, the other
// blocks forever:
//
//   - a receive from a field that nothing sends on or closes (or that is
//     never assigned, a nil channel);
//   - a send on an unbuffered field that nothing receives from;
//   - a receive, not in a loop, from an unbuffered field whose only sends
//     are non-blocking (a select with default): a send that comes first is
//     dropped.
//
// Only operations that block on that channel alone are reported there: a
// select with another case or a default may take the other way. Nor are
// operations in a method of a test double that can never run (an
// unexported type of a _test.go file, a method nothing in the package
// calls and no interface type in the package or its imports names: a
// fake's leftover method its interface dropped). A buffer
// size given by the only callers of an unexported constructor as
// constants (newWatcher(0, ...)) counts as that size.
//
// Across methods:
//
//   - Start without Stop: a method (Start) starts a goroutine whose loop
//     ends only when a channel field of the receiver, its stop channel, is
//     closed or sent on (another method, Stop, does that); a function
//     makes such a value itself, with a stop channel it makes for it,
//     calls Start, and on some path returns without calling anything
//     that closes or sends on the stop channel (nor deferring it), while
//     the value never leaves the function (not returned, stored, captured
//     by a closure that escapes, converted to an interface, its stop
//     channel not handed on). A loop with another way out (a work channel
//     whose close ends it, a panic) is not reported. Reported at the
//     Start call. Fix: defer Stop right after Start.
//   - a send that holds the lock its receiver needs: a send alone (no
//     select) made while holding a lock, on a channel whose every receive
//     in the package is preceded by taking that lock, on every path to it
//     (mu.Lock(); mu.Unlock(); <-done), or follows it on every path to the
//     end when the receive repeats and the send can happen twice (receive,
//     then a helper that locks): once the receiver waits for the lock,
//     neither moves. The channel and the lock are the same captured
//     variables, or fields of one value; a receive in a select with other
//     cases, or a channel handed on (passed, returned, stored, sent,
//     converted, an exported field), is not reported. Fix: unlock before
//     sending.
//   - a send that holds the lock its receiver takes going another way: a
//     send alone on a field channel, made while the sender (or a caller,
//     up to three calls away) holds a lock, when every receive of the
//     channel is a select in a loop that, on its default (a poll) or on a
//     ticker's case, takes a lock of the same field of the same struct
//     type on some path back to the select (directly, in a function it
//     calls, or in a function kept in a field whose every stored value
//     is known): the receiver waits for the lock the sender keeps until
//     its send completes. Unbuffered: one such send; buffered (constant
//     capacity): a send that can repeat without bound (in a loop, or in
//     goroutines started in one, followed up through callers and the
//     interface calls that may reach a method). The channel is followed
//     through getters and parameters; an unexported method (any method
//     in package main) counts as called only in the package unless a
//     value holding it is converted to an interface. Fix: unlock before
//     sending.
//   - a done channel the goroutine can return without closing: the
//     spawner makes a channel only one goroutine closes (nothing sends on
//     it) and receives from it, blocking on it alone; the goroutine has a
//     path to its return that does not close it (an early return before
//     the close at the end). Returns in a select case receiving from
//     another channel (case <-stop: return) and paths that fail the test
//     do not count. Fix: defer close(done) at the goroutine's start.
//   - a sync.Cond nothing signals: a Wait on a Cond in an unexported field
//     or a local variable on which nothing in the package calls Signal or
//     Broadcast, and that is not handed on (passed to a call, stored
//     elsewhere, returned, converted), never returns;
//   - a wait on a channel only the waiter's own defer closes: a function
//     makes a channel, defers its close, and receives from it (directly,
//     or through a variable a callback sets to it), while nothing sends
//     on it: the close runs only after it returns. The channel is
//     followed through the package's synchronous calls, function values
//     resolved to the package's functions (a parameter bound at the call
//     the channel came through, a constructor's returned closure),
//     closures handed to functions that only call them, and captured
//     variables set to it (only ever nil otherwise); any other use keeps
//     it quiet. Fix: close it before waiting, or wait on another signal;
//   - a sync.Cond Wait in a loop whose condition never changes: the
//     innermost loop around the Wait leaves only through tests of its
//     condition that run before the Wait, on values decided before the
//     loop (a local set once, a parameter, arithmetic on them: no load,
//     no call), so once entered it never ends (exists := true; for exists
//     { c.Wait() }). A loop with another way out, or a plain for {}, is
//     not reported. Fix: recompute the condition in the loop;
//   - a timer drain after the value was taken: `if !t.Stop() { <-t.C }`
//     reached from a receive of t.C (a case of the same loop's select, a
//     receive before it) through jumps and select dispatch only, with no
//     Reset of t, no timer stored and no call of the package's code on
//     the way, no t.Fatal or t.Error (the test ended or already failed),
//     and no Reset of that timer elsewhere in the package: Stop
//     returns false once the timer has fired, and the drain waits for a
//     second value that never comes. A flag tested on the way (if !fired
//     && !t.Stop()) ends the path. Fix: drain only when the value was not
//     received, or just Reset (Go 1.23+ timers need no drain).
//
// Protocols between the goroutines of one package are checked too:
//
//   - a send on an unbuffered field whose only receivers are select loops
//     that return on another case (a stop channel, ctx.Done()): once the
//     loop has returned, the send blocks forever (Status after Stop). Not
//     for a timer case, a sender that also signals something else (the
//     loop may return on that signal), or a test sending into the code
//     it tests;
//   - a loop whose only way out is a case on a field channel nothing
//     sends on or closes (a Stop that forgot close(s.quit)) never ends;
//   - a repeatable send on a buffered field nothing ever receives from
//     blocks once the buffer is full;
//   - a receive from a channel handed to a goroutine, when nothing ever
//     sends on it or closes it;
//   - a Wait on a WaitGroup field that the package Adds to but never
//     calls Done on;
//   - a goroutine (or a time.AfterFunc callback) that returns on some path
//     with a lock its other paths unlock: nobody else will unlock it, so
//     every later Lock blocks forever (not when it unlocks a lock it does
//     not hold: a handoff);
//   - a receive, blocking on a field channel alone, made while holding a
//     lock of the same object, when every send on or close of the channel
//     comes after its function locks that lock (itself or in a function
//     it calls): neither side can move; for a channel made in the
//     package (followed into closures and goroutines), also when each
//     signal in another goroutine must first lock the same field of the
//     same struct type, or first receive from another such channel whose
//     every signal comes after that Lock (defer close(stop) after
//     <-locked, whose closer locks first); and for channels kept in
//     variables closures capture (made and stored there, or copied from
//     another such variable, used nowhere else), when the receiver (or a
//     caller, through a function kept in a field too) holds a lock that
//     is held on every way to every send on or close of them (all their
//     callers known: static calls, calls of a field a closure is only
//     stored in and whose loads are only called);
//   - a receive from ctx.Done() in a goroutine (or a function it calls),
//     when ctx comes from context.WithCancel of a context that is never
//     done (Background, TODO), or of one kept in a field of the package's
//     own that only such WithCancels set (ac.ctx from cc.ctx), and every
//     cancel func on the way, kept in a field, is called only after that
//     receive, by code that nothing calls (in package main, a method
//     nothing calls and no interface value carries; main and init run),
//     or by a method called on a receiver that is always nil (a result
//     variable only ever set to nil: the owner is dropped);
//   - a fresh struct's channel, made with a constant buffer, sent on more
//     times than the buffer holds before anything that could receive has
//     it (also at the start of a method it is handed to);
//   - a goroutine started on a ctx.Done() case that receives from the
//     channels of a slice field whose every send gives up when that same
//     context is done: the sender may take its ctx.Done() case instead.
//
// The spawner's paths are followed with what they know: receives
// counted from the first go statement on, the select case taken, the
// channel seen closed (v, ok := <-ch with ok false) and the boolean and
// nil-checked locals set from those events (stopped = !ok, done = true,
// err != nil), joins that say the senders have finished (Wait on the
// WaitGroup they signal, a receive of their other signal), and variables
// the senders set just before they return (if failed != nil { return }).
// A path those facts rule out is not a leak.
//
// The buffer advice counts the values the leaking path leaves unreceived:
// two sends and one receive need a buffer of one.
//
// WRONG:
//
//	func fetch(ctx context.Context, url string) (*Result, error) {
//		ch := make(chan *Result)
//		go func() { ch <- get(url) }()
//		select {
//		case r := <-ch:
//			return r, nil
//		case <-time.After(time.Second):
//			return nil, errTimeout // the send above now blocks forever
//		}
//	}
//
// RIGHT: give the channel room for every send, so the goroutine finishes
// whether or not anyone receives (the suggested fix for one send):
//
//	ch := make(chan *Result, 1)
//
// or let the sender give up with its spawner:
//
//	go func() {
//		select {
//		case ch <- get(url):
//		case <-ctx.Done():
//		}
//	}()
//
// Grade 2, unjoined, is reported unless -leakedgoroutine.strict=false:
// nothing waits for the goroutine to finish, so it may outlive its caller,
// its test, or the resources it uses.
//
// WRONG:
//
//	func (s *Server) Start() {
//		go s.loop() // nothing ever waits for loop to return
//	}
//
// RIGHT:
//
//	func (s *Server) Start() {
//		s.wg.Add(1)
//		go func() {
//			defer s.wg.Done()
//			s.loop()
//		}()
//	}
//
//	func (s *Server) Stop() {
//		close(s.quit)
//		s.wg.Wait()
//	}
//
// Three kinds of unjoined goroutine break something. They are reported
// apart from the policy, with their own message and Diagnostic.Category
// (the policy finding's is "unjoined"), and also with
// -leakedgoroutine.strict=false:
//
//   - never-ends, "goroutine never ends": the goroutine enters a loop it
//     can never leave: no return, break, panic, os.Exit or runtime.Goexit
//     in it, no stop or ctx.Done() case (for { time.Sleep(d); ping() },
//     for range ticker.C { flush() }: Stop does not close a Ticker's
//     channel). Each start leaks one goroutine for the life of the
//     process. Fix: add a stop or ctx.Done() case that returns, and wait
//     for the goroutine where it is stopped.
//   - outlives-test, "goroutine outlives its test": the goroutine uses the
//     test's t or b (Log, Error, Fatal, Cleanup, TempDir..., or
//     hands t to a function of another package such as require.NoError)
//     and nothing waits for it before the test returns. Once the test has
//     completed, t.Error panics ("Fail in goroutine after TestX has
//     completed", which kills the whole test binary) and t.Log is lost or
//     panics. Only uses that can run late in a passing run count: a log,
//     cleanup or temp dir anywhere in the goroutine, or any use in a loop
//     of it; a t.Error outside a loop runs only once something failed.
//     Not reported: a goroutine the test stops (it watches a context,
//     selects on a channel the test closes, or loops waiting on a
//     resource the test closes, directly, through a helper or on the
//     values of a map it ranges over, and leaves the loop without using t
//     when the wait fails), and a writer that closes a pipe last whose
//     read end its spawner hands on (reading it to EOF waits for the
//     writer). Fix: wait for it in the test: var wg sync.WaitGroup;
//     wg.Go(f); wg.Wait(), or t.Cleanup(wg.Wait) right after making wg.
//   - outlives-owner, "goroutine outlives its owner": the goroutine uses
//     a field of a value whose type has a Close, Stop or Shutdown method,
//     that method releases the same field (assigns it: l.child.Close();
//     l.child = nil; closing a client it keeps is not enough, its users
//     get its errors), and it neither waits for the
//     goroutine nor stops it. The goroutine can run after Close and use
//     or rebuild the state Close released: a child built after Close that
//     nothing will ever close. Close stops it when it closes or sends on a
//     channel the goroutine receives from, cancels a context (calls a
//     func field) while the goroutine watches ctx.Done() or ctx.Err(),
//     sets a flag (a bool or integer constant, an atomic Store, or nil in
//     the field itself: s.sys = nil) that the goroutine reads, and
//     writes no computed value to (constants are the flag's states:
//     running, stopping, stopped), atomically or under the owner's lock
//     (a field of it or reached through one: r.cond.L; held there or by
//     every caller of the function reading it), or closes or
//     shuts down a resource the goroutine blocks on (a conn's Read, a
//     server's ListenAndServe) or whose channel it receives from
//     (b.done.Done(), and Close calls b.done.Fire()), held in a field or
//     stored in one by the goroutine's spawner (s.srv = srv; go
//     srv.ListenAndServe()). A goroutine that calls Close itself is a
//     teardown, not this class. Not reported in
//     _test.go files, nor for goroutines the Close method itself starts.
//     Fix: give the type a sync.WaitGroup, start the goroutine with
//     wg.Go and call wg.Wait in Close; or set a closed flag in Close under
//     the lock and have the goroutine check it under the same lock.
//
// WRONG (outlives-owner):
//
//	func (l *lazy) kick() { go l.wake() } // wake builds l.child under l.mu
//
//	func (l *lazy) Close() {
//		l.mu.Lock()
//		defer l.mu.Unlock()
//		if l.child != nil {
//			l.child.Close()
//			l.child = nil // wake may run after this and build a new child
//		}
//	}
//
// RIGHT:
//
//	func (l *lazy) kick() { l.wg.Go(l.wake) }
//
//	func (l *lazy) Close() {
//		l.wg.Wait()
//		...
//	}
//
// A goroutine is joined, and never reported as unjoined, when it
//
//   - calls Done (deferred or not, directly or through a helper, also on a
//     WaitGroup that is a struct field, a pointer parameter or an
//     argument) on a WaitGroup that is waited on: in the spawner, by the
//     caller it came from, or by any method that waits on that field;
//   - sends on or closes a channel that the spawner, another goroutine,
//     or an owner's method receives from (or a method hands out: done()
//     <-chan struct{}), or that the spawner returns or hands on (a future,
//     a generator: the join passes to the caller), or that the spawner
//     was given (a channel parameter: its caller receives), as its last
//     act: deferred, or followed by nothing but returning (other signals,
//     value computations, stores, unlocks, going round a loop whose every
//     iteration ends that way, as in a counted producer). A non-blocking
//     send (a select with default) is a notification the waiter may miss,
//     and a send or close followed by more work says "ready" or
//     "progress": neither joins, unless the non-blocking send's success
//     is the goroutine's only way out (for { ...; select { case done <- x:
//     return; default: } }: no return is reachable but through it);
//   - closes or sends on, as its last act, a channel it received from a
//     channel (donec := <-w.stopc; defer close(donec)): the reply to
//     whoever asked it to stop;
//   - signals an exported field (importers may wait on it);
//   - is started by a function marked //futlint:spawner in its doc comment,
//     or named in -concurrency.spawners (alias -leakedgoroutine.spawners;
//     comma-separated, e.g.
//     example.com/pool.Go,(*example.com/pool.Pool).Submit): such a function
//     is a group of its own that manages what it starts.
//
// A go statement running a wrapper that calls its function argument (go
// withRecover(f)) runs f on the new goroutine: it is joined when f (or
// the wrapper) signals. What a function signals, directly or through its
// callees and across packages, comes from the shared concurrency model.
//
// errgroup.Group.Go, sync.WaitGroup.Go and conc's groups and pools are
// calls, not go statements: the functions passed to them are never
// reported.
//
// Goroutines started in func main of package main, in init functions, in
// TestMain and in examples (ExampleX stands for a program), and the
// goroutines those start, live as long as the process by design (a server
// started before waiting for a signal, a test-wide fixture): they are
// never reported as unjoined. When main or TestMain
// returns the process exits, so their own paths are not grade 1 leaks
// either; init is still checked for grade 1. Other closures written
// inside main (HTTP handlers, callbacks) run per event and are checked
// like any function.
//
// Goroutines started in a synctest bubble (in the function passed to
// testing/synctest.Test, or in a function only ever called or started
// from one, a few callers deep) are joined: Test waits for every
// goroutine of its bubble to exit before it returns.
//
// Paths that end in a call that never returns (os.Exit, log.Fatal,
// t.Fatal, t.FailNow, t.Skip, runtime.Goexit, panic) are not escaping
// paths: a test that fails on timeout with t.Fatal is not reported. Nor
// is a path that marks the test failed (t.Error, t.Errorf, t.Fail) and
// then returns: its sender leaks only in a test that has already failed,
// and the failure is what the test reports.
//
// Findings are silenced with //futlint:ignore leakedgoroutine reason.
package leakedgoroutine
