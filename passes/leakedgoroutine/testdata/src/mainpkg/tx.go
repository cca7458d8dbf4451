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

// Quiet twin: the transaction reaches an interface value, through which
// another package may call Rollback.
type keptTx struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func beginKept(parent context.Context) *keptTx {
	ctx, cancel := context.WithCancel(parent)
	t := &keptTx{ctx: ctx, cancel: cancel}
	go t.awaitDone() // want `goroutine is not joined`
	return t
}

func (t *keptTx) awaitDone() { <-t.ctx.Done() }

func (t *keptTx) Rollback() { t.cancel() }

func keep(any) {}

func runKept() { keep(beginKept(context.Background())) }

// Rows pushed into a buffer whose only reader is a method nothing calls.
type rowBuf struct{ data chan int }

func newRowBuf(n int) *rowBuf { return &rowBuf{data: make(chan int, n)} }

func (r *rowBuf) Push(v int) {
	r.data <- v // want `goroutine leaks: this send on rowBuf.data blocks forever once the buffer is full: nothing ever receives from rowBuf.data`
}

func (r *rowBuf) Discard() {
	select {
	case <-r.data:
	default:
	}
}

func fillRows() {
	r := newRowBuf(4)
	for i := range 8 {
		r.Push(i)
	}
}

// Quiet twin: the reader is reachable through an interface.
type keptBuf struct{ data chan int }

func newKeptBuf(n int) *keptBuf { return &keptBuf{data: make(chan int, n)} }

func (r *keptBuf) Push(v int) { r.data <- v }

func (r *keptBuf) Discard() {
	select {
	case <-r.data:
	default:
	}
}

func fillKept() {
	r := newKeptBuf(4)
	keep(r)
	for i := range 8 {
		r.Push(i)
	}
}
