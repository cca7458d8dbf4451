// Command cacheprog is a GOCACHEPROG program for futlint's tests (the
// protocol: `go help cacheprog`, cmd/go/internal/cacheprog).
//
//	GOCACHEPROG="cacheprog STORE FALLBACK"
//
// It keeps objects in the directory STORE. A get it cannot answer from
// STORE is looked up, read-only, in FALLBACK, a go command cache
// directory (GOCACHE), so that the go command finds the export data it
// built before instead of compiling the standard library again. Every
// put goes to STORE. Several instances may share STORE: files are written
// to a temporary name and renamed.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// entry is STORE/a-ACTIONID.
type entry struct {
	OutputID []byte
	Size     int64
	Time     time.Time
}

func main() {
	log.SetPrefix("cacheprog: ")
	log.SetFlags(0)
	if len(os.Args) != 3 {
		log.Fatal("usage: cacheprog STORE FALLBACK")
	}
	store, fallback := os.Args[1], os.Args[2]
	if err := os.MkdirAll(store, 0o777); err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	reply := func(res *response) {
		if err := enc.Encode(res); err != nil {
			log.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	reply(&response{KnownCommands: []string{"get", "put", "close"}})

	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return
			}
			log.Fatal(err)
		}
		res := &response{ID: req.ID}
		switch req.Command {
		case "get":
			e, path, ok := get(store, fallback, req.ActionID)
			if !ok {
				res.Miss = true
				break
			}
			res.OutputID, res.Size, res.Time, res.DiskPath = e.OutputID, e.Size, &e.Time, path
		case "put":
			var body []byte
			if req.BodySize > 0 {
				if err := dec.Decode(&body); err != nil { // a base64 JSON string
					log.Fatal(err)
				}
			}
			path, err := put(store, req, body)
			if err != nil {
				res.Err = err.Error()
			}
			res.DiskPath = path
		case "close":
			reply(res)
			return
		default:
			res.Err = "unknown command " + req.Command
		}
		reply(res)
	}
}

func get(store, fallback string, action []byte) (entry, string, bool) {
	var e entry
	if data, err := os.ReadFile(filepath.Join(store, "a-"+hex.EncodeToString(action))); err == nil && json.Unmarshal(data, &e) == nil {
		return e, filepath.Join(store, "o-"+hex.EncodeToString(e.OutputID)), true
	}
	// The go command's cache: DIR/xx/ACTIONID-a holds
	// "v1 ACTIONID OUTPUTID SIZE TIME\n"; the output is DIR/xx/OUTPUTID-d.
	id := hex.EncodeToString(action)
	data, err := os.ReadFile(filepath.Join(fallback, id[:2], id+"-a"))
	f := strings.Fields(string(data))
	if err != nil || len(f) != 5 || f[0] != "v1" || f[1] != id {
		return e, "", false
	}
	out, err1 := hex.DecodeString(f[2])
	size, err2 := strconv.ParseInt(f[3], 10, 64)
	nano, err3 := strconv.ParseInt(f[4], 10, 64)
	path := filepath.Join(fallback, f[2][:2], f[2]+"-d")
	if info, err := os.Stat(path); err1 != nil || err2 != nil || err3 != nil || err != nil || info.Size() != size {
		return e, "", false
	}
	return entry{OutputID: out, Size: size, Time: time.Unix(0, nano)}, path, true
}

func put(store string, req request, body []byte) (string, error) {
	if int64(len(body)) != req.BodySize {
		return "", fmt.Errorf("body of %d bytes, want %d", len(body), req.BodySize)
	}
	path := filepath.Join(store, "o-"+hex.EncodeToString(req.OutputID))
	if err := writeAtomic(path, body); err != nil {
		return "", err
	}
	idx, _ := json.Marshal(entry{OutputID: req.OutputID, Size: req.BodySize, Time: time.Now()})
	return path, writeAtomic(filepath.Join(store, "a-"+hex.EncodeToString(req.ActionID)), idx)
}

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
