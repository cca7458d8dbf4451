package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

const modulePath = "github.com/futlint/futlint"

// buildInfo is what the binary knows about the futlint it was built from.
type buildInfo struct {
	version  string // module version: "v0.1.0", a pseudo-version, or "" for a devel build
	revision string // VCS revision, when the build stamped one
	time     string // VCS commit time
	modified bool   // the work tree had uncommitted changes
	replace  string // the directory a consumer's replace directive points at
}

// readBuildInfo finds futlint's module in the build information: the main
// module when futlint was built in its own checkout (go install ./cmd/futlint),
// a dependency when built as a consumer's tool (go get -tool, go install
// ...@version).
func readBuildInfo() buildInfo {
	var b buildInfo
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	mod := &info.Main
	if info.Main.Path != modulePath {
		for _, d := range info.Deps {
			if d.Path == modulePath {
				mod = d
				break
			}
		}
	}
	if mod.Path != modulePath {
		return b
	}
	if mod.Replace != nil {
		if v := mod.Replace.Version; v == "" || v == "(devel)" {
			b.replace = mod.Replace.Path // a directory: its version says nothing
		} else {
			b.version = mod.Replace.Version
		}
	} else if mod.Version != "(devel)" {
		b.version = mod.Version
	}
	if mod == &info.Main {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.revision = s.Value
			case "vcs.time":
				b.time = s.Value
			case "vcs.modified":
				b.modified = s.Value == "true"
			}
		}
	}
	return b
}

// version is the one-word version: the module version (a release or the
// pseudo-version Go stamps from the checkout's commit), else "devel" with
// the VCS revision when the build has one, else "devel".
func version() string {
	b := readBuildInfo()
	switch {
	case b.version != "":
		return b.version
	case b.revision != "":
		v := "devel-" + short(b.revision)
		if b.modified {
			v += "-dirty"
		}
		return v
	}
	return "devel"
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// printVersion implements `futlint version` and `futlint -V`.
func printVersion(w io.Writer) {
	b := readBuildInfo()
	fmt.Fprintf(w, "futlint %s", version())
	var details []string
	if b.revision != "" {
		rev := "revision " + b.revision
		if b.time != "" {
			rev += " of " + b.time
		}
		if b.modified {
			rev += ", with uncommitted changes"
		}
		details = append(details, rev)
	}
	if b.replace != "" {
		details = append(details, "built from "+b.replace)
	}
	details = append(details, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
	fmt.Fprintf(w, " (%s)\n", strings.Join(details, "; "))
	if b.version == "" && b.revision == "" && b.replace == "" {
		fmt.Fprintln(w, "(no version or VCS revision in the build information: built outside a checkout, or with -buildvcs=false)")
	}
}

// printFullVersion answers go vet's `-V=full`. go vet uses the whole line
// as the tool's identity in its cache key unless the version is "devel",
// when it uses the buildID field alone; the buildID is a hash of the
// executable either way, so a rebuilt futlint never reuses stale results.
func printFullVersion(w io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	v := version()
	if v == "devel" {
		v = "devel comments-go-here"
	}
	_, err = fmt.Fprintf(w, "%s version %s buildID=%02x\n", progname, v, h.Sum(nil))
	return err
}

// versionQuery reports whether args ask for the version with -V (go vet's
// -V=full, or -V / -V=true for a person), and which.
func versionQuery(args []string) (asked, full bool) {
	for _, arg := range flagArgs(args) {
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if name == "V" {
			asked, full = true, hasValue && value == "full"
		}
	}
	return asked, full
}
