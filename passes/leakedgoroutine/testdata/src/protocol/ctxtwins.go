package protocol

import "context"

// Each case here is pinned: switching off the check it names makes it
// fail.

// A member's context derives from its pool's; both cancel funcs are
// called only after the member's wait.
type pool struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type member struct {
	ctx    context.Context
	cancel context.CancelFunc
	p      *pool
}

func newPool() *pool {
	p := &pool{}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p
}

func (p *pool) join() *member {
	m := &member{p: p}
	m.ctx, m.cancel = context.WithCancel(p.ctx)
	go m.await()
	return m
}

func (m *member) await() {
	<-m.ctx.Done() // want `goroutine leaks: this receive from ctx.Done\(\) blocks forever: ctx comes from context.WithCancel \(line \d+\) on a context cancelled only by pool.cancel`
	m.cancel()
	m.p.cancel()
}

func usePool() *member { return newPool().join() }

// ---- quiet twins ----

// The pool's context may also come from the caller.
type pool2 struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type member2 struct {
	ctx    context.Context
	cancel context.CancelFunc
	p      *pool2
}

func newPool2(parent context.Context, detached bool) *pool2 {
	p := &pool2{}
	if detached {
		p.ctx, p.cancel = context.WithCancel(context.Background())
	} else {
		p.ctx, p.cancel = context.WithCancel(parent)
	}
	return p
}

func (p *pool2) join() *member2 {
	m := &member2{p: p}
	m.ctx, m.cancel = context.WithCancel(p.ctx)
	go m.await()
	return m
}

func (m *member2) await() {
	<-m.ctx.Done()
	m.cancel()
	m.p.cancel()
}

func usePool2(ctx context.Context) *member2 { return newPool2(ctx, false).join() }

// The pool's context is an exported field: importers may set another.
type Pool3 struct {
	Ctx    context.Context
	cancel context.CancelFunc
}

type member3 struct {
	ctx    context.Context
	cancel context.CancelFunc
	p      *Pool3
}

func newPool3() *Pool3 {
	p := &Pool3{}
	p.Ctx, p.cancel = context.WithCancel(context.Background())
	return p
}

func (p *Pool3) join() *member3 {
	m := &member3{p: p}
	m.ctx, m.cancel = context.WithCancel(p.Ctx)
	go m.await()
	return m
}

func (m *member3) await() {
	<-m.ctx.Done()
	m.cancel()
	m.p.cancel()
}

func usePool3() *member3 { return newPool3().join() }

// The cancel func is an exported field: importers may call it.
type ExportedRows struct{ Cancel context.CancelFunc }

func (r *ExportedRows) watch(parent context.Context) {
	var ctx context.Context
	ctx, r.Cancel = context.WithCancel(parent)
	go r.awaitDone(ctx)
}

func (r *ExportedRows) awaitDone(ctx context.Context) {
	<-ctx.Done()
	r.Cancel()
}

func openExportedRows() *ExportedRows {
	r := &ExportedRows{}
	r.watch(context.Background())
	return r
}

// The cancel func is also kept in a package list, which anything may
// call.
type handedRows struct{ cancel context.CancelFunc }

var cancelers []context.CancelFunc

func (r *handedRows) watch(parent context.Context) {
	var ctx context.Context
	ctx, r.cancel = context.WithCancel(parent)
	cancelers = append(cancelers, r.cancel)
	go r.awaitDone(ctx)
}

func (r *handedRows) awaitDone(ctx context.Context) {
	<-ctx.Done()
	r.cancel()
}

func openHandedRows() *handedRows {
	r := &handedRows{}
	r.watch(context.Background())
	return r
}
