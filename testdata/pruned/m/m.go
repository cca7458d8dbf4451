// Package m requires d but not e, which only d's tests import: with a
// pruned module graph, e is not in m's go.mod.
package m

import "example.com/d"

func Run() { d.Start() }
