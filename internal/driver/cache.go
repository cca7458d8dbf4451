package driver

// The result cache: each unit's output (the JSON tree of findings, fixes
// and analyzer errors, and the vetx file of types and facts it exports) is
// kept under a key that hashes everything the output depends on, so that
// a unit whose key is known is not analysed again; its vetx file is still
// handed to its dependents, so a cached unit and a fresh one are the same
// to them. The store is honnef.co/go/tools/lintcmd/cache (staticcheck's
// copy of the go command's cache): atomic writes, trimming of entries
// unused for five days, GOCACHEPROG. Everything that reads an entry
// checks its checksum and shape, so a damaged entry is a miss.
//
// The key of a unit hashes:
//   - futlint itself: a hash of the executable (version, analyzers, Go
//     release it was built with), and the flags given to each unit
//     (analyzer switches and options, -vet);
//   - the environment that decides how code is read: GOOS, GOARCH and
//     the other go env settings below, GODEBUG, -tags;
//   - the package as go list described it: ID, path, directory, module,
//     its import map, and the names and contents of its compiled Go files,
//     other files and ignored files;
//   - each import's vetx file, by content: for an import analysed in this
//     run, the vetx its unit wrote (or got from the cache), which carries
//     its facts; for any other, its export data from the go command.
//
// So an edit re-analyses the package edited and, through the changed vetx
// files, those of its importers that see different types or facts;
// importers of a package whose vetx did not change are cache hits.
//
// Failed units (type errors, crashes, -unitmem) are not stored: they run
// again next time, and so report the same errors.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/build"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"honnef.co/go/tools/lintcmd/cache"
)

// Cache is a store of unit results: honnef.co/go/tools/lintcmd/cache's
// disk cache or its GOCACHEPROG client.
type Cache = cache.Cache

// goEnvKeys are the go env settings that can change what a unit's
// analysis sees beyond the files go list names (whose contents are
// hashed anyway): the target, the toolchain, experiments.
var goEnvKeys = []string{"GOOS", "GOARCH", "GOVERSION", "GOEXPERIMENT", "CGO_ENABLED", "GOFLAGS", "GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM"}

// resultCache is the driver's use of the cache during one run.
type resultCache struct {
	c cache.Cache

	// base is the part of every key shared by all units: the tool, its
	// flags and the environment. Computed once, while go list runs.
	base    func() ([]byte, error)
	exports sync.Map // package path -> *exportHash

	spec *speculation

	hits, misses atomic.Int32
	mu           sync.Mutex
	log          []string // "hit ID" / "miss ID", for FUTLINT_CACHEDEBUG
}

type exportHash struct {
	once sync.Once
	sum  [32]byte
	err  error
}

// unitCache is a unit's cache state, kept in the unit.
type unitCache struct {
	key      cache.ActionID
	keyed    bool     // key is valid: the unit's result may be stored
	vetxHash [32]byte // hash of the unit's vetx output, when u.vetx != ""
}

func newResultCache(ctx context.Context, c cache.Cache, opts *Options) *resultCache {
	rc := &resultCache{c: c}
	rc.base = sync.OnceValues(func() ([]byte, error) { return keyBase(opts) })
	//futlint:ignore leakedgoroutine every later rc.base() call waits for this one (sync.OnceValues), which futlint does not model
	go rc.base() // overlaps go list
	rc.speculate(ctx, opts)
	return rc
}

// The export data of the imports no unit analyses is fetched by a second
// go list, which needs the first one's answer (prefetchExports). On a
// warm run that is most of the time left, so the cache also remembers,
// per working directory and patterns, which packages that was, and the
// next run lists those at once, alongside the first go list. The guess
// is only a head start: what the first go list says is needed and the
// guess did not cover is listed afterwards as before, and the export
// data always comes from a go list of this run.
type speculation struct {
	key  cache.ActionID
	old  string // the remembered paths, newline-separated
	done chan struct{}
	m    map[string]*listPackage // nil if the go list failed
}

func (rc *resultCache) speculate(ctx context.Context, opts *Options) {
	cwd, _ := os.Getwd()
	h := cache.NewHash("futlint export list")
	fmt.Fprintf(h, "futlint export list v1\ncwd %q\ndir %q\npatterns %q\ntags %q\ntests %v\nGOFLAGS %q\n", cwd, opts.Dir, opts.Patterns, opts.Tags, opts.Tests, os.Getenv("GOFLAGS"))
	s := &speculation{key: h.Sum(), done: make(chan struct{})}
	rc.spec = s
	data, _, err := cache.GetBytes(rc.c, s.key)
	if err != nil || len(data) == 0 {
		close(s.done)
		return
	}
	s.old = string(data)
	go func() {
		defer close(s.done)
		pkgs, err := runGoList(ctx, opts, []string{"list", "-e", "-export", "-json=ImportPath,Export,Error"}, strings.Split(s.old, "\n"))
		if err != nil {
			return
		}
		s.m = make(map[string]*listPackage, len(pkgs))
		for _, p := range pkgs {
			if !strings.Contains(p.ImportPath, " ") {
				s.m[p.ImportPath] = p
			}
		}
	}()
}

