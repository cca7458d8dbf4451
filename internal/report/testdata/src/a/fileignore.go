//futlint:file-ignore unlockedinc this file runs before any goroutine starts

package a

func early() {
	bad()
}

func later() {
	bad()
}
