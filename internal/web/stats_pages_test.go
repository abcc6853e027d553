package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

// statsVisits are the analysis pages, each as a user who may see it, over
// newEnv's cases of 甲县院 (received in March 2026): the dashboard of the
// year and of a month, the comparison, the cases behind 案件比's
// denominator, and the case-management dashboard.
func statsVisits(t *testing.T, e *env) []pageVisit {
	unitA := itoa(e.f.UnitA.ID)
	return []pageVisit{
		{"stats_dashboard", "a_case_manager", "/stats", 200, []string{"甲县人民检察院 · 2026年 业务指标", "案件比", "不捕率",
			"认罪认罚适用率", "越低越好", "宜处于合理区间", "暂不能计算的指标", "撤回起诉率", "计入“件”的非常规程序", "退回补充侦查（调查）",
			`class="drill den-link" href="/stats/drill?`, "measure=an", "<svg class=\"spark\"", "导出Excel"}},
		{"stats_dashboard", "a_chief", "/stats?period=month&value=2026-03", 200, []string{"2026年3月", "案件比"}},
		{"stats_dashboard", "up_upper_supervisor", "/stats?sub=1", 200, []string{"测试市人民检察院（含下级院）", "含下级院",
			`name="sub" value="1" checked`}},
		{"stats_dashboard", "a_aid_partner", "/stats", 200, []string{"案件比"}},
		{"stats_compare", "up_upper_supervisor", "/stats/compare", 200, []string{"2026年 对标分析", "甲县人民检察院",
			"乙县人民检察院", "测试市人民检察院（本院）", `id="chart-data"`, "echarts-5.6.0.min.js", "第 1 / "}},
		{"stats_compare", "a_case_manager", "/stats/compare?indicator=case_ratio&indicator=plea_rate&unit=" + unitA, 200,
			[]string{`class="own"`, "案件比", "认罪认罚适用率", `value="case_ratio" checked`}},
		{"stats_drill", "a_case_manager", "/stats/drill?measure=pr_received&period=year&value=2026&unit=" + unitA, 200,
			[]string{"甲县人民检察院 · ", "2026年", e.stageAssig, `href="/cases/` + itoa(e.assigned) + `"`, "返回指标"}},
		{"stats_casemgmt", "a_case_manager", "/stats/case-management", 200, []string{"甲县人民检察院案件管理态势", "近12个月受理",
			"2026-03", "在办案件受理时长", "30日以内", "红色预警", "未办结的监控问题", "评查结果"}},
	}
}

