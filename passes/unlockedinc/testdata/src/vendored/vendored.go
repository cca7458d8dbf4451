// Package vendored is a GOPATH project that vendors errgroup: its package
// path is vendored/vendor/golang.org/x/sync/errgroup, and it is errgroup.
package vendored

import "golang.org/x/sync/errgroup"

// Reported: the vendored Group.Go is errgroup.Group.Go, a spawner.
func group(items []int) error {
	var g errgroup.Group
	n := 0
	for range items {
		g.Go(func() error {
			n++ // want `unsynchronized increment of n \(shared by the functions passed to errgroup.Group.Go in a loop at vendored.go:12\)`
			return nil
		})
	}
	return g.Wait()
}

// Quiet: the vendored Group.Wait is errgroup.Group.Wait, a join.
func groupJoined() int {
	var g errgroup.Group
	n := 0
	g.Go(func() error {
		n++
		return nil
	})
	g.Wait()
	return n
}
