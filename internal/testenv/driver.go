package testenv

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"

	"golang.org/x/tools/go/packages"
)

// driverEnv marks a run of the test binary as go/packages' driver (see
// useDriver).
const driverEnv = "FUTLINT_TESTENV_DRIVER"

// useDriver makes the test binary the GOPACKAGESDRIVER of the loads it
// makes (analysistest's), so that they leave out the generated main of
// each fixture package with _test.go files ("p.test"): analysistest
// loads with Tests, so that main, which holds no fixture code and no
// expectation, was analysed too, with testing/internal/testdeps and its
// 44 packages (crypto, encoding/json, go/parser, runtime/pprof) that no
// fixture imports: about 1.5 CPU-s for each analysistest.Run of such a
// package. The test variants ("p [p.test]", "p_test [p.test]") stay.
func useDriver() {
	exe, err := os.Executable()
	if err != nil {
		return // go list, test mains included
	}
	os.Setenv("GOPACKAGESDRIVER", exe)
	os.Setenv(driverEnv, "1")
}

// runDriver answers go/packages' request on stdin, for the patterns in
// args, with what go list answers minus the generated test mains.
func runDriver(args []string) int {
	var req packages.DriverRequest
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "testenv driver:", err)
		return 1
	}
	// Metadata only: the caller parses and type-checks.
	const metadata = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
		packages.NeedImports | packages.NeedDeps | packages.NeedEmbedFiles | packages.NeedEmbedPatterns
	cfg := &packages.Config{
		Mode:       req.Mode&metadata | packages.NeedName | packages.NeedImports | packages.NeedDeps,
		Env:        append(req.Env, "GOPACKAGESDRIVER=off"),
		BuildFlags: req.BuildFlags,
		Tests:      req.Tests,
		Overlay:    req.Overlay,
	}
	roots, err := packages.Load(cfg, args...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv driver:", err)
		return 1
	}
	// No GoVersion: as with go list in GOPATH mode, packages are
	// type-checked without a language version.
	resp := packages.DriverResponse{Compiler: "gc", Arch: runtime.GOARCH}
	var kept []*packages.Package
	for _, p := range roots {
		if !isTestMain(p) {
			resp.Roots = append(resp.Roots, p.ID)
			kept = append(kept, p)
		}
	}
	packages.Visit(kept, nil, func(p *packages.Package) { resp.Packages = append(resp.Packages, p) })
	if err := json.NewEncoder(os.Stdout).Encode(&resp); err != nil {
		fmt.Fprintln(os.Stderr, "testenv driver:", err)
		return 1
	}
	return 0
}

// isTestMain reports whether p is the main package go test generates
// for a package with tests: ID "p.test", not a variant "p [p.test]".
func isTestMain(p *packages.Package) bool {
	return p.Name == "main" && strings.HasSuffix(p.ID, ".test") && !strings.Contains(p.ID, " ")
}
