// Package httptest is a stub of net/http/httptest for the fixtures (see
// the net/http stub beside it).
package httptest

import (
	"net"
	"net/http"
	"sync"
)

// A Server is an HTTP server listening on a system-chosen port on the
// local loopback interface, for use in end-to-end HTTP tests.
type Server struct {
	URL      string // base URL of form http://ipaddr:port with no trailing slash
	Listener net.Listener
	Config   *http.Server

	wg sync.WaitGroup // the serving goroutine
}

// NewServer starts and returns a new Server. The caller should call
// Close when finished, to shut it down.
func NewServer(handler http.Handler) *Server {
	ts := NewUnstartedServer(handler)
	ts.Start()
	return ts
}

// NewUnstartedServer returns a new Server but doesn't start it.
func NewUnstartedServer(handler http.Handler) *Server {
	return &Server{
		Listener: newLocalListener(),
		Config:   &http.Server{Handler: handler},
	}
}

func newLocalListener() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("httptest: failed to listen on a port: " + err.Error())
	}
	return l
}

// Start starts a server from NewUnstartedServer.
func (s *Server) Start() {
	s.URL = "http://" + s.Listener.Addr().String()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.Config.Serve(s.Listener)
	}()
}

// Close shuts down the server and blocks until its serving goroutine has
// returned.
func (s *Server) Close() {
	s.Listener.Close()
	s.wg.Wait()
}
