package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/api"
	"github.com/anguan/anguan/internal/apptest"
)

// TestStatsAPI: the catalogue defines every indicator; a unit's values
// add up to the cases registered; the comparison names each unit; the
// trend ends with this month; the drill-down lists the very cases behind
// the denominator, a page at a time, and only for one's own unit.
func TestStatsAPI(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		for i := range 3 {
			e.register(t, apptest.Intake(800+2*i))
		}
		var cat struct {
			Indicators []struct {
				ID, Name, Definition, Numerator, Denominator, Direction, Kind string
				Available                                                     bool
				UnavailableReason                                             string `json:"unavailable_reason"`
			}
			Measures   []struct{ ID, Name string }
			Procedures []struct{ Code, Name string }
		}
		e.do(t, "a_case_manager", "GET", "/api/v1/stats/catalogue", nil).decode(t, &cat)
		if len(cat.Indicators) == 0 || len(cat.Measures) == 0 || len(cat.Procedures) == 0 {
			t.Fatalf("catalogue: %+v", cat)
		}
		for _, in := range cat.Indicators {
			if in.Definition == "" || (in.Available && (in.Numerator == "" || in.Denominator == "")) ||
				(!in.Available && in.UnavailableReason == "") {
				t.Errorf("indicator %s is not fully defined: %+v", in.ID, in)
			}
		}

		type value struct {
			Indicator string
			Num, Den  int64
			Value     *float64
		}
		type values struct {
			Period struct{ From, To, Label string }
			Items  []struct {
				UnitID   int64  `json:"unit_id"`
				UnitName string `json:"unit_name"`
				Own      bool
				Values   []value
			}
		}
		var v values
		e.do(t, "a_case_manager", "GET", "/api/v1/stats/values?period=month&value=2026-03&indicators=return_rate", nil).decode(t, &v)
		if v.Period.From != "2026-03-01" || v.Period.To != "2026-03-31" || len(v.Items) != 1 ||
			v.Items[0].UnitID != e.f.UnitA.ID || !v.Items[0].Own || len(v.Items[0].Values) != 1 {
			t.Fatalf("values: %+v", v)
		}
		den := v.Items[0].Values[0].Den
		if den != 3 {
			t.Errorf("受理审查起诉案件数 = %d, want the 3 cases registered", den)
		}

		var cmp values
		e.do(t, "up_upper_supervisor", "GET", "/api/v1/stats/compare?"+url.Values{"units": {itoa(e.f.UnitA.ID) + "," + itoa(e.f.UnitB.ID)},
			"indicators": {"return_rate,case_ratio"}, "period": {"quarter"}, "value": {"2026-Q1"}}.Encode(), nil).decode(t, &cmp)
		if len(cmp.Items) != 2 || cmp.Items[0].UnitName != "甲县人民检察院" || cmp.Items[1].UnitName != "乙县人民检察院" ||
			len(cmp.Items[0].Values) != 2 || cmp.Items[0].Values[0].Den != 3 {
			t.Errorf("compare: %+v", cmp)
		}

		var tr struct {
			Items []struct {
				Period struct{ From, Label string }
				Value  value
			}
		}
		e.do(t, "a_chief", "GET", "/api/v1/stats/trend?indicator=return_rate&months=3", nil).decode(t, &tr)
		if len(tr.Items) != 3 || tr.Items[2].Period.Label != "2026-03" || tr.Items[0].Period.Label != "2026-01" ||
			tr.Items[2].Value.Den != 3 {
			t.Errorf("trend: %+v", tr)
		}

		type page struct {
			Items []struct {
				CaseID  *int64 `json:"case_id"`
				StageNo string `json:"stage_no"`
				Count   int64
			}
			Next *string
		}
		var p1, p2 page
		path := "/api/v1/stats/drilldown?measure=pr_received&period=month&value=2026-03&limit=2"
		e.do(t, "a_case_manager", "GET", path, nil).decode(t, &p1)
		if len(p1.Items) != 2 || p1.Next == nil {
			t.Fatalf("drill page 1: %+v", p1)
		}
		e.do(t, "a_case_manager", "GET", path+"&next="+url.QueryEscape(*p1.Next), nil).decode(t, &p2)
		if len(p2.Items) != 1 || p2.Next != nil {
			t.Fatalf("drill page 2: %+v", p2)
		}
		var stages []string
		for _, it := range append(p1.Items, p2.Items...) {
			if it.CaseID == nil || !strings.Contains(it.StageNo, "甲检") {
				t.Errorf("drill row %+v is not a case of 甲县院", it)
			}
			stages = append(stages, it.StageNo)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(stages)))) != 3 {
			t.Errorf("drill rows %v", stages)
		}
	})
}

