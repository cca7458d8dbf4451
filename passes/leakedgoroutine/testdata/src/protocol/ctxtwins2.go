package protocol

import "context"

// More quiet twins of the ctxcancel rule, each pinned: switching off the
// check it names makes it fail.

// A wait no goroutine runs (ctxWaits: goOf): the caller itself blocks,
// no goroutine is left behind.
type syncRows struct{ cancel context.CancelFunc }

func (r *syncRows) watch(parent context.Context) {
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(parent)
	r.awaitDone(ctx)
}

func (r *syncRows) awaitDone(ctx context.Context) {
	<-ctx.Done()
	r.cancel()
}

func openSyncRows() *syncRows {
	r := &syncRows{}
	r.watch(context.Background())
	return r
}

// A context derived from itself (cancelledOnlyBy: the depth bound ends
// the walk of the field's makers).
type selfRows struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (r *selfRows) rewatch() {
	r.ctx, r.cancel = context.WithCancel(r.ctx)
	go r.awaitDone()
}

func (r *selfRows) awaitDone() {
	<-r.ctx.Done()
	r.cancel()
}

func openSelfRows() *selfRows {
	r := &selfRows{}
	r.rewatch()
	return r
}
