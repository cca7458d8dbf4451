package sarif

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/go/analysis"

	"github.com/futlint/futlint/internal/driver"
)

// schemaFile is the official SARIF 2.1.0 schema (OASIS, errata 01), as
// github.com/securego/gosec/v2@v2.30.0 ships it in
// report/sarif/testdata/sarif-schema-2.1.0.json, copied here so the test
// needs no download.
const schemaFile = "testdata/sarif-schema-2.1.0.json"

func validate(t *testing.T, data []byte) {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("SARIF log does not validate against the 2.1.0 schema: %v\n%s", err, data)
	}
}

// TestSchema: a log with every feature (related locations, fixes, a
// non-ASCII line, a file outside the root, failed packages) validates
// against the official schema and carries the fields code scanning uses.
func TestSchema(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "mod", "a.go")
	os.MkdirAll(filepath.Dir(file), 0o777)
	content := "package a\n\nvar s = \"héllo\"; var n int\n\nfunc f() { n++ }\n\nfunc f() { n++ }\n"
	os.WriteFile(file, []byte(content), 0o666)
	// n in line 3: byte column 24 (é is two bytes), code point column 23.
	nCol := strings.Index("var s = \"héllo\"; var n int", "n int") + 1
	inc := strings.Index(content, "n++")
	findings := []driver.Finding{
		{
			Analyzer: "unlockedinc", Posn: file + ":5:12", End: file + ":5:15", Message: "unsynchronized increment of n",
			Related: []driver.RelatedFinding{{Posn: file + ":3:" + itoa(nCol), End: file + ":3:" + itoa(nCol+1), Message: "n is declared here"}},
			SuggestedFixes: []driver.SuggestedFix{{Message: "use sync/atomic", Edits: []driver.TextEdit{
				{Filename: file, Start: inc, End: inc + 3, New: "atomic.AddInt64(&n, 1)"},
			}}},
		},
		{Analyzer: "unlockedinc", Posn: file + ":7:12", End: file + ":7:15", Message: "unsynchronized increment of n"},
		{Analyzer: "leakedgoroutine", Posn: "/elsewhere/b.go:1:1", End: "/elsewhere/b.go:1:1", Message: "outside the root"},
	}
	set := []*analysis.Analyzer{
		{Name: "unlockedinc", Doc: "short\n\nfull"},
		{Name: "leakedgoroutine", Doc: "short"},
	}
	var buf bytes.Buffer
	errs := []string{"package example.com/broken: bad.go:6:2: undefined: x"}
	if err := Write(&buf, set, findings, root, "v1.2.3", errs); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())

	var log struct {
		Runs []struct {
			ColumnKind string
			Tool       struct{ Driver struct{ Version string } }
			Results    []struct {
				PartialFingerprints map[string]string
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           map[string]int
					}
				}
				RelatedLocations []struct {
					Message          struct{ Text string }
					PhysicalLocation struct{ Region map[string]int }
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Level   string
					Message struct{ Text string }
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	r := log.Runs[0]
	if r.ColumnKind != "unicodeCodePoints" || r.Tool.Driver.Version != "v1.2.3" {
		t.Errorf("columnKind %q, driver.version %q", r.ColumnKind, r.Tool.Driver.Version)
	}
	res := r.Results
	if loc := res[0].Locations[0].PhysicalLocation.ArtifactLocation; loc.URI != "mod/a.go" || loc.URIBaseID != RootBaseID {
		t.Errorf("location %+v, want mod/a.go relative to %s", loc, RootBaseID)
	}
	if len(res[0].RelatedLocations) != 1 || res[0].RelatedLocations[0].Message.Text != "n is declared here" ||
		res[0].RelatedLocations[0].PhysicalLocation.Region["startColumn"] != nCol-1 {
		t.Errorf("related locations %+v; want one at code point column %d", res[0].RelatedLocations, nCol-1)
	}
	fp0, fp1 := res[0].PartialFingerprints[FingerprintKey], res[1].PartialFingerprints[FingerprintKey]
	// Same rule, file, message and line text: one hash, counted apart.
	if !strings.HasSuffix(fp0, ":1") || !strings.HasSuffix(fp1, ":2") || fp0[:len(fp0)-2] != fp1[:len(fp1)-2] {
		t.Errorf("fingerprints %q and %q: want one hash, occurrences 1 and 2", fp0, fp1)
	}
	inv := r.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 || inv.ToolExecutionNotifications[0].Level != "error" ||
		!strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "example.com/broken") {
		t.Errorf("invocation %+v; want unsuccessful with one error notification naming the package", inv)
	}

	// A finding moved down by an edit above keeps its fingerprint.
	os.WriteFile(file, []byte("// a new comment\n"+content), 0o666)
	moved := findings[:1:1]
	moved[0].Posn, moved[0].End, moved[0].Related, moved[0].SuggestedFixes = file+":6:12", file+":6:15", nil, nil
	buf.Reset()
	if err := Write(&buf, set, moved, root, "v1.2.3", nil); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if got := log.Runs[0].Results[0].PartialFingerprints[FingerprintKey]; got != fp0 {
		t.Errorf("fingerprint after an edit above: %q, want %q", got, fp0)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
