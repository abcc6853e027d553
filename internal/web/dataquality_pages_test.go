package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// dataVisits are the business-data supervision pages, each as a user who
// may see it, over seedData's state: the overview per capacity, the
// problem list (the office's, a handler's, a refused filter, after an
// import), a problem, the cards, a card with its form, the import page,
// the rule library and a rule (read and edit), and the reports.
func dataVisits(t *testing.T, e *env, df *dataFixture) []pageVisit {
	prob := "/data/problems/" + itoa(df.probProsec)
	card := "/data/cards/" + itoa(df.cardProsec)
	return []pageVisit{
		{"dataquality_home", "a_case_manager", "/data", 200, []string{"业务数据监管", "立即扫描本院", "待整改问题",
			"甲县人民检察院数据准确率", "按错误类型", "错填", "漏填", "最近的扫描", `name="unit" value="` + itoa(e.f.UnitA.ID) + `"`}},
		{"dataquality_home", "a_prosecutor", "/data", 200, []string{"我的案卡问题", "待整改问题清单"}},
		{"dataquality_home", "up_upper_supervisor", "/data", 200, []string{"甲县人民检察院", "按错误类型"}},
		{"dataquality_problems", "a_case_manager", "/data/problems", 200, []string{"案卡问题清单", df.stageProsec, df.stageAssist,
			"DQ-001", "决定日期早于受理日期", "DQ-012", "已办结案件未填处理决定", "测嫌1盗窃案", "测assistant", "测prosecutor",
			"待整改", "严重", "共 2 条", "2026-03-16", "导出Excel", `href="/data/cards/` + itoa(df.cardProsec) + `"`}},
		{"dataquality_problems", "a_prosecutor", "/data/problems?status=open", 200, []string{"DQ-001", "共 1 条"}},
		{"dataquality_problems", "a_case_manager", "/data/problems?status=lost&kind=weather", http.StatusUnprocessableEntity,
			[]string{"问题状态：问题状态只能是", "错误类型：错误类型不存在"}},
		{"dataquality_problems", "a_case_manager", "/data/problems?status=open&imported=" + itoa(df.importID), 200,
			[]string{"导入完成：甲县院案卡.xlsx", "新增案卡", "规则命中"}},
		{"dataquality_problem", "a_case_manager", prob, 200, []string{"决定日期早于受理日期", "整改提示", "依据", "豁免该问题",
			"2026-01-30", "决定日期", "测嫌1盗窃案", df.stageProsec, "第1版", "待整改"}},
		{"dataquality_problem", "a_prosecutor", prob, 200, []string{"决定日期早于受理日期", "打开案卡更正"}},
		{"dataquality_cards", "a_case_manager", "/data/cards", 200, []string{df.stageProsec, df.stageAssist, "测嫌1盗窃案", "导入",
			"本系统案件", "审查起诉"}},
		{"dataquality_cards", "a_case_manager", "/data/cards?problems=1&source=import", 200, []string{df.stageProsec, df.stageAssist}},
		{"dataquality_card", "a_prosecutor", card, 200, []string{"保存更正", `name="decided_on" value="2026-01-30"`,
			"决定日期早于受理日期", "1 个问题待整改", "案卡项目", "受理日期", "2026-02-02"}},
		{"dataquality_card", "a_chief", card, 200, []string{"决定日期早于受理日期", "2026-01-30", "导入后没有变更"}},
		{"dataquality_import", "a_case_manager", "/data/import", 200, []string{"上传并预览", "下载导入模板", "甲县院案卡.xlsx",
			`accept=".xlsx,.csv`, "甲县人民检察院", "Excel 工作簿（XLSX）"}},
		{"dataquality_rules", "a_prosecutor", "/data/rules", 200, []string{"DQ-001", "决定日期早于受理日期", "共 80 条规则",
			"全部类别", "启用"}},
		{"dataquality_rules", "a_sysadmin", "/data/rules", 200, []string{"新建规则"}},
		{"dataquality_rule", "a_sysadmin", "/data/rules/DQ-001", 200, []string{"before(card.DecidedOn, card.ReceivedOn)",
			"修订规则", "可用函数", "addMonths", "版本记录", `<option value="decided_on" selected>决定日期（decided_on）</option>`}},
		{"dataquality_rule", "a_sysadmin", "/data/rules/new", 200, []string{"新建数据质量规则", `name="id"`, "保存新规则"}},
		{"dataquality_rule", "a_prosecutor", "/data/rules/DQ-012", 200, []string{"!blank(card.ClosedOn) &amp;&amp; blank(card.Decision)",
			"已办结案件未填处理决定"}},
		{"dataquality_reports", "a_case_manager", "/data/reports", 200, []string{"甲县人民检察院案卡数据质量统计", "按单位",
			"按承办部门", "按承办人", "近十二周准确率", "月度通报数据清单", "发布通报", "2026-03 通报清单共 2 条", "回头看",
			"该月没有发布通报", "DQ-001"}},
		{"dataquality_reports", "up_upper_supervisor", "/data/reports?month=2026-02", 200, []string{"测试市人民检察院及下级院",
			"甲县人民检察院", "2026-02 通报清单共"}},
		{"dataquality_reports", "a_case_manager", "/data/reports?month=2026-13", http.StatusUnprocessableEntity,
			[]string{"月份：月份格式应为 YYYY-MM", `id="month" name="month" value="2026-13" class="invalid"`}},
		{"home", "a_prosecutor", "/", 200, []string{"我的案卡问题", `id="home-data-problems" href="/data/problems?status=open"><b>1 `}},
		{"home", "a_assistant", "/", 200, []string{"我的案卡问题", `<b>1 `}},
	}
}

