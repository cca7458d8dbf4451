package main

import "context"

// Quiet twin of dial: the result's address is handed to a setter, so the
// result may be set and its close, in the deferred cleanup, may run.
type setClient struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cl *setClient) close() { cl.cancel() }

func (cl *setClient) connect() { <-cl.ctx.Done() }

func storeClient(dst **setClient, c *setClient) { *dst = c }

func dialSet(ctx context.Context) (cl *setClient) {
	nc := &setClient{}
	nc.ctx, nc.cancel = context.WithCancel(context.Background())
	defer func() {
		if cl != nil {
			cl.close()
		}
	}()
	go nc.connect() // want `goroutine is not joined`
	storeClient(&cl, nc)
	return cl
}

func init() { dialSet(context.Background()) }
