// Package e is imported only by the tests of package d.
package e

func Helper() int { return 1 }
