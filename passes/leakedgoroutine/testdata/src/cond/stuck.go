package cond

import "sync"

// A Wait loop whose condition is decided once, before the loop.
type watcher struct {
	mu    sync.Mutex
	cv    *sync.Cond
	files map[string]bool
}

func newWatcher() *watcher {
	w := &watcher{files: make(map[string]bool)}
	w.cv = sync.NewCond(&w.mu)
	return w
}

func (w *watcher) remove(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait() // want `goroutine leaks: this w.cv.Wait\(\) is in a loop whose condition \(exists, line 22\) is decided before the loop and never read again: once in, the loop never ends, however w.cv is signalled; recompute the condition in the loop \(for !ready\(\) \{ w.cv.Wait\(\) \}\)`
	}
}

func (w *watcher) waitGone(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	present := w.files[name]
	for present && name != "" {
		w.cv.Wait() // want `goroutine leaks: this w.cv.Wait\(\) is in a loop whose condition \(present && name != ""`
	}
}

func (w *watcher) drop(name string) {
	w.mu.Lock()
	delete(w.files, name)
	w.cv.Broadcast()
	w.mu.Unlock()
}

func useWatcher() {
	w := newWatcher()
	go w.remove("a")
	go w.waitGone("b")
	w.drop("a")
}

// ---- quiet twins ----

// The fix: the condition is read again on each wake-up.
func (w *watcher) removeFixed(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.files[name] {
		w.cv.Wait()
	}
}

// The condition is recomputed in the loop.
func (w *watcher) removeRecheck(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait()
		_, exists = w.files[name]
	}
}

// Another way out: a return in the loop.
func (w *watcher) removeOrQuit(name string, quit bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait()
		if quit {
			return
		}
	}
}

// A worker meant to run forever.
func (w *watcher) serve() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		w.cv.Wait()
		w.files = make(map[string]bool)
	}
}

func useFixed() {
	w := newWatcher()
	go w.removeFixed("a")
	go w.removeRecheck("a")
	go w.removeOrQuit("a", true)
	w.drop("a")
}

func ServeForever() { newWatcher().serve() }
