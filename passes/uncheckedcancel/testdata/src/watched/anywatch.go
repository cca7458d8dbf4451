package watched

import "context"

// watchAny watches a context it is given as an any. The model gives the
// Watched bit only to context.Context parameters (any other parameter
// would cost a scan of its function for every summary), so a watch
// through it is not seen.
func (c *Conn) watchAny(x any) { c.w.Watch(x.(context.Context)) }

// Reported, a known limit: the watch goes through an any parameter.
func (c *Conn) WatchedThroughAny(ctx context.Context) error {
	c.watchAny(ctx)
	buf := make([]byte, 64)
	for { // want `loop never checks ctx\.Done\(\)`
		if _, err := c.conn.Read(buf); err != nil {
			return err
		}
	}
}
