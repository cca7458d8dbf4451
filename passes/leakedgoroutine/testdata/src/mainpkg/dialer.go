package main

import "context"

// A client whose connections wait on contexts derived from the client's
// own: both cancel funcs are called only by close, and dial's cleanup
// closes its result, which it never sets: the client it builds is
// dropped with a goroutine waiting on it.
type client struct {
	ctx    context.Context
	cancel context.CancelFunc
	conns  []*conn
}

type conn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cl *client) close() {
	cl.cancel()
	for _, c := range cl.conns {
		c.cancel()
	}
}

func (cl *client) connect() {
	c := &conn{}
	c.ctx, c.cancel = context.WithCancel(cl.ctx)
	cl.conns = append(cl.conns, c)
	c.await()
}

func (c *conn) await() {
	<-c.ctx.Done() // want `goroutine leaks: this receive from ctx.Done\(\) blocks forever: ctx comes from context.WithCancel \(line 29\) on a context cancelled only by client.cancel, and the cancel funcs, kept in conn.cancel and client.cancel, are never called before: they are called only by a method called on a receiver that is always nil \(line 45\), or by code nothing calls; call them where the owner is closed`
}

func dial(ctx context.Context) (cl *client) {
	nc := &client{}
	nc.ctx, nc.cancel = context.WithCancel(context.Background())
	defer func() {
		select {
		case <-ctx.Done():
			if cl != nil {
				cl.close()
			}
			cl = nil
		default:
		}
	}()
	go nc.connect() // want `goroutine is not joined`
	return cl
}

// Quiet twin: the client is returned, so its close is called on it.
type keptClient struct {
	ctx    context.Context
	cancel context.CancelFunc
	conns  []*keptConn
}

type keptConn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cl *keptClient) close() {
	cl.cancel()
	for _, c := range cl.conns {
		c.cancel()
	}
}

func (cl *keptClient) connect() {
	c := &keptConn{}
	c.ctx, c.cancel = context.WithCancel(cl.ctx)
	cl.conns = append(cl.conns, c)
	<-c.ctx.Done()
}

func dialKept(ctx context.Context) (cl *keptClient) {
	cl = &keptClient{}
	cl.ctx, cl.cancel = context.WithCancel(context.Background())
	defer func() {
		select {
		case <-ctx.Done():
			if cl != nil {
				cl.close()
			}
			cl = nil
		default:
		}
	}()
	go cl.connect() // want `goroutine is not joined`
	return cl
}

// Both run: dial's client is closed only through its result, always nil;
// dialKept's is returned, and its close runs.
func init() {
	dial(context.Background())
	dialKept(context.Background())
}

// Another type's close is called through an interface: that says nothing
// of client.close, whose type no interface value holds.
type closer interface{ close() }

type file struct{}

func (file) close() {}

func closeAll(cs []closer) {
	for _, c := range cs {
		c.close()
	}
}

func init() { closeAll([]closer{file{}}) }

// Quiet twin: the parent's context field is also set from a caller's
// context, which may be done without any cancel func of ours.
type looseClient struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type looseConn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cl *looseClient) close() { cl.cancel() }

func (cl *looseClient) connect() {
	c := &looseConn{}
	c.ctx, c.cancel = context.WithCancel(cl.ctx)
	<-c.ctx.Done()
}

func (cl *looseClient) adopt(ctx context.Context) { cl.ctx = ctx }

func dialLoose(ctx context.Context) (cl *looseClient) {
	nc := &looseClient{}
	nc.ctx, nc.cancel = context.WithCancel(context.Background())
	nc.adopt(ctx)
	defer func() {
		if cl != nil {
			cl.close()
		}
	}()
	go nc.connect() // want `goroutine is not joined`
	return cl
}

func init() { dialLoose(context.Background()) }