// TestStatsBadInput: malformed numbers, unknown indicators and measures,
// bad periods, and units out of scope are refused with a stable code and
// a Chinese message; nothing is written.
func TestStatsBadInput(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		unitA, unitB := itoa(e.f.UnitA.ID), itoa(e.f.UnitB.ID)
		for _, c := range []dqBad{
			{name: "unit not a number", user: "a_case_manager", path: "/api/v1/stats/values?unit=abc",
				status: 422, code: "validation", field: "unit", fcode: "id_invalid"},
			{name: "unit negative", user: "a_case_manager", path: "/api/v1/stats/values?unit=-3",
				status: 422, code: "validation", field: "unit", fcode: "id_invalid"},
			{name: "unknown indicator", user: "a_case_manager", path: "/api/v1/stats/values?indicators=case_ratio,nope",
				status: 422, code: "validation", field: "indicators[1]", fcode: "stats_indicator_unknown", message: "没有代码为“nope”的指标"},
			{name: "unavailable indicator", user: "a_case_manager", path: "/api/v1/stats/values?indicators=withdrawal_rate",
				status: 422, code: "validation", field: "indicators[0]", fcode: "stats_indicator_unavailable", message: "暂不能计算"},
			{name: "month malformed", user: "a_case_manager", path: "/api/v1/stats/values?period=month&value=2026-3",
				status: 422, code: "validation", field: "period", fcode: "stats_period_month", message: "月份格式应为"},
			{name: "period kind", user: "a_case_manager", path: "/api/v1/stats/values?period=week&value=2026-10",
				status: 422, code: "validation", field: "period_kind", fcode: "stats_period_kind"},
			{name: "end before start", user: "a_case_manager", path: "/api/v1/stats/values?period=custom&from=2026-03-10&to=2026-03-01",
				status: 422, code: "validation", field: "to", fcode: "stats_period_order", message: "截止日期不能早于起始日期"},
			{name: "custom date", user: "a_case_manager", path: "/api/v1/stats/values?period=custom&from=2026-02-30&to=2026-03-01",
				status: 422, code: "validation", field: "from", fcode: "stats_date"},
			{name: "with_subordinates", user: "a_case_manager", path: "/api/v1/stats/values?with_subordinates=maybe",
				status: 422, code: "validation", field: "with_subordinates"},
			{name: "unit out of scope", user: "a_case_manager", path: "/api/v1/stats/values?unit=" + unitB,
				status: 403, code: "forbidden", message: "没有执行此操作的权限"},
			{name: "subordinates of a unit without them in sight", user: "b_case_manager",
				path:   "/api/v1/stats/values?with_subordinates=true&unit=" + itoa(e.f.Upper.ID),
				status: 403, code: "forbidden"},
			{name: "compare without units", user: "a_case_manager", path: "/api/v1/stats/compare",
				status: 422, code: "validation", field: "units", fcode: "required"},
			{name: "compare malformed unit", user: "a_case_manager", path: "/api/v1/stats/compare?units=" + unitA + ",x",
				status: 422, code: "validation", field: "units", fcode: "id_invalid"},
			{name: "compare out of scope", user: "a_case_manager", path: "/api/v1/stats/compare?units=" + unitA + "," + unitB,
				status: 403, code: "forbidden"},
			{name: "trend months", user: "a_case_manager", path: "/api/v1/stats/trend?indicator=case_ratio&months=x",
				status: 422, code: "validation", field: "months", fcode: "stats_months", message: "月数应在1至36之间"},
			{name: "trend months too many", user: "a_case_manager", path: "/api/v1/stats/trend?indicator=case_ratio&months=37",
				status: 422, code: "validation", field: "months", fcode: "stats_months"},
			{name: "trend without indicator", user: "a_case_manager", path: "/api/v1/stats/trend",
				status: 422, code: "validation", field: "indicator", fcode: "required"},
			{name: "drill unknown measure", user: "a_case_manager", path: "/api/v1/stats/drilldown?measure=nope",
				status: 422, code: "validation", field: "measure", fcode: "stats_measure_unknown", message: "没有代码为“nope”的统计项"},
			{name: "drill limit", user: "a_case_manager", path: "/api/v1/stats/drilldown?measure=an&limit=501",
				status: 422, code: "validation", field: "limit", fcode: "stats_limit"},
			{name: "drill limit malformed", user: "a_case_manager", path: "/api/v1/stats/drilldown?measure=an&limit=ten",
				status: 422, code: "validation", field: "limit", fcode: "stats_limit"},
			// Another unit's cases: as if the unit did not exist.
			{name: "drill another unit", user: "b_chief", path: "/api/v1/stats/drilldown?measure=an&unit=" + unitA,
				status: 404, code: "not_found", message: "对象不存在或无权访问"},
			{name: "drill as the aid partner", user: "a_aid_partner", path: "/api/v1/stats/drilldown?measure=an",
				status: 403, code: "forbidden"},
		} {
			t.Run(c.name, func(t *testing.T) {
				c.method = "GET"
				before := e.counts(t)
				checkDQRefused(t, c, e.sendBad(t, c))
				e.unchanged(t, before)
			})
		}
	})
}

