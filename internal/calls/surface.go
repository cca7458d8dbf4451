package calls

import (
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Role is what a function of the concurrency library surface does.
type Role uint8

const (
	NoRole Role = iota
	// Spawn: runs its last func argument on a new goroutine and returns
	// (errgroup.Group.Go, sync.WaitGroup.Go, conc, time.AfterFunc).
	Spawn
	// Handle: registers its last func or Handler argument to run on a
	// goroutine of its own for every request, many at a time.
	Handle
	// Subtest: t.Run; the function runs on a new goroutine, in parallel
	// with its siblings only if it calls t.Parallel.
	Subtest
	// RunParallel: b.RunParallel; the function runs on many goroutines.
	RunParallel
	// SyncCallback: calls its func argument before it returns, on the
	// caller's goroutine (sync.Once.Do, sync.Map.Range).
	SyncCallback
	// Join: waits until goroutines started through its receiver (or, for
	// synctest.Wait, the bubble's goroutines) are done.
	Join
	// Signal: tells a joiner that a goroutine is done (WaitGroup.Done).
	Signal
	// Acquire and Release: a lock operation on the receiver.
	Acquire
	Release
	// TryAcquire: acquires the receiver only when it returns true.
	TryAcquire
	// Exit: never returns (os.Exit, log.Fatal, t.FailNow). ctrlflow
	// knows these from facts when the standard library is analysed; the
	// standalone driver does not analyse it.
	Exit
)

// An Entry describes one function of the concurrency library surface.
type Entry struct {
	Role Role
	// What names the function in messages: "errgroup.Group.Go".
	What string
	// Read: the lock operation is on an RWMutex's read lock.
	Read bool
}

// Surface is the one table of library functions futlint knows by exact
// name. Everything not here is judged from its code (or its facts).
// The model's -concurrency.spawners flag and //futlint:spawner add to
// the spawners.
var Surface = map[string]Entry{
	"(*golang.org/x/sync/errgroup.Group).Go":                   {Spawn, "errgroup.Group.Go", false},
	"(*golang.org/x/sync/errgroup.Group).TryGo":                {Spawn, "errgroup.Group.TryGo", false},
	"(*sync.WaitGroup).Go":                                     {Spawn, "sync.WaitGroup.Go", false},
	"(*github.com/sourcegraph/conc.WaitGroup).Go":              {Spawn, "conc.WaitGroup.Go", false},
	"(*github.com/sourcegraph/conc/pool.Pool).Go":              {Spawn, "pool.Pool.Go", false},
	"(*github.com/sourcegraph/conc/pool.ErrorPool).Go":         {Spawn, "pool.ErrorPool.Go", false},
	"(*github.com/sourcegraph/conc/pool.ContextPool).Go":       {Spawn, "pool.ContextPool.Go", false},
	"(*github.com/sourcegraph/conc/pool.ResultPool).Go":        {Spawn, "pool.ResultPool.Go", false},
	"(*github.com/sourcegraph/conc/pool.ResultErrorPool).Go":   {Spawn, "pool.ResultErrorPool.Go", false},
	"(*github.com/sourcegraph/conc/pool.ResultContextPool).Go": {Spawn, "pool.ResultContextPool.Go", false},
	"(*github.com/sourcegraph/conc/stream.Stream).Go":          {Spawn, "stream.Stream.Go", false},
	"time.AfterFunc": {Spawn, "time.AfterFunc", false},

	"net/http.HandleFunc":             {Handle, "http.HandleFunc", false},
	"net/http.Handle":                 {Handle, "http.Handle", false},
	"(*net/http.ServeMux).HandleFunc": {Handle, "http.ServeMux.HandleFunc", false},
	"(*net/http.ServeMux).Handle":     {Handle, "http.ServeMux.Handle", false},

	"(*testing.T).Run":         {Subtest, "subtest", false},
	"(*testing.B).RunParallel": {RunParallel, "RunParallel", false},

	"(*sync.Once).Do":   {SyncCallback, "sync.Once.Do", false},
	"(*sync.Map).Range": {SyncCallback, "sync.Map.Range", false},

	"(*sync.WaitGroup).Wait":                                     {Join, "sync.WaitGroup.Wait", false},
	"(*golang.org/x/sync/errgroup.Group).Wait":                   {Join, "errgroup.Group.Wait", false},
	"(*github.com/sourcegraph/conc.WaitGroup).Wait":              {Join, "conc.WaitGroup.Wait", false},
	"(*github.com/sourcegraph/conc.WaitGroup).WaitAndRecover":    {Join, "conc.WaitGroup.WaitAndRecover", false},
	"(*github.com/sourcegraph/conc/pool.Pool).Wait":              {Join, "pool.Pool.Wait", false},
	"(*github.com/sourcegraph/conc/pool.ErrorPool).Wait":         {Join, "pool.ErrorPool.Wait", false},
	"(*github.com/sourcegraph/conc/pool.ContextPool).Wait":       {Join, "pool.ContextPool.Wait", false},
	"(*github.com/sourcegraph/conc/pool.ResultPool).Wait":        {Join, "pool.ResultPool.Wait", false},
	"(*github.com/sourcegraph/conc/pool.ResultErrorPool).Wait":   {Join, "pool.ResultErrorPool.Wait", false},
	"(*github.com/sourcegraph/conc/pool.ResultContextPool).Wait": {Join, "pool.ResultContextPool.Wait", false},
	"(*github.com/sourcegraph/conc/stream.Stream).Wait":          {Join, "stream.Stream.Wait", false},
	"testing/synctest.Wait":                                      {Join, "synctest.Wait", false},

	"(*sync.WaitGroup).Done": {Signal, "sync.WaitGroup.Done", false},

	"(*sync.Mutex).Lock":       {Acquire, "sync.Mutex.Lock", false},
	"(*sync.Mutex).Unlock":     {Release, "sync.Mutex.Unlock", false},
	"(*sync.Mutex).TryLock":    {TryAcquire, "sync.Mutex.TryLock", false},
	"(*sync.RWMutex).Lock":     {Acquire, "sync.RWMutex.Lock", false},
	"(*sync.RWMutex).Unlock":   {Release, "sync.RWMutex.Unlock", false},
	"(*sync.RWMutex).TryLock":  {TryAcquire, "sync.RWMutex.TryLock", false},
	"(*sync.RWMutex).RLock":    {Acquire, "sync.RWMutex.RLock", true},
	"(*sync.RWMutex).RUnlock":  {Release, "sync.RWMutex.RUnlock", true},
	"(*sync.RWMutex).TryRLock": {TryAcquire, "sync.RWMutex.TryRLock", true},
	"(sync.Locker).Lock":       {Acquire, "sync.Locker.Lock", false},
	"(sync.Locker).Unlock":     {Release, "sync.Locker.Unlock", false},

	"os.Exit":                   {Exit, "os.Exit", false},
	"runtime.Goexit":            {Exit, "runtime.Goexit", false},
	"log.Fatal":                 {Exit, "log.Fatal", false},
	"log.Fatalf":                {Exit, "log.Fatalf", false},
	"log.Fatalln":               {Exit, "log.Fatalln", false},
	"log.Panic":                 {Exit, "log.Panic", false},
	"log.Panicf":                {Exit, "log.Panicf", false},
	"log.Panicln":               {Exit, "log.Panicln", false},
	"(*log.Logger).Fatal":       {Exit, "log.Logger.Fatal", false},
	"(*log.Logger).Fatalf":      {Exit, "log.Logger.Fatalf", false},
	"(*log.Logger).Fatalln":     {Exit, "log.Logger.Fatalln", false},
	"(*log.Logger).Panic":       {Exit, "log.Logger.Panic", false},
	"(*log.Logger).Panicf":      {Exit, "log.Logger.Panicf", false},
	"(*log.Logger).Panicln":     {Exit, "log.Logger.Panicln", false},
	"(*testing.common).Fatal":   {Exit, "testing.T.Fatal", false},
	"(*testing.common).Fatalf":  {Exit, "testing.T.Fatalf", false},
	"(*testing.common).FailNow": {Exit, "testing.T.FailNow", false},
	"(*testing.common).Skip":    {Exit, "testing.T.Skip", false},
	"(*testing.common).Skipf":   {Exit, "testing.T.Skipf", false},
	"(*testing.common).SkipNow": {Exit, "testing.T.SkipNow", false},
	"(testing.TB).Fatal":        {Exit, "testing.TB.Fatal", false},
	"(testing.TB).Fatalf":       {Exit, "testing.TB.Fatalf", false},
	"(testing.TB).FailNow":      {Exit, "testing.TB.FailNow", false},
	"(testing.TB).Skip":         {Exit, "testing.TB.Skip", false},
	"(testing.TB).Skipf":        {Exit, "testing.TB.Skipf", false},
	"(testing.TB).SkipNow":      {Exit, "testing.TB.SkipNow", false},
}

// surfaceBare holds the bare names of Surface's functions, so Lookup
// rules most calls out without building their full names.
var surfaceBare = func() map[string]bool {
	m := make(map[string]bool)
	for n := range Surface {
		m[n[strings.LastIndexByte(n, '.')+1:]] = true
	}
	return m
}()

// Lookup returns the Surface entry of the function c calls, by exact full
// name: a rate limiter's Wait is no Join, TryLock is no Acquire.
// Embedded mutexes need nothing special: SSA calls the promoted method of
// the embedded field.
func Lookup(c *ssa.CallCommon) (Entry, bool) {
	obj := Callee(c)
	if obj == nil || !surfaceBare[obj.Name()] {
		return Entry{}, false
	}
	e, ok := Surface[Name(c)]
	return e, ok
}