// speculatedExports returns the export data the speculative go list
// fetched for paths, and the paths it did not cover; it remembers paths
// for the next run.
func (d *driver) speculatedExports(paths []string) (map[string]*listPackage, []string) {
	have := make(map[string]*listPackage)
	if d.cache == nil || d.cache.spec == nil {
		return have, paths
	}
	s := d.cache.spec
	if list := strings.Join(paths, "\n"); list != s.old {
		cache.PutBytes(d.cache.c, s.key, []byte(list))
	}
	<-s.done
	var rest []string
	for _, path := range paths {
		if p := s.m[path]; p != nil {
			have[path] = p
		} else {
			rest = append(rest, path)
		}
	}
	return have, rest
}

// keyBase describes what every unit's result depends on besides the
// package itself.
func keyBase(opts *Options) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "futlint unit result v1\n")
	f, err := os.Open(opts.Exe)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "tool %x\n", h.Sum(nil))
	fmt.Fprintf(&b, "flags %q\n", opts.UnitFlags)
	fmt.Fprintf(&b, "tags %q\n", opts.Tags)
	fmt.Fprintf(&b, "build %s/%s\n", build.Default.GOOS, build.Default.GOARCH)
	fmt.Fprintf(&b, "GODEBUG=%q\n", os.Getenv("GODEBUG"))
	cmd := exec.Command("go", append([]string{"env", "-json"}, goEnvKeys...)...)
	cmd.Dir = opts.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	var env map[string]string
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	for _, k := range goEnvKeys {
		fmt.Fprintf(&b, "%s=%q\n", k, env[k])
	}
	return b.Bytes(), nil
}

// cacheKey computes u's key, or reports false when it cannot be known
// (the normal analysis then runs and reports why).
func (d *driver) cacheKey(u *unit) (cache.ActionID, bool) {
	base, err := d.cache.base()
	if err != nil {
		return cache.ActionID{}, false
	}
	p := u.pkg
	h := cache.NewHash("futlint unit " + p.ImportPath)
	h.Write(base)
	fmt.Fprintf(h, "id %q\ndir %q\n", p.ImportPath, p.Dir)
	if m := p.Module; m != nil {
		fmt.Fprintf(h, "module %q %q %q %v\n", m.Path, m.Version, m.GoVersion, m.Error != nil)
	}
	files := func(kind string, names []string) bool {
		for _, name := range names {
			sum, err := cache.FileHash(name)
			if err != nil {
				return false
			}
			fmt.Fprintf(h, "%s %q %x\n", kind, name, sum)
		}
		return true
	}
	if !files("go", p.goFiles()) || !files("other", p.nonGoFiles()) ||
		!files("ignored", absFiles(p.Dir, append(slices.Clip(p.IgnoredGoFiles), p.IgnoredOtherFiles...))) {
		return cache.ActionID{}, false
	}
	for _, from := range sortedKeys(p.ImportMap) {
		fmt.Fprintf(h, "importmap %q %q\n", from, p.ImportMap[from])
	}
	for _, imp := range p.Imports {
		if imp == "unsafe" || imp == "C" {
			fmt.Fprintf(h, "import %q\n", imp)
			continue
		}
		dep := d.byID[imp]
		if dep == nil {
			return cache.ActionID{}, false
		}
		sum, ok := d.importHash(u, dep)
		if !ok {
			return cache.ActionID{}, false
		}
		fmt.Fprintf(h, "import %q std=%v %x\n", imp, dep.Standard, sum)
	}
	return h.Sum(), true
}

// importHash identifies the vetx file vetxFor will give u for dep,
// without making it: the output of dep's unit, or dep's export data.
func (d *driver) importHash(u *unit, dep *listPackage) ([32]byte, bool) {
	base := basePath(dep.ImportPath)
	for _, du := range u.deps {
		if basePath(du.pkg.ImportPath) == base && du.vetx != "" {
			return sha256.Sum256(fmt.Appendf(nil, "unit vetx %x", du.cache.vetxHash)), true
		}
	}
	v, _ := d.cache.exports.LoadOrStore(base, new(exportHash))
	e := v.(*exportHash)
	e.once.Do(func() {
		var file string
		if file, e.err = d.exportFile(base); e.err == nil {
			var ok bool
			if e.sum, ok = goCacheOutputID(file); !ok {
				e.sum, e.err = cache.FileHash(file)
			}
		}
	})
	if e.err != nil {
		return [32]byte{}, false
	}
	return sha256.Sum256(fmt.Appendf(nil, "export data %x", e.sum)), true
}

