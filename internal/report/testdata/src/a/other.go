package a

// A file-ignore in another file of the package does not reach this one.
func otherFile() {
	bad() // want "call to bad"
}
