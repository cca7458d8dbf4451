// Package broken does not type-check: Shared must say so, not panic.
package broken

type twice struct{}

type twice struct{}
