package sarif

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/futlint/futlint/internal/driver"
)

// A position without a column ("grammar.y:101", after a //line directive
// that gives none) is on line 101, not line 0 (issue 14, item 5); SARIF
// has no column 0.
func TestPositionWithoutColumn(t *testing.T) {
	var buf bytes.Buffer
	findings := []driver.Finding{{Analyzer: "unlockedinc", Posn: "/m/grammar.y:101", End: "/m/grammar.y:101", Message: "m"}}
	if err := Write(&buf, nil, findings, "/m", "devel", nil); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           map[string]int
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	loc := log.Runs[0].Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "grammar.y" || loc.Region["startLine"] != 101 || loc.Region["startColumn"] != 1 {
		t.Errorf("location %+v; want grammar.y, startLine 101, startColumn 1", loc)
	}
	if _, ok := loc.Region["endColumn"]; ok {
		t.Errorf("region %v has an end column, which is unknown", loc.Region)
	}
}
