package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

// TestEvaluationExports: the case report and the activity report download
// as Word documents that carry the grades; each statistics table as a
// workbook holding the page's rows; a template as its JSON file, which
// imports again. Downloads out of the user's view answer 404 or 403, and
// each report is audited.
func TestEvaluationExports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		ev := seedEvaluation(t, e)
		ctx := context.Background()
		cm := e.login(t, "a_case_manager")

		get := func(c *client, path, ctype string) response {
			t.Helper()
			r := c.get(path)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != ctype {
				t.Fatalf("%s: %d %s\n%s", path, r.status, r.header.Get("Content-Type"), excerpt(r.body))
			}
			if !strings.Contains(r.header.Get("Content-Disposition"), "attachment;") ||
				r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: headers %v", path, r.header)
			}
			return r
		}

		// The case report: the handler reads it as the office does.
		r := get(e.login(t, "a_prosecutor3"), "/quality/records/"+itoa(ev.recObjected)+"/report.docx", docxContentType)
		text := docText(t, []byte(r.body))
		for _, w := range []string{"案件质量评查报告", "测某43盗窃案", "测检察官三", "PS-DC-06", "案卡认罪认罚项错填",
			"已更正，卷内有记录", "基本合格案件", "异议"} {
			if !strings.Contains(text, w) {
				t.Errorf("case report lacks %q:\n%s", w, text)
			}
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, url.QueryEscape("案件质量评查报告")) {
			t.Errorf("Content-Disposition %q", cd)
		}

		// The activity report: the draw, the grades, every case.
		r = get(cm, "/quality/activities/"+itoa(ev.activity)+"/report.docx", docxContentType)
		text = docText(t, []byte(r.body))
		for _, w := range []string{"2026年3月审查起诉案件常规抽查评查报告", "随机种子20260316", "总体5件", "等次分布",
			"合格案件", "测某40盗窃案", "测某44盗窃案", "评查员校准", "本次评查共抽取案件5件，已确定等次1件"} {
			if !strings.Contains(text, w) {
				t.Errorf("activity report lacks %q:\n%s", w, text)
			}
		}

		// Statistics: each table as a workbook with the page's rows.
		read := func(body string) [][]string {
			t.Helper()
			rows, err := xlsx.ReadSheet(bytes.NewReader([]byte(body)), int64(len(body)), 0)
			if err != nil {
				t.Fatalf("workbook: %v", err)
			}
			return rows
		}
		rows := read(get(cm, "/quality/stats/export.xlsx?table=grades&by=handler", xlsxContentType).body)
		if len(rows) < 4 || !strings.Contains(rows[0][0], "甲县人民检察院案件质量评查统计") ||
			!slices.Equal(rows[1], []string{"承办检察官", "优质案件", "合格案件", "基本合格案件", "不合格案件", "合计"}) ||
			!slices.Equal(rows[2], []string{"测检察官三", "0", "1", "0", "0", "1"}) || rows[len(rows)-1][0] != "合计" {
			t.Errorf("grades by handler: %q", rows)
		}
		rows = read(get(cm, "/quality/stats/export.xlsx?table=calibration", xlsxContentType).body)
		// Calibration counts proposals: a_prosecutor proposed one grade on
		// two findings, one of them contested; a_prosecutor2 two grades.
		if len(rows) != 4 || !slices.Equal(rows[2], []string{"测prosecutor", "1", "0", "0", "1", "0", "2", "1", "0", "0%"}) ||
			rows[3][0] != "测检察官二" || rows[3][1] != "2" {
			t.Errorf("calibration: %q", rows)
		}
		rows = read(get(cm, "/quality/stats/export.xlsx?table=findings", xlsxContentType).body)
		if len(rows) != 2 {
			t.Errorf("frequent findings of a grade without problems: %q", rows)
		}
		if r := cm.get("/quality/stats/export.xlsx?table=everything"); r.status != http.StatusUnprocessableEntity {
			t.Errorf("unknown table: %d", r.status)
		}

		// A template as its file, which imports again unchanged.
		r = get(e.login(t, "a_prosecutor"), "/quality/templates/"+itoa(ev.template)+"/export.json", "application/json; charset=utf-8")
		tpl, err := evaluation.ParseTemplate([]byte(r.body), nil)
		if err != nil || tpl.Code != "prosecution_review" || tpl.ItemCount() != 47 {
			t.Errorf("exported template: %d items, %v", tpl.ItemCount(), err)
		}

		// Out of view.
		for _, ck := range []struct {
			user, path string
			want       int
		}{
			{"b_case_manager", "/quality/records/" + itoa(ev.recObjected) + "/report.docx", http.StatusNotFound},
			{"a_prosecutor2", "/quality/records/" + itoa(ev.recObjected) + "/report.docx", http.StatusNotFound},
			{"b_case_manager", "/quality/activities/" + itoa(ev.activity) + "/report.docx", http.StatusNotFound},
			{"a_assistant", "/quality/activities/" + itoa(ev.activity) + "/report.docx", http.StatusForbidden},
			{"a_prosecutor", "/quality/stats/export.xlsx?table=grades", http.StatusForbidden},
			{"a_secadmin", "/quality/templates/" + itoa(ev.template) + "/export.json", http.StatusForbidden},
		} {
			if r := e.login(t, ck.user).get(ck.path); r.status != ck.want {
				t.Errorf("%s as %s: %d, want %d", ck.path, ck.user, r.status, ck.want)
			}
		}

		// The reports are audited as reads.
		entries, err := e.f.DB.AuditEntries(ctx, audit.Query{Action: "evaluation.report", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, en := range entries {
			got[en.Record.Action]++
		}
		if got["evaluation.report_case"] != 1 || got["evaluation.report_activity"] != 1 {
			t.Errorf("audited reports: %v", got)
		}
	})
}
