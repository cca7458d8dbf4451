package protocol

import "context"

// A watcher whose context only it cancels, after the context is done:
// nothing else ever cancels it.
type rows struct{ cancel context.CancelFunc }

func (r *rows) watch(parent context.Context) {
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(parent)
	go r.awaitDone(ctx)
}

func (r *rows) awaitDone(ctx context.Context) {
	<-ctx.Done() // want `goroutine leaks: this receive from ctx.Done\(\) blocks forever: ctx comes from context.WithCancel \(line 11\) on a context that is never done, and its cancel func, kept in rows.cancel, is never called before: it is called \(line 20\) only after this receive, or by code nothing calls; call it where the owner is closed`
	r.close()
}

func (r *rows) close() { r.cancel() }

func openRows() *rows {
	r := &rows{}
	r.watch(context.Background())
	return r
}

// Quiet twin: Close cancels it, and importers can call Close.
type closingRows struct{ cancel context.CancelFunc }

func (r *closingRows) watch(parent context.Context) {
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(parent)
	go r.awaitDone(ctx)
}

func (r *closingRows) awaitDone(ctx context.Context) {
	<-ctx.Done()
}

func (r *closingRows) Close() { r.cancel() }

func openClosingRows() *closingRows {
	r := &closingRows{}
	r.watch(context.Background())
	return r
}

// Quiet twin: the parent is the caller's, which it may cancel.
type parentRows struct{ cancel context.CancelFunc }

func (r *parentRows) watch(parent context.Context) {
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(parent)
	go r.awaitDone(ctx)
}

func (r *parentRows) awaitDone(ctx context.Context) {
	<-ctx.Done()
	r.cancel()
}

func openParentRows(ctx context.Context) *parentRows {
	r := &parentRows{}
	r.watch(ctx)
	return r
}
