// Package web holds the loops of HTTP handlers and clients. Its net/http
// is the stub in testdata/src/vendor/net/http: the real one, analysed
// from source for facts, doubled the tests' CPU.
package web

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/url"
	"time"
)

type Job struct{ ID int }

func process(Job) {}

// A streaming handler that ignores r.Context(): flagged.
func stream(w http.ResponseWriter, r *http.Request) {
	flusher := w.(http.Flusher)
	for { // want `loop never checks r\.Context\(\).Done\(\)`
		if _, err := w.Write([]byte("tick\n")); err != nil {
			return
		}
		flusher.Flush()
		time.Sleep(time.Second)
	}
}

// A streaming handler that watches the request's context: quiet.
func streamDone(w http.ResponseWriter, r *http.Request) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
			w.Write([]byte("tick\n"))
		}
	}
}

// Reading a response made with ctx: its body stops with ctx, quiet.
func readBody(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		process(Job{})
	}
	return sc.Err()
}

// Echoing the request body: reads end when the request does, quiet.
func echo(w http.ResponseWriter, r *http.Request) {
	var buf [512]byte
	for {
		n, err := r.Body.Read(buf[:])
		if err != nil {
			return
		}
		w.Write(buf[:n])
	}
}

// A hijacked connection is the handler's own: r.Context() no longer
// governs it, quiet.
func hijacked(w http.ResponseWriter, r *http.Request) {
	conn, brw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	for {
		line, err := brw.ReadString('\n')
		if err != nil {
			return
		}
		brw.WriteString(line)
		brw.Flush()
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

type doer interface {
	Do(*http.Request) (*http.Response, error)
}

func doLoop(ctx context.Context, d doer, u string) {
	for { // want `loop never checks ctx.Done\(\)`
		req, _ := http.NewRequest("GET", u, nil)
		d.Do(req)
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

func handlerPoller(w http.ResponseWriter, r *http.Request) {
	for { // want `loop never checks r\.Context\(\).Done\(\)`
		time.Sleep(time.Second)
	}
}

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

// The fix for a handler names the request's context.
func streamFix(w http.ResponseWriter, r *http.Request) {
	for { // want `loop never checks r\.Context\(\).Done\(\)`
		w.Write([]byte("."))
		time.Sleep(time.Second)
	}
}

var hc = &http.Client{}

// fetchPage is given ctx and checks it, but makes its request without
// it: a loop that hands ctx to it can block in hc.Get after ctx is
// cancelled. Reported at the loop, naming fetchPage; the fix belongs in
// fetchPage, so there is none here.
func fetchPage(ctx context.Context, u string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func crawl(ctx context.Context, urls <-chan string) error {
	for u := range urls { // want `fetchPage is given ctx but calls \(\*http\.Client\)\.Get without it, so this loop can block after ctx is cancelled; in fetchPage, use http\.NewRequestWithContext\(ctx, \.\.\.\) and Client\.Do`
		if err := fetchPage(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// The request made with ctx: quiet.
func fetchPageCtx(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func crawlCtx(ctx context.Context, urls <-chan string) error {
	for u := range urls {
		if err := fetchPageCtx(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// net.Dial in a callee given ctx, through a helper: flagged.
func dialAddr(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }

func dial(ctx context.Context, addr string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return dialAddr(addr)
}

func redial(ctx context.Context, addr string) (net.Conn, error) {
	for { // want `dial is given ctx but calls net\.Dial without it.*use \(&net\.Dialer\{\}\)\.DialContext\(ctx, \.\.\.\)`
		c, err := dial(ctx, addr)
		if err == nil {
			return c, nil
		}
	}
}

// DialContext: quiet.
func dialCtx(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}

func redialCtx(ctx context.Context, addr string) net.Conn {
	for {
		c, err := dialCtx(ctx, addr)
		if err == nil {
			return c
		}
	}
}

// A streaming handler on a ticker that returns on its own "done"
// condition but never looks at r.Context(): after the client has gone it
// keeps ticking until done. Flagged.
func tickHandler(w http.ResponseWriter, r *http.Request) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	n := 0
	for range t.C { // want `loop never checks r\.Context\(\)\.Done\(\): it keeps running after r\.Context\(\) is cancelled; check r\.Context\(\)\.Err\(\) in the loop and return`
		n++
		if n > 10 {
			return
		}
		w.Write([]byte("."))
	}
}

// The same with a case on the request's context: quiet.
func tickHandlerDone(w http.ResponseWriter, r *http.Request) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for n := 0; n <= 10; {
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
			n++
			w.Write([]byte("."))
		}
	}
}
