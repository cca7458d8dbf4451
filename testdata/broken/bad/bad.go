// Package bad does not type-check.
package bad

// Answer returns a string where an int is declared.
func Answer() int {
	return "forty-two"
}
