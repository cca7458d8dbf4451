// Package uncheckedcancel defines an Analyzer that reports long-running
// loops that never observe the cancellation of their function's context.
//
// # Analyzer uncheckedcancel
//
// uncheckedcancel: report long-running loops that never check ctx.Done()
//
// A function that has been given a context.Context has been told how to
// stop. A loop in it that polls, retries, reads or waits without ever
// looking at the context keeps working after the caller gave up: wasted
// work, held resources, goroutines that never exit.
//
// The context of a function is a context.Context parameter, a context
// captured by a function literal, a context.Context field of the
// receiver, the context of an *http.Request parameter (a streaming
// handler whose client has gone; not once the handler hijacks the
// connection), or the one t.Context() or b.Context() returns in a test
// that asks for it. A function literal that is called synchronously, or
// started by a group (sync.WaitGroup.Go, errgroup's Go, a spawner), does
// the work of the function that runs or starts it, and also has that
// function's context, mentioned or not. One started by a bare go
// statement has only the contexts it captures: it may outlive the
// function by design (the reader of a connection Dial(ctx) returns,
// where ctx governs only the dial). One stored or passed where its
// callers cannot be known has only its own. A test's
// context asked for in a closure the test calls synchronously (or in a
// subtest without t.Parallel) is the test's own: it is cancelled only
// once the test returns, so loops need not check it.
//
// A loop is long-running when it is not bounded (a range over a slice,
// array, string, map or integer, or a loop that counts to a bound, ends on
// its own) and it blocks: it receives from or sends to a channel (which
// includes "for range ch", "for range ticker.C" and "for range
// time.Tick(d)"), selects, sleeps, waits on a sync.Cond, does network,
// file or database I/O (through an interface too, when the method has the
// name and signature of io.Reader's Read, http.RoundTripper's RoundTrip,
// a stream's Recv, ...), calls a function that takes a context, or calls
// a function that waits for one of these (known from facts about
// functions of other packages). A retry loop with a fixed number of
// attempts and a fixed pause is therefore quiet. But a counted loop that
// sleeps a duration the loop changes (time.Sleep(backoff); backoff *= 2,
// or base << i) is bounded in attempts, not in time, and is reported. A
// goroutine's loop over a slice that sends each item on a channel whose
// consumer stops on ctx.Done() blocks forever once ctx is cancelled:
// leakedgoroutine reports that leak, at the consumer, and this analyzer
// leaves it alone. A send does not wait when it hands a value over into a buffer and the function
// then closes the channel (w.result <- r; close(w.result), with every
// make of w.result buffered): a loop draining a queue of waiters that way
// only computes.
//
// A loop that waits on a sync.Cond is not fixed by a check of ctx.Err():
// Wait does not return when ctx is cancelled. The message says to call
// context.AfterFunc(ctx, cond.Broadcast) and check ctx in the loop, or to
// wait on a channel instead.
//
// A loop observes cancellation, and is not reported, when it, in its
// condition or body:
//   - receives from ctx.Done(), in a select or alone, or from an alias
//     such as done := ctx.Done() taken before the loop;
//   - calls ctx.Err() or context.Cause(ctx);
//   - passes ctx, or a context derived from it (WithCancel, WithTimeout,
//     WithDeadline, WithValue, ...), to a call, unless facts show the
//     callee ignores its context parameter;
//   - passes, calls a method of, or receives from a value that a call
//     returned after being given ctx (a request made with
//     NewRequestWithContext, its response body, a scanner over it, the
//     channel Watch(ctx) returns), a handler's request, or a value that
//     carries its own context (a gRPC stream: it has a method
//     Context() context.Context); these are taken to stop when their
//     context is cancelled;
//   - receives from a channel that a goroutine given ctx sends to, in
//     the same function, or from a channel parameter that every caller in
//     the package (there is one at least) feeds that way: the goroutines
//     report the cancellation;
//   - selects on another channel, a stop or quit channel or a timeout,
//     in a case that leaves the loop: the loop has another owner that
//     stops it.
//
// A loop is also quiet when its function's contexts are all watched on
// every path to it: handed, before the loop, to context.AfterFunc or to
// a function whose summary says it does so with that parameter (pgx's
// contextWatcher.Watch(ctx), whose callback sets a deadline on the
// connection, so a cancel makes the loop's blocked read fail). An edge
// taken only when ctx == context.Background() needs no watch. A context
// field of the receiver (rr.ctx) is watched when every store of a context
// into that unexported field, in the package, stores a context the storing
// function watches (on some path: an early return that skips the watch is
// not seen), a never-cancelled one, or another field so watched
// (ResultReader{ctx: mrr.ctx}). The rule trusts the AfterFunc callback to
// interrupt what the loop blocks on: one that only logs still counts as a
// watch. An Unwatch before the loop is not seen either. A loop waiting on
// a sync.Cond is still reported: a Broadcast from the callback wakes
// Wait, and the loop waits again unless it checks ctx.
//
// Passing ctx to a call observes cancellation only if the loop can exit:
// "for { db.ExecContext(ctx, q) }" keeps calling after ctx is cancelled.
// context.WithoutCancel(ctx), context.Background() and context.TODO() are
// never cancelled: a loop that watches only those is reported, and the
// message says so. A function whose context parameters are unused, or
// used only for Value, Deadline or WithoutCancel, ignores its context:
// a loop that passes ctx only to it is reported, naming it. So is a loop
// that passes ctx to a function that makes, itself or in a callee, a
// call that may block indefinitely without ctx though a variant takes it
// (hc.Get(url) rather than a request made with NewRequestWithContext,
// net.Dial rather than Dialer.DialContext, db.Query, a Cmd's Run): the
// message names both, and the fix belongs in the callee. What functions
// do with their contexts, and whether they wait, comes from the
// concurrency model's summaries, facts across packages.
//
// WRONG: the worker keeps waiting for jobs after ctx is cancelled.
//
//	func worker(ctx context.Context, jobs <-chan Job) {
//		for j := range jobs {
//			process(j)
//		}
//	}
//
// RIGHT:
//
//	func worker(ctx context.Context, jobs <-chan Job) error {
//		for {
//			select {
//			case <-ctx.Done():
//				return ctx.Err()
//			case j, ok := <-jobs:
//				if !ok {
//					return nil
//				}
//				process(j)
//			}
//		}
//	}
//
// WRONG: a poller that outlives its caller.
//
//	func poll(ctx context.Context, url string) {
//		for {
//			if ready(url) {
//				return
//			}
//			time.Sleep(time.Second)
//		}
//	}
//
// RIGHT:
//
//	func poll(ctx context.Context, url string) error {
//		for {
//			if err := ctx.Err(); err != nil {
//				return err
//			}
//			if ready(url) {
//				return nil
//			}
//			time.Sleep(time.Second)
//		}
//	}
//
// The suggested fix adds "case <-ctx.Done(): return ..." to a select that
// is a statement of the loop's body, or else inserts
// "if err := ctx.Err(); err != nil { return ... }" at the top of the
// body. It returns only where that cannot change what the function means
// on its other paths: from a function without results, or whose last
// result is an error (ctx's error, with zero values before it). Otherwise
// there is no fix, and the message asks what the function should return
// once cancelled; the message offers a select case only where the loop
// selects. There is no fix either when the context has no name usable in
// the loop or a zero value cannot be written.
//
// To keep a loop that deliberately outlives its context, write
// //futlint:ignore uncheckedcancel and the reason above it.
package uncheckedcancel
