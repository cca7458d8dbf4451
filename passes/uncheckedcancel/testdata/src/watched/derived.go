package watched

import "context"

// A Derived reader's context is made by a call that is not a root
// context (WithValue of the caller's): nothing shows it is watched.
type Derived struct {
	conn *Conn
	ctx  context.Context
}

type ctxKey struct{}

func (c *Conn) OpenDerived(ctx context.Context) *Derived {
	return &Derived{conn: c, ctx: context.WithValue(ctx, ctxKey{}, 1)}
}

func (d *Derived) Drain() error {
	buf := make([]byte, 64)
	for { // want `loop never checks d\.ctx\.Done\(\)`
		if _, err := d.conn.conn.Read(buf); err != nil {
			return err
		}
	}
}
