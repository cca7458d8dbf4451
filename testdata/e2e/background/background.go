// Package background starts a goroutine that nothing waits for: reported
// by leakedgoroutine unless -leakedgoroutine.strict=false.
package background

// Start runs work in the background and returns at once.
func Start(work func()) {
	go work() // want leakedgoroutine "goroutine is not joined"
}