// TestDataPagesByRole: what each capacity sees and does not see, the
// navigation entry, and objects of another unit (404, no existence leak).
func TestDataPagesByRole(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		df := seedData(t, e)
		prob := "/data/problems/" + itoa(df.probProsec)
		card := "/data/cards/" + itoa(df.cardProsec)
		checks := []struct {
			user, path string
			status     int
			want, lack []string
		}{
			{"a_prosecutor", "/data", 200, []string{`href="/data"`, "数据监管"}, []string{"立即扫描本院", "最近的扫描", `href="/data/import"`}},
			{"a_prosecutor", "/data/problems", 200, []string{`rule-id">DQ-001`}, []string{`rule-id">DQ-012`, df.stageAssist}},
			{"a_assistant", "/data/problems", 200, []string{`rule-id">DQ-012`}, []string{`rule-id">DQ-001`, df.stageProsec}},
			{"a_prosecutor", prob, 200, nil, []string{"豁免该问题"}},
			{"a_chief", card, 200, nil, []string{"保存更正", `name="decided_on"`}},
			{"a_dept_head", prob, 200, nil, []string{"豁免该问题"}},
			{"a_prosecutor", "/data/rules/DQ-001", 200, nil, []string{"修订规则", `id="rule-form"`}},
			{"a_prosecutor", "/data/rules", 200, nil, []string{"新建规则"}},
			{"up_upper_supervisor", "/data/reports", 200, nil, []string{`id="publish"`}},
			{"a_sysadmin", "/", 200, []string{`href="/data/rules">数据监管`}, nil},
			{"a_sysadmin", "/data/rules", 200, []string{"数据监管", "规则库"}, []string{`href="/data/problems"`}},
			{"a_case_manager", "/", 200, []string{`href="/data">数据监管`}, []string{"我的案卡问题"}},
			{"a_aid_partner", "/", 200, nil, []string{"数据监管"}},
			// Wrong role: the gate refuses.
			{"a_sysadmin", "/data", http.StatusForbidden, []string{"没有执行此操作的权限"}, nil},
			{"a_prosecutor", "/data/import", http.StatusForbidden, nil, nil},
			{"a_prosecutor", "/data/reports", http.StatusForbidden, nil, nil},
			{"a_aid_partner", "/data/problems", http.StatusForbidden, nil, nil},
			{"a_case_manager", "/data/rules/new", http.StatusForbidden, nil, nil},
			// Out of scope: another unit, or another handler's card.
			{"b_case_manager", prob, http.StatusNotFound, []string{"对象不存在或无权访问"}, nil},
			{"b_case_manager", card, http.StatusNotFound, nil, nil},
			{"b_prosecutor", card, http.StatusNotFound, nil, nil},
			{"a_prosecutor2", prob, http.StatusNotFound, nil, nil},
			{"a_prosecutor2", card, http.StatusNotFound, nil, nil},
			{"a_assistant", prob, http.StatusNotFound, nil, nil},
			{"a_case_manager", "/data/problems/999999", http.StatusNotFound, nil, nil},
			{"a_case_manager", "/data/cards/abc", http.StatusNotFound, nil, nil},
			{"a_prosecutor", "/data/rules/DQ-999", http.StatusNotFound, nil, nil},
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
		// 乙县院's case manager sees none of 甲县院's problems in the list.
		r := clients["b_case_manager"].get("/data/problems")
		if strings.Contains(r.body, df.stageProsec) || !strings.Contains(r.body, "共 0 条") {
			t.Errorf("乙县院's problem list shows 甲县院's problems\n%s", excerpt(r.body))
		}
	})
}
