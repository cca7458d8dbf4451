// Package g118 covers every loop shape gosec's G118 reports in its own
// tests (all reported here too) and its negatives, written afresh.
package g118

import (
	"context"
	"database/sql"
	"io"
	"os"
	"time"
)

func sleeper(ctx context.Context) {
	for { // want `loop never checks ctx.Done\(\)`
		time.Sleep(time.Millisecond)
	}
}

func sleepBothCases(ctx context.Context, in <-chan string) {
	for { // want `loop never checks ctx.Done\(\)`
		select {
		case <-in:
			time.Sleep(time.Millisecond)
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func dbPoller(ctx context.Context, db *sql.DB) {
	for { // want `loop never checks ctx.Done\(\)`
		db.Query("SELECT now()")
		time.Sleep(time.Minute)
	}
}

func fileWatcher(ctx context.Context, name string) {
	for { // want `loop never checks ctx.Done\(\)`
		os.ReadFile(name)
		time.Sleep(time.Minute)
	}
}

func spawner(ctx context.Context) {
	for { // want `loop never checks ctx.Done\(\)`
		go func() { time.Sleep(time.Second) }()
		time.Sleep(time.Minute)
	}
}

func deferInLoop(ctx context.Context, name string) {
	for { // want `loop never checks ctx.Done\(\)`
		defer os.WriteFile(name, nil, 0o600)
		time.Sleep(time.Minute)
	}
}

func readSleep(ctx context.Context, r io.Reader) {
	p := make([]byte, 512)
	for { // want `loop never checks ctx.Done\(\)`
		r.Read(p)
		time.Sleep(time.Millisecond)
	}
}

type sender interface{ Send(any) error }

func sendLoop(ctx context.Context, s sender) {
	for { // want `loop never checks ctx.Done\(\)`
		s.Send(1)
	}
}

type receiver interface{ Recv() (any, error) }

func recvLoop(ctx context.Context, r receiver) {
	for { // want `loop never checks ctx.Done\(\)`
		r.Recv()
	}
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// Passing ctx without ever leaving the loop does not stop it.
func queryNoExit(ctx context.Context, q querier) {
	for { // want `loop has no exit, so passing ctx to QueryContext cannot stop it`
		q.QueryContext(ctx, "SELECT 1")
	}
}

func execNoExit(ctx context.Context, q querier) {
	for { // want `loop has no exit, so passing ctx to ExecContext cannot stop it`
		q.ExecContext(ctx, "DELETE FROM t")
	}
}

func beginTxNoExit(ctx context.Context, db *sql.DB) {
	for { // want `loop has no exit, so passing ctx to BeginTx cannot stop it`
		db.BeginTx(ctx, nil)
	}
}

func begins(ctx context.Context, db *sql.DB) {
	for { // want `loop never checks ctx.Done\(\)`
		db.Begin()
	}
}

func execs(ctx context.Context, db *sql.DB) {
	for { // want `loop never checks ctx.Done\(\)`
		db.Exec("DELETE FROM t")
	}
}

func queries(ctx context.Context, db *sql.DB) {
	for { // want `loop never checks ctx.Done\(\)`
		if rows, err := db.Query("SELECT 1"); err == nil {
			rows.Close()
		}
	}
}

func opens(ctx context.Context, name string) {
	for { // want `loop never checks ctx.Done\(\)`
		os.Open(name)
	}
}

func openFiles(ctx context.Context, name string) {
	for { // want `loop never checks ctx.Done\(\)`
		os.OpenFile(name, os.O_RDONLY, 0)
	}
}

func writeFiles(ctx context.Context, name string) {
	for { // want `loop never checks ctx.Done\(\)`
		os.WriteFile(name, nil, 0o600)
	}
}

func reads(ctx context.Context, r io.Reader) {
	p := make([]byte, 512)
	for { // want `loop never checks ctx.Done\(\)`
		r.Read(p)
	}
}

func writes(ctx context.Context, w io.Writer) {
	for { // want `loop never checks ctx.Done\(\)`
		w.Write([]byte("x"))
	}
}

// Negatives.

func timerSelectDone(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func fewSleeps(ctx context.Context) {
	for i := 0; i < 3; i++ {
		time.Sleep(time.Millisecond)
	}
}

func counterBreak(ctx context.Context, limit int) {
	n := 0
	for {
		if n >= limit {
			break
		}
		time.Sleep(time.Millisecond)
		n++
	}
}

func doneCase(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Millisecond):
		}
	}
}

func computeOnly(ctx context.Context) {
	for i := 0; i < 5; i++ {
		_ = i * i
	}
}

func sleepThenBreak(ctx context.Context) {
	for n := 0; ; n++ {
		time.Sleep(time.Millisecond)
		if n > 100 {
			break
		}
	}
}

// The counter is compared after it is stepped (gosec's "loop with break
// statement has external exit"): bounded, quiet.
func countThenBreak(ctx context.Context) {
	count := 0
	for {
		time.Sleep(time.Millisecond)
		count++
		if count > 100 {
			break
		}
	}
}

// Interface methods block by name and signature, not by name alone: a
// cache's Read(key) and a once-like Do(f) are not I/O, so these loops only
// compute: quiet.
type cache interface {
	Read(key string) ([]byte, bool)
}

func spinOnCache(ctx context.Context, c cache) []byte {
	for {
		if v, ok := c.Read("k"); ok {
			return v
		}
	}
}

type stepper interface{ Do(func()) }

func stepAll(ctx context.Context, s stepper, done func() bool) {
	for !done() {
		s.Do(func() {})
	}
}