// TestStatsPages: what each capacity may open, the navigation entry, the
// links to the cases behind a figure only for one's own unit, refused
// input with its message at the control.
func TestStatsPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		unitA, unitB := itoa(e.f.UnitA.ID), itoa(e.f.UnitB.ID)
		checks := []struct {
			user, path string
			status     int
			want, lack []string
		}{
			{"a_case_manager", "/", 200, []string{`href="/stats">统计分析`}, nil},
			{"a_aid_partner", "/", 200, []string{`href="/stats">统计分析`}, nil},
			{"a_prosecutor", "/", 200, nil, []string{`href="/stats"`}},
			{"a_sysadmin", "/", 200, nil, []string{`href="/stats"`}},
			{"a_case_manager", "/stats", 200, []string{`href="/stats/case-management"`, "measure=an"}, []string{`name="sub"`}},
			// The aid partner reads figures, never cases.
			{"a_aid_partner", "/stats", 200, []string{"案件比"}, []string{`class="drill`, `href="/stats/case-management"`}},
			// A peer's figures: no link to its cases.
			{"up_upper_supervisor", "/stats?unit=" + unitA, 200, []string{"甲县人民检察院 · 2026年"}, nil},
			// Wrong role: the gate refuses.
			{"a_prosecutor", "/stats", http.StatusForbidden, []string{"没有执行此操作的权限"}, nil},
			{"a_sysadmin", "/stats/compare", http.StatusForbidden, nil, nil},
			{"a_aid_partner", "/stats/drill?measure=an", http.StatusForbidden, nil, nil},
			{"a_aid_partner", "/stats/case-management", http.StatusForbidden, nil, nil},
			// Another unit's cases: as if it did not exist.
			{"b_case_manager", "/stats/drill?measure=an&unit=" + unitA, http.StatusNotFound, []string{"对象不存在或无权访问"}, nil},
			{"b_chief", "/stats/drill/export.xlsx?measure=an&unit=" + unitA, http.StatusNotFound, nil, nil},
			// A unit the reader is not offered.
			{"a_case_manager", "/stats?unit=" + unitB, http.StatusUnprocessableEntity, []string{"单位：不在可查看的单位范围内"}, nil},
			{"a_case_manager", "/stats/compare?unit=" + unitB, http.StatusUnprocessableEntity, []string{"不在可查看的单位范围内"}, nil},
			// Bad input: the message at its control.
			{"a_case_manager", "/stats?period=month&value=2026-13", http.StatusUnprocessableEntity,
				[]string{"月份格式应为", `name="value" value="2026-13"`, `class="invalid"`}, []string{`id="t-indicators"`}},
			{"a_case_manager", "/stats?period=custom&from=2026-03-10&to=2026-03-01", http.StatusUnprocessableEntity,
				[]string{"截止日期不能早于起始日期"}, nil},
			{"a_case_manager", "/stats?period=decade", http.StatusUnprocessableEntity, []string{"期间类型应为月、季度、年度或自定义"}, nil},
			{"a_case_manager", "/stats?unit=abc", http.StatusUnprocessableEntity, []string{"不在可查看的单位范围内"}, nil},
			{"a_case_manager", "/stats/compare?indicator=nope&indicator=withdrawal_rate", http.StatusUnprocessableEntity,
				[]string{"没有代码为“nope”的指标"}, []string{`id="t-compare"`}},
			{"a_case_manager", "/stats/drill?measure=nope", http.StatusUnprocessableEntity, []string{"没有代码为“nope”的统计项"}, nil},
			{"a_case_manager", "/stats/drill?measure=an&period=quarter&value=2026-Q5", http.StatusUnprocessableEntity,
				[]string{"季度格式应为"}, nil},
		}
		clients := map[string]*client{}
		for _, ck := range checks {
			c, ok := clients[ck.user]
			if !ok {
				c = e.login(t, ck.user)
				clients[ck.user] = c
			}
			r := c.get(ck.path)
			what := ck.path + " as " + ck.user
			if r.status != ck.status {
				t.Errorf("%s: status %d, want %d\n%s", what, r.status, ck.status, excerpt(r.body))
			}
			noMissingKeys(t, what, r)
			for _, w := range ck.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("%s: page lacks %q", what, w)
				}
			}
			for _, w := range ck.lack {
				if strings.Contains(r.body, w) {
					t.Errorf("%s: page shows %q", what, w)
				}
			}
		}
		// The vendored chart library and the page script are served with
		// the other assets, and the library's licence next to them.
		anon := e.client(t)
		for path, ctype := range map[string]string{"/static/echarts-5.6.0.min.js": "javascript",
			"/static/stats-1.js": "javascript", "/static/echarts.LICENSE": "", "/static/echarts.NOTICE": ""} {
			r := anon.get(path)
			if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), ctype) ||
				!strings.Contains(r.header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s: status %d type %q cache %q", path, r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
			}
			if strings.HasSuffix(path, "LICENSE") && !strings.Contains(r.body, "Apache License") {
				t.Errorf("%s is not the Apache licence", path)
			}
		}
		// The upper unit's supervisor reads 甲县院's figures but its case
		// links are there too (甲县院 is in the supervisor's case scope).
		r := clients["up_upper_supervisor"].get("/stats?unit=" + unitA)
		if !strings.Contains(r.body, "measure=an") {
			t.Errorf("the upper supervisor cannot drill into a subordinate unit\n%s", excerpt(r.body))
		}
	})
}

// TestStatsExports: every table downloads as a workbook whose second
// sheet defines the indicators.
func TestStatsExports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_case_manager")
		unitA := itoa(e.f.UnitA.ID)
		for _, ex := range []struct {
			path  string
			sheet int // the index of the definitions sheet
			first []string
		}{
			{"/stats/export.xlsx?period=year&value=2026", 1, []string{"案件比", "不捕率"}},
			{"/stats/compare/export.xlsx?indicator=case_ratio&indicator=non_arrest_rate&unit=" + unitA, 1,
				[]string{"甲县人民检察院（本院）"}},
			{"/stats/drill/export.xlsx?" + url.Values{"measure": {"pr_received"}, "unit": {unitA}}.Encode(), 1, []string{e.stageAssig}},
			{"/stats/case-management/export.xlsx", 3, []string{"2026-03"}},
		} {
			r := c.get(ex.path)
			if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
				t.Errorf("%s: status %d type %q\n%s", ex.path, r.status, r.header.Get("Content-Type"), excerpt(r.body))
				continue
			}
			body := []byte(r.body)
			rows, err := xlsx.ReadSheet(bytes.NewReader(body), int64(len(body)), 0)
			if err != nil {
				t.Errorf("%s: first sheet: %v", ex.path, err)
				continue
			}
			text := flatten(rows)
			for _, w := range ex.first {
				if !strings.Contains(text, w) {
					t.Errorf("%s: first sheet lacks %q", ex.path, w)
				}
			}
			defs, err := xlsx.ReadSheet(bytes.NewReader(body), int64(len(body)), ex.sheet)
			if err != nil {
				t.Errorf("%s: definitions sheet: %v", ex.path, err)
				continue
			}
			dt := flatten(defs)
			for _, w := range []string{"指标定义", "分子", "分母", "计数单位", "计入期间的日期", "方向", "案件比", "件 ÷ 案",
				"受理审查逮捕案件数", "按人计", "越低越好", "撤回起诉率", "退回补充侦查（调查）"} {
				if !strings.Contains(dt, w) {
					t.Errorf("%s: definitions sheet lacks %q", ex.path, w)
				}
			}
		}
	})
}

func flatten(rows [][]string) string {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString(strings.Join(row, "\t"))
		b.WriteByte('\n')
	}
	return b.String()
}