// goCacheOutputID returns the SHA-256 of an export data file from its
// name, when it is named as the go command's cache names its outputs,
// DIR/xx/OUTPUTID-d, OUTPUTID being the SHA-256 of the content: a warm
// run then need not read the hundreds of megabytes of its imports' export
// data (etcd's server: 300 MB).
func goCacheOutputID(file string) ([32]byte, bool) {
	var sum [32]byte
	id, ok := strings.CutSuffix(filepath.Base(file), "-d")
	if !ok || len(id) != 64 || !strings.HasPrefix(id, filepath.Base(filepath.Dir(file))) || len(filepath.Base(filepath.Dir(file))) != 2 {
		return sum, false
	}
	if _, err := hex.Decode(sum[:], []byte(id)); err != nil {
		return sum, false
	}
	return sum, true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// entryMagic starts a stored result: then the length of the JSON tree
// (8 bytes, little-endian), the tree, and the vetx file.
const entryMagic = "futlint result v1\n"

// cacheLookup looks u up; on a hit it records u's results as a run of
// the unit would and reports true.
func (d *driver) cacheLookup(u *unit) bool {
	if d.cache == nil {
		return false
	}
	key, ok := d.cacheKey(u)
	if !ok {
		return false
	}
	u.cache.key, u.cache.keyed = key, true
	tree, vetx, ok := d.cacheGet(key)
	if !ok {
		d.cache.note("miss", u)
		return false
	}
	file := filepath.Join(d.tmp, fmt.Sprintf("cached%d.vetx", d.cache.hits.Add(1)))
	if err := os.WriteFile(file, vetx, 0o666); err != nil {
		d.cache.hits.Add(-1)
		d.cache.note("miss", u)
		return false
	}
	d.cache.note("hit", u)
	d.mu.Lock()
	for id, byAnalyzer := range tree {
		d.res.Tree[id] = byAnalyzer
	}
	d.mu.Unlock()
	u.cache.vetxHash = sha256.Sum256(vetx)
	u.vetx = file
	return true
}

func (d *driver) cacheGet(key cache.ActionID) (map[string]map[string]json.RawMessage, []byte, bool) {
	data, _, err := cache.GetBytes(d.cache.c, key) // checks the checksum
	if err != nil || !bytes.HasPrefix(data, []byte(entryMagic)) {
		return nil, nil, false
	}
	data = data[len(entryMagic):]
	if len(data) < 8 {
		return nil, nil, false
	}
	n := binary.LittleEndian.Uint64(data)
	data = data[8:]
	if n > uint64(len(data)) {
		return nil, nil, false
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data[:n], &tree); err != nil {
		return nil, nil, false
	}
	vetx := data[n:]
	if !bytes.HasPrefix(vetx, []byte("vetx")) {
		return nil, nil, false
	}
	return tree, vetx, true
}

// cacheStore records the output of u's successful run, its result tree
// as the driver keeps it: it hashes the vetx file for u's dependents'
// keys and, if u has a key, stores the result.
func (d *driver) cacheStore(u *unit, tree map[string]map[string]json.RawMessage) {
	if d.cache == nil {
		return
	}
	vetx, err := os.ReadFile(u.vetx)
	if err != nil {
		u.vetx = "" // dependents fall back to export data, as for a failed unit
		return
	}
	u.cache.vetxHash = sha256.Sum256(vetx)
	if !u.cache.keyed {
		return
	}
	stdout, err := json.Marshal(tree)
	if err != nil {
		return
	}
	var buf bytes.Buffer
	buf.WriteString(entryMagic)
	buf.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(stdout))))
	buf.Write(stdout)
	buf.Write(vetx)
	cache.PutBytes(d.cache.c, u.cache.key, buf.Bytes()) // a failed write costs a miss next time
}

func (rc *resultCache) note(what string, u *unit) {
	if what == "miss" {
		rc.misses.Add(1)
	}
	rc.mu.Lock()
	rc.log = append(rc.log, what+" "+u.pkg.ImportPath)
	rc.mu.Unlock()
}

// CacheStats describes the cache's use in a run: per unit, "hit ID" or
// "miss ID", sorted. Units whose key could not be computed are absent.
func (r *Result) CacheStats() []string { return r.cacheLog }

func (d *driver) finishCache() {
	if d.cache == nil {
		return
	}
	d.cache.mu.Lock()
	log := slices.Clone(d.cache.log)
	d.cache.mu.Unlock()
	slices.SortFunc(log, func(a, b string) int {
		_, ia, _ := strings.Cut(a, " ")
		_, ib, _ := strings.Cut(b, " ")
		return strings.Compare(ia, ib)
	})
	d.res.cacheLog = log
}
