package main

import (
	"fmt"
	"os"
	"path/filepath"

	"honnef.co/go/tools/lintcmd/cache"

	"github.com/futlint/futlint/internal/driver"
)

// The standalone driver keeps each package's results in a cache
// (internal/driver/cache.go): in os.UserCacheDir()/futlint, or the
// absolute directory FUTLINT_CACHE names; FUTLINT_CACHE=off or -cache=off
// does without. With GOCACHEPROG set, results go to that program instead,
// as the go command's do. FUTLINT_CACHEDEBUG=1 prints, per package,
// whether its results came from the cache.
const (
	cacheEnv      = "FUTLINT_CACHE"
	cacheDebugEnv = "FUTLINT_CACHEDEBUG"
)

const cacheREADME = `This directory holds futlint's cached analysis results.
See https://github.com/futlint/futlint#performance; FUTLINT_CACHE moves it.
`

// openCache opens the result cache; nil (and no error) when it is off.
// The returned function closes it, trimming old entries.
func openCache(mode string) (driver.Cache, func(), error) {
	noop := func() {}
	dir := os.Getenv(cacheEnv)
	switch {
	case mode == "off" || dir == "off":
		return nil, noop, nil
	case mode != "on":
		return nil, noop, fmt.Errorf("-cache=%s: want on or off", mode)
	case dir == "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, noop, fmt.Errorf("no cache directory (%v): set %s, or -cache=off", err, cacheEnv)
		}
		dir = filepath.Join(base, "futlint")
	case !filepath.IsAbs(dir):
		return nil, noop, fmt.Errorf("%s=%s is not an absolute path", cacheEnv, dir)
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, noop, fmt.Errorf("cache: %v (%s=off does without)", err, cacheEnv)
	}
	if _, err := os.Stat(filepath.Join(dir, "README")); err != nil {
		os.WriteFile(filepath.Join(dir, "README"), []byte(cacheREADME), 0o666) // best effort
	}
	// cache.Default is the one way to the package's GOCACHEPROG client; it
	// takes its directory from STATICCHECK_CACHE, read once.
	old, had := os.LookupEnv("STATICCHECK_CACHE")
	os.Setenv("STATICCHECK_CACHE", dir)
	c, err := cache.Default()
	if had {
		os.Setenv("STATICCHECK_CACHE", old)
	} else {
		os.Unsetenv("STATICCHECK_CACHE")
	}
	if err != nil {
		return nil, noop, fmt.Errorf("cache: %v", err)
	}
	return c, func() { c.Close() }, nil
}

// printCacheStats reports, under FUTLINT_CACHEDEBUG, how each unit's
// results were obtained.
func printCacheStats(res *driver.Result) {
	if os.Getenv(cacheDebugEnv) == "" {
		return
	}
	for _, line := range res.CacheStats() {
		fmt.Fprintf(os.Stderr, "%s: cache %s\n", progname, line)
	}
}
