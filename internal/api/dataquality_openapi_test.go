package api_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/api"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
)

// TestOpenAPIData: every business-data supervision route is documented
// under the data tag with its errors, the vocabularies in the document are
// the domain's, the card items are the card layout's, and the lists'
// query parameters are the ones the handlers read.
func TestOpenAPIData(t *testing.T) {
	d := loadDoc(t)
	schemas := d.resolve(d.resolve(d.root["components"])["schemas"])
	schema := func(name string) map[string]any {
		s := d.resolve(schemas[name])
		if s == nil {
			t.Fatalf("schema %s missing", name)
		}
		return s
	}
	n := 0
	for _, rt := range api.New(api.Deps{}).Routes() {
		if !strings.Contains(rt.Pattern, " /api/v1/data/") {
			continue
		}
		n++
		m, p, err := docPath(rt.Pattern)
		if err != nil {
			t.Fatal(err)
		}
		op := d.resolve(d.resolve(d.paths[p])[m])
		if op == nil {
			t.Errorf("%s is not documented", rt.Pattern)
			continue
		}
		if !slices.Contains(asStrings(op["tags"]), "data") {
			t.Errorf("%s: not tagged data", rt.Pattern)
		}
		responses := d.resolve(op["responses"])
		want := []string{"200", "401", "403", "500"}
		if m == "post" && strings.HasSuffix(p, "/rules") {
			want[0] = "201"
		}
		if strings.Contains(p, "{id}") {
			want = append(want, "404")
		}
		if m != "get" {
			want = append(want, "413", "422")
		}
		for _, st := range want {
			if responses[st] == nil {
				t.Errorf("%s: %s is not documented", rt.Pattern, st)
			}
		}
	}
	if n != 21 {
		t.Errorf("%d data routes, want 21", n)
	}

	// The upload: the file itself, in either media type, refused as 415
	// otherwise.
	up := d.resolve(d.resolve(d.paths["/data/imports"])["post"])
	content := d.resolve(d.resolve(up["requestBody"])["content"])
	for _, mt := range []string{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"} {
		if content[mt] == nil {
			t.Errorf("POST /data/imports: media type %s is not documented", mt)
		}
	}
	if d.resolve(up["responses"])["415"] == nil {
		t.Error("POST /data/imports: 415 is not documented")
	}

	sources := []string{casecard.SourceCase, casecard.SourceImport}
	kinds := []string{dataquality.ScanNightly, dataquality.ScanUnit, dataquality.ScanCard, dataquality.ScanImport}
	var columns []string
	for _, c := range casecard.Columns {
		columns = append(columns, c.Key)
	}
	var values []string
	for k := range d.resolve(schema("DataCardValues")["properties"]) {
		values = append(values, k)
	}
	var reqValues []string
	cardReq := d.resolve(d.resolve(schema("DataCardRequest")["properties"])["values"])
	for k := range d.resolve(cardReq["properties"]) {
		reqValues = append(reqValues, k)
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"DataKind", asStrings(schema("DataKind")["enum"]), dataquality.Kinds},
		{"DataSeverity", asStrings(schema("DataSeverity")["enum"]), dataquality.Severities},
		{"DataProblemStatus", asStrings(schema("DataProblemStatus")["enum"]),
			[]string{dataquality.StatusOpen, dataquality.StatusFixed, dataquality.StatusWaived}},
		{"DataCardSource", asStrings(schema("DataCardSource")["enum"]), sources},
		{"DataScanKind", asStrings(schema("DataScanKind")["enum"]), kinds},
		{"DataFileFormat", asStrings(schema("DataFileFormat")["enum"]),
			[]string{casecard.FormatXLSX, casecard.FormatCSVUTF8, casecard.FormatCSVGB18030}},
		{"DataAccuracy.by", asStrings(d.resolve(d.resolve(schema("DataAccuracy")["properties"])["by"])["enum"]),
			[]string{dataquality.ByUnit, dataquality.ByDepartment, dataquality.ByHandler}},
		{"DataCounts.by", asStrings(d.resolve(d.resolve(schema("DataCounts")["properties"])["by"])["enum"]),
			[]string{dataquality.ByRule, dataquality.ByKind}},
		{"DataCardValues", values, columns},
		{"DataCardRequest.values", reqValues, columns},
	} {
		sameSet(t, c.name, c.got, c.want)
	}

	params := func(path string) []string {
		var out []string
		ps, _ := d.resolve(d.resolve(d.paths[path])["get"])["parameters"].([]any)
		for _, p := range ps {
			if pm := d.resolve(p); pm["in"] == "query" {
				out = append(out, pm["name"].(string))
			}
		}
		sort.Strings(out)
		return out
	}
	for path, want := range map[string][]string{
		"/data/problems":             {"status", "kind", "severity", "rule", "handler_id", "department", "card_id", "month", "limit", "next"},
		"/data/cards":                {"source", "category", "q", "problems", "limit", "next"},
		"/data/reports/accuracy":     {"by"},
		"/data/reports/problems":     {"by"},
		"/data/reports/trend":        {"weeks"},
		"/data/reports/notification": {"month"},
		"/data/reports/lookback":     {"month", "limit"},
		"/data/rules":                nil,
		"/data/scans":                nil,
		"/data/imports":              nil,
	} {
		sort.Strings(want)
		if got := params(path); !slices.Equal(got, want) {
			t.Errorf("GET %s query parameters = %v, want %v", path, got, want)
		}
	}
}
