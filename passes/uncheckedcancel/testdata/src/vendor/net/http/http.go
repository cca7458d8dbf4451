// Package http is a stub of net/http for the fixtures: the API they use,
// with the real names, signatures and types, and bodies shaped like the
// real ones where the model looks (handlers run on a goroutine per
// connection, clients block in a RoundTripper, requests carry a context).
// It lives in testdata/src/vendor, so `import "net/http"` finds it (as
// vendor/net/http) instead of analysing the real net/http from source.
package http

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	urlpkg "net/url"
	"strings"
	"sync"
	"time"
)

// A Header represents the key-value pairs in an HTTP header.
type Header map[string][]string

// A Handler responds to an HTTP request.
type Handler interface {
	ServeHTTP(ResponseWriter, *Request)
}

// The HandlerFunc type is an adapter to allow the use of ordinary
// functions as HTTP handlers.
type HandlerFunc func(ResponseWriter, *Request)

// ServeHTTP calls f(w, r).
func (f HandlerFunc) ServeHTTP(w ResponseWriter, r *Request) {
	f(w, r)
}

// A ResponseWriter is used by an HTTP handler to construct a response.
type ResponseWriter interface {
	Header() Header
	Write([]byte) (int, error)
	WriteHeader(statusCode int)
}

// The Flusher interface is implemented by ResponseWriters that allow an
// HTTP handler to flush buffered data to the client.
type Flusher interface {
	Flush()
}

// The Hijacker interface is implemented by ResponseWriters that allow an
// HTTP handler to take over the connection.
type Hijacker interface {
	Hijack() (net.Conn, *bufio.ReadWriter, error)
}

// A Request represents an HTTP request received by a server or to be
// sent by a client.
type Request struct {
	Method        string
	URL           *urlpkg.URL
	Header        Header
	Body          io.ReadCloser
	ContentLength int64
	Host          string
	RemoteAddr    string

	ctx context.Context
}

// Context returns the request's context.
func (r *Request) Context() context.Context {
	if r.ctx != nil {
		return r.ctx
	}
	return context.Background()
}

// NewRequest wraps NewRequestWithContext using context.Background.
func NewRequest(method, url string, body io.Reader) (*Request, error) {
	return NewRequestWithContext(context.Background(), method, url, body)
}

// NewRequestWithContext returns a new Request given a method, URL, and
// optional body.
func NewRequestWithContext(ctx context.Context, method, url string, body io.Reader) (*Request, error) {
	if ctx == nil {
		return nil, errors.New("net/http: nil Context")
	}
	u, err := urlpkg.Parse(url)
	if err != nil {
		return nil, err
	}
	rc, ok := body.(io.ReadCloser)
	if !ok && body != nil {
		rc = io.NopCloser(body)
	}
	return &Request{ctx: ctx, Method: method, URL: u, Header: make(Header), Body: rc, Host: u.Host}, nil
}

// Response represents the response from an HTTP request.
type Response struct {
	Status        string
	StatusCode    int
	Header        Header
	Body          io.ReadCloser
	ContentLength int64
	Request       *Request
}

// RoundTripper is an interface representing the ability to execute a
// single HTTP transaction.
type RoundTripper interface {
	RoundTrip(*Request) (*Response, error)
}

// DefaultTransport is the default implementation of Transport.
var DefaultTransport RoundTripper = &Transport{}

// Transport is an implementation of RoundTripper: it dials the request's
// host with the request's context and reads the response.
type Transport struct{}

// RoundTrip implements the RoundTripper interface.
func (t *Transport) RoundTrip(req *Request) (*Response, error) {
	var d net.Dialer
	conn, err := d.DialContext(req.Context(), "tcp", req.URL.Host)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(conn, req.Method+" "+req.URL.RequestURI()+" HTTP/1.1\r\nHost: "+req.Host+"\r\n\r\n"); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &Response{Status: strings.TrimSpace(status), StatusCode: 200, Header: make(Header), Body: &body{br, conn}, Request: req}, nil
}

// body reads a response from its connection and closes it.
type body struct {
	r    *bufio.Reader
	conn net.Conn
}

func (b *body) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *body) Close() error               { return b.conn.Close() }

// A Client is an HTTP client.
type Client struct {
	Transport RoundTripper
	Timeout   time.Duration
}

// DefaultClient is the default Client and is used by Get, Head, and Post.
var DefaultClient = &Client{}

func (c *Client) transport() RoundTripper {
	if c.Transport != nil {
		return c.Transport
	}
	return DefaultTransport
}

// Do sends an HTTP request and returns an HTTP response.
func (c *Client) Do(req *Request) (*Response, error) {
	return c.transport().RoundTrip(req)
}

