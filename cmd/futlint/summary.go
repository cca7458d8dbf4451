package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/futlint/futlint/internal/driver"
)

// unjoined reports whether f is a leakedgoroutine grade 2 finding (a
// goroutine nothing joins: the policy, which -leakedgoroutine.strict=false
// turns off), as opposed to grade 1 (a goroutine that blocks forever).
func unjoined(f driver.Finding) bool {
	return f.Analyzer == "leakedgoroutine" &&
		(f.Category == "unjoined" || strings.HasPrefix(f.Message, "goroutine is not joined"))
}

// harmful reports whether f is one of leakedgoroutine's harmful unjoined
// classes (never ends, outlives its test or owner): reported also with
// -leakedgoroutine.strict=false, counted apart from grade 1 and 2.
func harmful(f driver.Finding) bool {
	if f.Analyzer != "leakedgoroutine" {
		return false
	}
	switch f.Category {
	case "never-ends", "outlives-test", "outlives-owner":
		return true
	}
	return false
}

// summaryInput is what the last line of a text run reports.
type summaryInput struct {
	findings []driver.Finding // the findings still standing (with -diff, all)
	fixed    int              // findings whose fix -fix applied (or -diff printed)
	packages int              // packages analysed
	failed   int              // packages that failed (the errors printed above)
	code     int              // the exit code
	diff     bool
	hidden   []string // findings not reported: "N in the baseline F", ...
}

// summary is the one line a text run ends with on stderr: what was found
// per analyzer (leakedgoroutine's two grades apart), how to hide grade 2,
// and what the exit code means.
func summary(in summaryInput) string {
	var b strings.Builder
	b.WriteString(progname + ": ")
	counts := make(map[string]int)
	grade2, harm := 0, 0
	for _, f := range in.findings {
		counts[f.Analyzer]++
		if unjoined(f) {
			grade2++
		}
		if harmful(f) {
			harm++
		}
	}
	switch len(in.findings) {
	case 0:
		b.WriteString("no findings")
	case 1:
		b.WriteString("1 finding")
	default:
		fmt.Fprintf(&b, "%d findings", len(in.findings))
	}
	fmt.Fprintf(&b, " in %s", plural(in.packages, "package"))
	if len(counts) > 0 {
		names := make([]string, 0, len(counts))
		for name := range counts {
			names = append(names, name)
		}
		slices.Sort(names)
		var parts []string
		for _, name := range names {
			part := fmt.Sprintf("%s %d", name, counts[name])
			if name == "leakedgoroutine" {
				if harm > 0 {
					part += fmt.Sprintf(" (grade 1 leaks %d, harmful unjoined %d, grade 2 not joined %d)", counts[name]-grade2-harm, harm, grade2)
				} else {
					part += fmt.Sprintf(" (grade 1 leaks %d, grade 2 not joined %d)", counts[name]-grade2, grade2)
				}
			}
			parts = append(parts, part)
		}
		b.WriteString(": " + strings.Join(parts, ", "))
	}
	if in.fixed > 0 {
		if in.diff {
			fmt.Fprintf(&b, "; %d of them fixed by the diff on stdout, the others listed above", in.fixed)
		} else {
			fmt.Fprintf(&b, "; %d more fixed in place", in.fixed)
		}
	}
	if len(in.hidden) > 0 {
		fmt.Fprintf(&b, "; not reported: %s", strings.Join(in.hidden, ", "))
	}
	if in.failed > 0 {
		fmt.Fprintf(&b, "; %s failed (see above)", plural(in.failed, "package"))
	}
	b.WriteString("; ")
	switch in.code {
	case exitClean:
		b.WriteString("exit 0 (clean)")
	case exitFindings:
		b.WriteString("exit 3 (findings)")
	case exitError:
		b.WriteString("exit 1 (a package failed to load or be analysed, or a fix failed)")
	default:
		fmt.Fprintf(&b, "exit %d", in.code)
	}
	if grade2 > 0 {
		fmt.Fprintf(&b, "; -leakedgoroutine.strict=false hides the %s", plural(grade2, "grade-2 finding"))
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// progress shows "futlint: N/M packages" on stderr while the run lasts,
// when stderr is a terminal; elsewhere (CI logs, pipes, files) it is
// silent. It also records the number of packages for the summary.
type progress struct {
	w        io.Writer // nil: record only
	mu       sync.Mutex
	total    int
	shown    bool
	lastDone int
}

func newProgress(stderr *os.File) *progress {
	p := new(progress)
	if isTerminal(stderr) && os.Getenv("TERM") != "dumb" {
		p.w = stderr
	}
	return p
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && fi.Mode()&os.ModeDevice != 0 && !isDevNull(fi)
}

func isDevNull(fi os.FileInfo) bool {
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(fi, null)
}

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.lastDone = total, done
	if p.w != nil {
		fmt.Fprintf(p.w, "\r%s: analysed %d/%d packages", progname, done, total)
		p.shown = true
	}
}

// clear erases the progress line, before anything else is printed.
func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
