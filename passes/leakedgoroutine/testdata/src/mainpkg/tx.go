package main

import "context"

// A transaction whose context only Rollback cancels; in package main
// nothing calls Rollback, and begin's caller drops the transaction.
type tx struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func begin(parent context.Context) *tx {
	ctx, cancel := context.WithCancel(parent)
	t := &tx{ctx: ctx, cancel: cancel}
	go t.awaitDone() // want `goroutine is not joined`
	return t
}

func (t *tx) awaitDone() {
	<-t.ctx.Done() // want `goroutine leaks: this receive from ctx.Done\(\) blocks forever: ctx comes from context.WithCancel \(line 13\) on a context that is never done, and its cancel func, kept in tx.cancel, is never called before: only code nothing calls calls it; call it where the owner is closed`
}

func (t *tx) Rollback() { t.cancel() }

func run() { begin(context.Background()) }
