package api_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/anguan/anguan/internal/monitor"
)

// TestOpenAPIMonitor: the monitoring vocabularies in the document are the
// domain's, the list's parameters are the ones the handler reads, and the
// actions a request may name are the ones a person takes.
func TestOpenAPIMonitor(t *testing.T) {
	d := loadDoc(t)
	schemas := d.resolve(d.resolve(d.root["components"])["schemas"])
	enum := func(name string) []string {
		s := d.resolve(schemas[name])
		if s == nil {
			t.Fatalf("schema %s missing", name)
		}
		return asStrings(s["enum"])
	}
	codes := func(n int, code func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = code(i)
		}
		return out
	}
	areas, sevs, steps, statuses, kinds := monitor.Areas(), monitor.Severities(), monitor.Steps(), monitor.Statuses(),
		monitor.ActionKinds()
	var actions []string
	for _, k := range monitor.PersonActions() {
		a := string(k)
		if k == monitor.ActCloseRectified || k == monitor.ActCloseNotRectified {
			a = "close"
		}
		if !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	props := d.resolve(d.resolve(schemas["MonitorActionRequest"])["properties"])
	detail := d.resolve(d.resolve(schemas["MonitorFindingDetail"])["properties"])
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"MonitorArea", enum("MonitorArea"), codes(len(areas), func(i int) string { return string(areas[i]) })},
		{"MonitorSeverity", enum("MonitorSeverity"), codes(len(sevs), func(i int) string { return string(sevs[i]) })},
		{"MonitorStep", enum("MonitorStep"), codes(len(steps), func(i int) string { return string(steps[i]) })},
		{"MonitorStatus", enum("MonitorStatus"), codes(len(statuses), func(i int) string { return string(statuses[i]) })},
		{"MonitorActionKind", enum("MonitorActionKind"), codes(len(kinds), func(i int) string { return string(kinds[i]) })},
		{"MonitorActionRequest.action", asStrings(d.resolve(props["action"])["enum"]), actions},
		{"MonitorFindingDetail.allowed_actions", asStrings(d.resolve(d.resolve(detail["allowed_actions"])["items"])["enum"]), actions},
	} {
		sameSet(t, c.name, c.got, c.want)
	}

	var params []string
	ps, _ := d.resolve(d.resolve(d.paths["/monitor/findings"])["get"])["parameters"].([]any)
	for _, p := range ps {
		if pm := d.resolve(p); pm["in"] == "query" {
			params = append(params, pm["name"].(string))
		}
	}
	want := []string{"status", "open", "area", "severity", "rule", "department_id", "handler_id", "from", "to", "limit", "next"}
	sort.Strings(params)
	sort.Strings(want)
	if !slices.Equal(params, want) {
		t.Errorf("GET /monitor/findings query parameters = %v, want %v", params, want)
	}
}