// Get issues a GET to the specified URL.
func (c *Client) Get(url string) (resp *Response, err error) {
	req, err := NewRequest("GET", url, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// Head issues a HEAD to the specified URL.
func (c *Client) Head(url string) (resp *Response, err error) {
	req, err := NewRequest("HEAD", url, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// Post issues a POST to the specified URL.
func (c *Client) Post(url, contentType string, body io.Reader) (resp *Response, err error) {
	req, err := NewRequest("POST", url, body)
	if err != nil {
		return nil, err
	}
	req.Header["Content-Type"] = []string{contentType}
	return c.Do(req)
}

// PostForm issues a POST to the specified URL, with data's keys and
// values URL-encoded as the request body.
func (c *Client) PostForm(url string, data urlpkg.Values) (resp *Response, err error) {
	return c.Post(url, "application/x-www-form-urlencoded", strings.NewReader(data.Encode()))
}

// Get issues a GET to the specified URL with DefaultClient.
func Get(url string) (resp *Response, err error) { return DefaultClient.Get(url) }

// Head issues a HEAD to the specified URL with DefaultClient.
func Head(url string) (resp *Response, err error) { return DefaultClient.Head(url) }

// Post issues a POST to the specified URL with DefaultClient.
func Post(url, contentType string, body io.Reader) (resp *Response, err error) {
	return DefaultClient.Post(url, contentType, body)
}

// PostForm issues a POST to the specified URL with DefaultClient.
func PostForm(url string, data urlpkg.Values) (resp *Response, err error) {
	return DefaultClient.PostForm(url, data)
}

// ServeMux is an HTTP request multiplexer.
type ServeMux struct {
	mu sync.RWMutex
	m  map[string]Handler
}

// NewServeMux allocates and returns a new ServeMux.
func NewServeMux() *ServeMux { return &ServeMux{} }

// DefaultServeMux is the default ServeMux used by Serve.
var DefaultServeMux = &defaultServeMux

var defaultServeMux ServeMux

// Handle registers the handler for the given pattern.
func (mux *ServeMux) Handle(pattern string, handler Handler) {
	mux.mu.Lock()
	defer mux.mu.Unlock()
	if mux.m == nil {
		mux.m = make(map[string]Handler)
	}
	mux.m[pattern] = handler
}

// HandleFunc registers the handler function for the given pattern.
func (mux *ServeMux) HandleFunc(pattern string, handler func(ResponseWriter, *Request)) {
	mux.Handle(pattern, HandlerFunc(handler))
}

// ServeHTTP dispatches the request to the handler whose pattern matches
// the request URL.
func (mux *ServeMux) ServeHTTP(w ResponseWriter, r *Request) {
	mux.mu.RLock()
	h, ok := mux.m[r.URL.Path]
	mux.mu.RUnlock()
	if !ok {
		w.WriteHeader(404)
		return
	}
	h.ServeHTTP(w, r)
}

// HandleFunc registers the handler function for the given pattern in
// DefaultServeMux.
func HandleFunc(pattern string, handler func(ResponseWriter, *Request)) {
	DefaultServeMux.HandleFunc(pattern, handler)
}

// A Server defines parameters for running an HTTP server.
type Server struct {
	Addr    string
	Handler Handler // handler to invoke, http.DefaultServeMux if nil
}

// Serve accepts incoming connections on the Listener l, creating a new
// service goroutine for each. Serve always returns a non-nil error.
func (srv *Server) Serve(l net.Listener) error {
	for {
		rw, err := l.Accept()
		if err != nil {
			return err
		}
		c := &conn{server: srv, rwc: rw}
		go c.serve()
	}
}

// A conn represents the server side of an HTTP connection.
type conn struct {
	server *Server
	rwc    net.Conn
}

// serve reads requests from the connection and runs the server's
// handler for each, one after the other.
func (c *conn) serve() {
	defer c.rwc.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	br := bufio.NewReader(c.rwc)
	bw := bufio.NewWriter(c.rwc)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return
		}
		u, err := urlpkg.ParseRequestURI(f[1])
		if err != nil {
			return
		}
		req := &Request{ctx: ctx, Method: f[0], URL: u, Header: make(Header), Body: io.NopCloser(br), RemoteAddr: c.rwc.RemoteAddr().String()}
		w := &response{conn: c, header: make(Header), w: bw, rw: bufio.NewReadWriter(br, bw)}
		handler := c.server.Handler
		if handler == nil {
			handler = DefaultServeMux
		}
		handler.ServeHTTP(w, req)
		if w.hijacked {
			return
		}
		if bw.Flush() != nil {
			return
		}
	}
}

// A response is the server side of an HTTP response.
type response struct {
	conn     *conn
	header   Header
	w        *bufio.Writer
	rw       *bufio.ReadWriter
	status   int
	hijacked bool
}

func (w *response) Header() Header              { return w.header }
func (w *response) Write(p []byte) (int, error) { return w.w.Write(p) }
func (w *response) WriteHeader(statusCode int)  { w.status = statusCode }
func (w *response) Flush()                      { w.w.Flush() }
func (w *response) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	return w.conn.rwc, w.rw, nil
}
