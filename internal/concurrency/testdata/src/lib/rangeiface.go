package lib

// RangeCloser is an interface with Ranger's method: an interface is no
// implementation (its method has no body), so RangeAll stays Sync.
type RangeCloser interface {
	Range(func(int) bool)
	Close() error
}
