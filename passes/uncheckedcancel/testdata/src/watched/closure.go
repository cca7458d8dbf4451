package watched

// DrainEach reads in a closure it calls: the closure is part of
// DrainEach's work, under Exec's watch of r.ctx: quiet.
func (r *Reader) DrainEach() error {
	read := func() error {
		buf := make([]byte, 64)
		for {
			if _, err := r.conn.conn.Read(buf); err != nil {
				return err
			}
		}
	}
	return read()
}

// DrainEach's twin on a reader whose ctx nobody watches.
func (u *Unwatched) DrainEach() error {
	read := func() error {
		buf := make([]byte, 64)
		for { // want `loop never checks u\.ctx\.Done\(\)`
			if _, err := u.conn.conn.Read(buf); err != nil {
				return err
			}
		}
	}
	return read()
}
