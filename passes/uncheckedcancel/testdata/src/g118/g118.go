// Package g118 covers every loop shape gosec's G118 reports in its own
// tests (all reported here too) and its negatives, written afresh.
package g118

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/url"
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

func getPoller(ctx context.Context, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
		}
		time.Sleep(time.Minute)
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

type doer interface {
	Do(*http.Request) (*http.Response, error)
}

func doLoop(ctx context.Context, d doer, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		req, _ := http.NewRequest("GET", u, nil)
		d.Do(req)
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

func roundTrips(ctx context.Context, rt http.RoundTripper, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		req, _ := http.NewRequest("GET", u, nil)
		rt.RoundTrip(req)
	}
}

func heads(ctx context.Context, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		http.Head(u)
	}
}

func posts(ctx context.Context, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		http.Post(u, "text/plain", nil)
	}
}

func postForms(ctx context.Context, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		http.PostForm(u, url.Values{})
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

func handlerPoller(w http.ResponseWriter, r *http.Request) {
	for { // want `loop never checks r\.Context\(\).Done\(\)`
		time.Sleep(time.Second)
	}
}

// Negatives.

func watchedInGoroutine(w http.ResponseWriter, r *http.Request) {
	go func(c context.Context) {
		for {
			select {
			case <-c.Done():
				return
			case <-time.After(time.Millisecond):
			}
		}
	}(r.Context())
}

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

func tickerDone(ctx context.Context, u string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}
	}
}

func fixedFetches(ctx context.Context, u string) error {
	c := &http.Client{}
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("GET", u, nil)
		if _, err := c.Do(req); err != nil {
			return err
		}
	}
	return nil
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
