package main

import "context"

// Quiet twins of dial (dialer.go), each pinned: switching off the check
// it names makes it report. Each cancel func runs, on a live owner.

type logger struct{}

// A plain function's first argument is no receiver: shutdown runs,
// although its log is always nil (liveBefore: fn.Signature.Recv()).
type plainClient struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func shutdown(log *logger, cl *plainClient) { cl.cancel() }

func (cl *plainClient) connect() { <-cl.ctx.Done() }

func init() {
	cl := &plainClient{}
	cl.ctx, cl.cancel = context.WithCancel(context.Background())
	go cl.connect()
	var log *logger
	shutdown(log, cl)
}

// A receiver that is a constant other than nil (alwaysNil: *ssa.Const).
type level int

type levelClient struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (l level) shutdown(cl *levelClient) { cl.cancel() }

func (cl *levelClient) connect() { <-cl.ctx.Done() }

func init() {
	cl := &levelClient{}
	cl.ctx, cl.cancel = context.WithCancel(context.Background())
	go cl.connect()
	level(1).shutdown(cl)
}

// A method value's call: its first argument is the method's first
// parameter, not the receiver (liveBefore: StaticCallee() == fn).
type boundClient struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cl *boundClient) shutdown(log *logger) { cl.cancel() }

func (cl *boundClient) connect() { <-cl.ctx.Done() }

func init() {
	cl := &boundClient{}
	cl.ctx, cl.cancel = context.WithCancel(context.Background())
	go cl.connect()
	stop := cl.shutdown
	var log *logger
	stop(log)
}
