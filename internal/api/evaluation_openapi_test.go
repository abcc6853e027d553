package api_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/anguan/anguan/internal/evaluation"
)

// TestOpenAPIEvaluation: the case-quality vocabularies in the document
// are the domain's, the lists' query parameters are the ones the handlers
// read, and the steps a record detail offers are the routes that exist.
func TestOpenAPIEvaluation(t *testing.T) {
	d := loadDoc(t)
	schemas := d.resolve(d.resolve(d.root["components"])["schemas"])
	enum := func(name string) []string {
		s := d.resolve(schemas[name])
		if s == nil {
			t.Fatalf("schema %s missing", name)
		}
		return asStrings(s["enum"])
	}
	strs := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	aspects, classes, kinds := evaluation.Aspects(), evaluation.Classes(), evaluation.Kinds()
	acts, statuses, actions := evaluation.ActivityStatuses(), evaluation.Statuses(), evaluation.ActionKinds()
	follow, checks, bys := evaluation.FollowUpKinds(), evaluation.CheckStatuses(), evaluation.GroupBys()
	var routes []string
	for _, k := range evaluation.PersonActions() {
		r := map[evaluation.ActionKind]string{evaluation.ActAgree: "respond", evaluation.ActObject: "respond",
			evaluation.ActFollowUp: "followups"}[k]
		if r == "" {
			r = string(k)
		}
		if !slices.Contains(routes, r) {
			routes = append(routes, r)
		}
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"EvaluationAspect", enum("EvaluationAspect"), strs(len(aspects), func(i int) string { return string(aspects[i]) })},
		{"EvaluationClass", enum("EvaluationClass"), strs(len(classes), func(i int) string { return string(classes[i]) })},
		{"EvaluationKind", enum("EvaluationKind"), strs(len(kinds), func(i int) string { return string(kinds[i]) })},
		{"EvaluationActivityStatus", enum("EvaluationActivityStatus"), strs(len(acts), func(i int) string { return string(acts[i]) })},
		{"EvaluationStatus", enum("EvaluationStatus"), strs(len(statuses), func(i int) string { return string(statuses[i]) })},
		{"EvaluationActionKind", enum("EvaluationActionKind"), strs(len(actions), func(i int) string { return string(actions[i]) })},
		{"EvaluationFollowUpKind", enum("EvaluationFollowUpKind"), strs(len(follow), func(i int) string { return string(follow[i]) })},
		{"EvaluationCheckStatus", enum("EvaluationCheckStatus"), strs(len(checks), func(i int) string { return string(checks[i]) })},
		{"EvaluationGroupBy", enum("EvaluationGroupBy"), strs(len(bys), func(i int) string { return string(bys[i]) })},
		{"EvaluationSelectionRule", enum("EvaluationSelectionRule"), evaluation.SelectionRules()},
		{"EvaluationRecordRoute", enum("EvaluationRecordRoute"), routes},
	} {
		sameSet(t, c.name, c.got, c.want)
	}
	for _, r := range routes {
		if d.paths["/quality/records/{id}/"+r] == nil {
			t.Errorf("allowed action %q has no route", r)
		}
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
		"/quality/self-checks": {"status", "overdue", "handler_id", "closed_from", "closed_to", "limit", "next"},
		"/quality/activities":  {"status", "kind", "limit", "next"},
		"/quality/records":     {"activity_id", "evaluator_id", "handler_id", "status", "limit", "next"},
		"/quality/statistics":  {"scale", "by", "category", "from", "to", "activity_id"},
	} {
		sort.Strings(want)
		if got := params(path); !slices.Equal(got, want) {
			t.Errorf("GET %s query parameters = %v, want %v", path, got, want)
		}
	}
}
