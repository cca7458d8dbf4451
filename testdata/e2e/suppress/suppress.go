// Package suppress has every suppression form. Each function has the same
// bug (a counter shared by goroutines started in a loop); the directives
// decide which ones are reported.
package suppress

import "sync"

// SameLine: a valid directive on the reported line.
func SameLine(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ //futlint:ignore unlockedinc e2e: a valid directive on the same line
		}()
	}
	wg.Wait()
	return n
}

// LineAbove: a valid directive on the line above.
func LineAbove(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			//futlint:ignore unlockedinc e2e: a valid directive on the line above
			n++
		}()
	}
	wg.Wait()
	return n
}

// NoLint: a bare //nolint silences every linter.
func NoLint(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ //nolint
		}()
	}
	wg.Wait()
	return n
}

// NoLintFutlint: //nolint:futlint silences futlint (the golangci-lint
// plugin's name).
func NoLintFutlint(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ //nolint:futlint // e2e
		}()
	}
	wg.Wait()
	return n
}

// NoLintName: //nolint:NAME silences that analyzer.
func NoLintName(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++ //nolint:unlockedinc // e2e
		}()
	}
	wg.Wait()
	return n
}

// MissingReason: a directive without a reason is reported and silences
// nothing.
func MissingReason(items []string) int {
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// want+1 futlintdirective "needs a reason"
			//futlint:ignore unlockedinc
			n++ // want unlockedinc "unsynchronized increment of n"
		}()
	}
	wg.Wait()
	return n
}

// Unused: a directive that silences nothing is reported.
func Unused(items []string) int {
	n := 0
	// want+1 unlockedinc "silences no unlockedinc finding"
	//futlint:ignore unlockedinc e2e: nothing to silence here
	n++
	return n + len(items)
}

// Unknown: a directive naming an analyzer futlint does not have is
// reported.
func Unknown(items []string) int {
	n := 0
	// want+1 futlintdirective "unknown analyzer \"nosuchcheck\""
	//futlint:ignore nosuchcheck e2e: no such analyzer
	n++
	return n + len(items)
}
