package web_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

// TestDataFlow walks the supervision through the pages: the office
// imports a file (preview, confirm), re-imports it changed (the preview
// lists the changes), the handler corrects a card (its problem closes on
// its own), the office waives a problem, exports the list, scans, and
// publishes the month's notification; the system administrator revises a
// rule and adds one.
func TestDataFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		df := seedData(t, e)
		cm := e.login(t, "a_case_manager")
		pros := e.login(t, "a_prosecutor")

		// Import: preview, then confirm.
		cards := dqCards(3)
		r := cm.upload("/data/import", "第三批.xlsx", cardFile(t, e.f, cards))
		if r.status != http.StatusOK {
			t.Fatalf("preview: %d\n%s", r.status, excerpt(r.body))
		}
		for _, w := range []string{"Excel 工作簿（XLSX）", cards[1].StageNo, cards[2].StageNo, "DQ-001", "DQ-012", "第3行", "第4行"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("preview lacks %q", w)
			}
		}
		id := between(r.body, `action="/data/import/`, `/confirm"`)
		sha := between(r.body, `name="sha256" value="`, `"`)
		r = cm.post("/data/import/"+id+"/confirm", url.Values{"sha256": {sha}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/data/problems?") {
			t.Fatalf("confirm: %d %s\n%s", r.status, r.location(), excerpt(r.body))
		}
		r = cm.get(r.location())
		for _, w := range []string{"案卡已导入，发现的问题已推送给承办人", "导入完成：第三批.xlsx", cards[1].StageNo, cards[2].StageNo, "共 4 条"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("problem list after the import lacks %q", w)
			}
		}
		// The same preview cannot be confirmed twice.
		if r := cm.post("/data/import/"+id+"/confirm", url.Values{"sha256": {sha}}); r.status != http.StatusNotFound {
			t.Errorf("second confirmation: status %d", r.status)
		}

		// A re-import that changes a card: the preview names the change.
		cards[2].Decision, cards[2].DecidedOn, cards[2].DocNo = "起诉", "2026-02-27", "甲检刑诉〔2026〕33号"
		r = cm.upload("/data/import", "第三批（更正）.xlsx", cardFile(t, e.f, cards))
		for _, w := range []string{"将更新的案卡", "处理决定：", "决定日期：", "2026-02-27", "确认后将新增 0 张、更新 1 张案卡"} {
			if !strings.Contains(r.body, html.EscapeString(w)) {
				t.Errorf("re-import preview lacks %q\n%s", w, excerpt(r.body))
			}
		}

		// The handler corrects the decision date: DQ-001 closes by itself.
		form := cardValues(t, e, "a_prosecutor", df.cardProsec)
		form.Set("decided_on", "2026-02-18")
		r = pros.post("/data/cards/"+itoa(df.cardProsec), form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("correction: %d\n%s", r.status, excerpt(r.body))
		}
		r = pros.get(r.location())
		for _, w := range []string{"案卡已保存，重新检查后相关问题已整改", "在本系统更正", "测prosecutor", "决定日期：",
			"2026-01-30", "2026-02-18", "已整改"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("card after the correction lacks %q", w)
			}
		}
		if p := problemOf(t, e, df.probProsec); p.Status != dataquality.StatusFixed || p.FixedOn != "2026-03-16" {
			t.Errorf("corrected problem: %s %s", p.Status, p.FixedOn)
		}
		// Saving the same values again changes nothing.
		form = cardValues(t, e, "a_prosecutor", df.cardProsec)
		if r := pros.post("/data/cards/"+itoa(df.cardProsec), form); r.status != http.StatusSeeOther {
			t.Errorf("unchanged save: %d", r.status)
		}
		// A stale version is a conflict.
		form.Set("version", "1")
		form.Set("name", "测嫌1盗窃案（更正）")
		if r := pros.post("/data/cards/"+itoa(df.cardProsec), form); r.status != http.StatusConflict {
			t.Errorf("stale correction: status %d, want 409", r.status)
		}

		// The office waives a problem; the reason starts like a formula.
		const formula = `=HYPERLINK("http://x","y")`
		p := problemOf(t, e, df.probAssist)
		r = cm.post("/data/problems/"+itoa(df.probAssist)+"/waive", url.Values{"version": {itoa(int64(p.Version))}, "reason": {formula}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("waive: %d\n%s", r.status, excerpt(r.body))
		}
		r = cm.get(r.location())
		for _, w := range []string{"问题已豁免", "已豁免", "测case_manager", html.EscapeString(formula)} {
			if !strings.Contains(r.body, w) {
				t.Errorf("waived problem lacks %q", w)
			}
		}
		if strings.Contains(r.body, `id="waive-form"`) {
			t.Error("a waived problem still offers the waiver")
		}

		// The export: every row of the filter; text stays text.
		r = cm.get("/data/problems.xlsx")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != xlsxContentType ||
			!strings.Contains(r.header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("export: %d %v", r.status, r.header)
		}
		rows, err := xlsx.ReadSheet(bytes.NewReader([]byte(r.body)), int64(len(r.body)), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2+4 || !strings.Contains(rows[0][0], "甲县人民检察院案卡问题清单") || rows[1][0] != "部门受案号" {
			t.Errorf("export rows: %q", rows)
		}
		found := false
		for _, row := range rows {
			if len(row) > 0 && row[len(row)-1] == formula {
				found = true
			}
		}
		if !found {
			t.Errorf("export lacks the waiver reason: %q", rows)
		}
		// The filter narrows the export too.
		r = cm.get("/data/problems.xlsx?status=waived")
		if rows, _ := xlsx.ReadSheet(bytes.NewReader([]byte(r.body)), int64(len(r.body)), 0); len(rows) != 3 {
			t.Errorf("waived export: %q", rows)
		}

		// Scan now.
		r = cm.post("/data/scan", url.Values{"unit": {itoa(e.f.UnitA.ID)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("scan: %d\n%s", r.status, excerpt(r.body))
		}
		r = cm.get(r.location())
		if !strings.Contains(r.body, "本院案卡已扫描完毕") || !strings.Contains(r.body, "本院立即扫描") {
			t.Errorf("after the scan:\n%s", excerpt(r.body))
		}
		// Another unit cannot be scanned from here.
		if r := cm.post("/data/scan", url.Values{"unit": {itoa(e.f.UnitB.ID)}}); r.status != http.StatusForbidden {
			t.Errorf("scan of another unit: %d", r.status)
		}

		// The month's notification: published, then looked back on.
		r = cm.post("/data/reports/publish", url.Values{"month": {"2026-03"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("publish: %d\n%s", r.status, excerpt(r.body))
		}
		r = cm.get(r.location())
		for _, w := range []string{"通报已发布", "2026-03 通报清单共 2 条", "回头看：2026-03 通报问题的整改情况", cards[1].StageNo} {
			if !strings.Contains(r.body, w) {
				t.Errorf("reports after publishing lack %q", w)
			}
		}
		if r := cm.post("/data/reports/publish", url.Values{"month": {"2026/03"}}); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.body, "月份格式应为 YYYY-MM") {
			t.Errorf("publish a bad month: %d", r.status)
		}
		r = cm.get("/data/reports/notification.xlsx?month=2026-03")
		rows, err = xlsx.ReadSheet(bytes.NewReader([]byte(r.body)), int64(len(r.body)), 0)
		if err != nil || len(rows) != 2+2 || !strings.Contains(rows[0][0], "通报清单（2026-03）") {
			t.Errorf("notification workbook: %v %q", err, rows)
		}
		if r := cm.get("/data/reports/notification.xlsx?month=march"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("notification workbook of a bad month: %d", r.status)
		}

		// The system administrator revises DQ-001 and adds a rule.
		sys := e.login(t, "a_sysadmin")
		rule := url.Values{"title": {"决定日期早于受理日期（修订）"}, "kind": {"wrong"}, "severity": {"major"}, "item": {"decided_on"},
			"when": {"before(card.DecidedOn, card.ReceivedOn) &&"}, "reference": {"《检察机关案卡填录规范》"},
			"hint": {"核对决定文书的落款日期"}, "fix_days": {"3"}, "categories": {"arrest_review", "prosecution_review"}}
		r = sys.post("/data/rules/DQ-001", rule)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad expression: %d\n%s", r.status, excerpt(r.body))
		}
		if !strings.Contains(r.body, "检查表达式：检查表达式无法编译") || !strings.Contains(r.body, html.EscapeString("&&")+"</textarea>") ||
			!strings.Contains(r.body, `value="prosecution_review" checked`) {
			t.Errorf("refused rule form:\n%s", excerpt(r.body))
		}
		rule.Set("when", "before(card.DecidedOn, card.ReceivedOn)")
		r = sys.post("/data/rules/DQ-001", rule)
		if r.status != http.StatusSeeOther {
			t.Fatalf("save rule: %d\n%s", r.status, excerpt(r.body))
		}
		r = sys.get(r.location())
		for _, w := range []string{"规则已保存", "决定日期早于受理日期（修订）", "第2版", "审查逮捕、审查起诉", "核对决定文书的落款日期"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("revised rule lacks %q", w)
			}
		}
		if n := strings.Count(between(r.body, `id="rule-history"`, "</section>"), "<tr>"); n != 3 {
			t.Errorf("history rows %d, want the header and two versions", n)
		}
		rule.Set("id", "DQ-001")
		if r := sys.post("/data/rules", rule); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "规则编号：与已有记录重复") {
			t.Errorf("new rule with a used id: %d", r.status)
		}
		rule.Set("id", "JX-1")
		rule.Set("title", "案件名称含测试字样")
		rule.Set("when", `card.Name contains "测试"`)
		rule.Set("item", "name")
		if r := sys.post("/data/rules", rule); r.status != http.StatusSeeOther || r.location() != "/data/rules/JX-1?flash=flash.data_rule_saved" {
			t.Errorf("new rule: %d %s\n%s", r.status, r.location(), excerpt(r.body))
		}
		if r := pros.get("/data/rules"); !strings.Contains(r.body, "JX-1") || !strings.Contains(r.body, "共 81 条规则") {
			t.Error("the new rule is not in the library")
		}
	})
}
