package concurrency

import (
	"sync"

	"golang.org/x/tools/go/ssa"

	"github.com/futlint/futlint/internal/ssautil"
)

// The passes that Require the model run at the same time, on their own
// goroutines, and all ask the one *Model of the package. Its answers are
// memoised in maps, so before run returns the model computes what the
// passes ask about the package's own functions (spawns, call sites,
// summaries, locks, contexts); after that (frozen) the maps are only
// read, except for summaries of other packages' functions, imported from
// facts under mu, and each function's Reach, which guards its own memo.
// Questions about functions warm did not see (synthetic wrappers) are
// answered without memoising.

// shared guards what the model still writes once frozen.
type shared struct {
	frozen bool
	mu     sync.Mutex
}

// warm computes the answers passes ask for, then freezes the model. In a
// facts-only unit the passes only compute their facts, which ask for
// summaries and locks, never for spawns, call sites, contexts or the
// hand-off indexes (HandsOff, SendWaitsFor): those are left to be
// computed if asked (spawns, call sites and the hand-off indexes once,
// under their sync.Once; contexts, when frozen, without memoising), which
// spares go vet's dependency units the work.
func (m *Model) warm() {
	if m.chanFields == nil {
		m.chanFields = m.fieldBuffers()
	}
	if !FactsOnly {
		m.fieldUnbuffered()
		m.indexSync()
		m.findSpawns()
		m.indexSites()
	}
	for _, fn := range m.Funcs {
		m.Summary(fn)
	}
	for _, fn := range m.Funcs {
		m.Locks(fn)
		if !FactsOnly {
			m.Contexts(fn)
			m.Reach(fn)
		}
	}
	m.frozen = true
}

// frozenSummary answers Summary once the model is frozen.
func (m *Model) frozenSummary(fn *ssa.Function) (*Summary, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.summaries[fn]; ok {
		return s, true
	}
	if m.Local(fn) {
		return nil, false // not warmed: computed (unsafely) by the caller
	}
	s := m.importSummary(fn)
	m.summaries[fn] = s
	return s, true
}

// frozenReach answers Reach once the model is frozen.
func (m *Model) frozenReach(fn *ssa.Function) *ssautil.Reach {
	if r := m.reach[fn]; r != nil {
		return r
	}
	return ssautil.NewReach(fn)
}
