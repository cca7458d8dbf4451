package cond

// Each case here is pinned: switching off the check it names makes it
// fail. The shape is watcher.remove's: exists := true; for exists { Wait }.

// A branch inside the loop that stays in it is no way out, whatever it
// reads.
func (w *watcher) removeLogged(name string, verbose bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		if verbose && !w.files[name] {
			w.files[name] = true
		}
		w.cv.Wait() // want `goroutine leaks: this w.cv.Wait\(\) is in a loop whose condition \(exists, line \d+\) is decided before the loop`
	}
}

// The condition converts a value decided before the loop.
func (w *watcher) removeConverted(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for int64(n) > 0 {
		w.cv.Wait() // want `goroutine leaks: this w.cv.Wait\(\) is in a loop whose condition \(int64\(n\) > 0, line \d+\) is decided before the loop`
	}
}

// ---- quiet twins ----

// Another test, after the Wait, leaves the loop on the first wake-up.
func (w *watcher) removeOnce(name string, once bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait()
		if once {
			w.files[name] = false
		}
		if once {
			break
		}
	}
}

// A loop made with goto has no for condition to name (not reported).
func (w *watcher) removeGoto(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
again:
	if exists {
		w.cv.Wait()
		goto again
	}
}

func useTwins() {
	w := newWatcher()
	go w.removeLogged("a", true)
	go w.removeConverted(1)
	go w.removeOnce("a", true)
	go w.removeGoto("a")
	w.drop("a")
}

// A condition that is constant false: the loop never runs.
const waitForever = false

func (w *watcher) removeDisabled(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for waitForever {
		w.cv.Wait()
	}
}

// The condition loads memory each time round.
func (w *watcher) removeFlag(gone *bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for !*gone {
		w.cv.Wait()
	}
}

// The condition receives each time round.
func (w *watcher) removeWhile(more <-chan bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for <-more {
		w.cv.Wait()
	}
}

func useMoreTwins(gone *bool, more chan bool) {
	w := newWatcher()
	go w.removeDisabled("a")
	go w.removeFlag(gone)
	go w.removeWhile(more)
	w.drop("a")
}