// TestOpenAPIStats: every analysis route is documented under the stats
// tag, with the query parameters its handler reads.
func TestOpenAPIStats(t *testing.T) {
	d := loadDoc(t)
	period := []string{"period", "value", "from", "to"}
	want := map[string][]string{
		"/stats/catalogue": nil,
		"/stats/values":    append([]string{"unit", "indicators", "with_subordinates"}, period...),
		"/stats/compare":   append([]string{"units", "indicators", "with_subordinates"}, period...),
		"/stats/trend":     {"unit", "indicator", "months", "with_subordinates"},
		"/stats/drilldown": append([]string{"unit", "measure", "with_subordinates", "limit", "next"}, period...),
		"/stats/report":    {"unit", "month"},
	}
	n := 0
	for _, rt := range api.New(api.Deps{}).Routes() {
		if !strings.Contains(rt.Pattern, " /api/v1/stats/") {
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
		if !slices.Contains(asStrings(op["tags"]), "stats") {
			t.Errorf("%s: not tagged stats", rt.Pattern)
		}
		var got []string
		ps, _ := op["parameters"].([]any)
		for _, x := range ps {
			if pm := d.resolve(x); pm["in"] == "query" {
				got = append(got, pm["name"].(string))
			}
		}
		slices.Sort(got)
		w := slices.Sorted(slices.Values(want[p]))
		if !slices.Equal(got, w) {
			t.Errorf("%s: query parameters %v, want %v", rt.Pattern, got, w)
		}
		responses := d.resolve(op["responses"])
		for _, st := range []string{"200", "401", "500"} {
			if responses[st] == nil {
				t.Errorf("%s: %s is not documented", rt.Pattern, st)
			}
		}
		if rt.Roles != nil && responses["422"] == nil {
			t.Errorf("%s: 422 is not documented", rt.Pattern)
		}
	}
	if n != len(want) {
		t.Errorf("%d stats routes, want %d", n, len(want))
	}
	if d.resolve(d.resolve(d.resolve(d.paths["/stats/drilldown"])["get"])["responses"])["404"] == nil {
		t.Error("GET /stats/drilldown: 404 (another unit's cases) is not documented")
	}
}
