package web_test

import (
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestStatsReportDownload: the dashboard offers the monthly analysis
// report; the case manager downloads it as a Word document that opens and
// carries the unit's title and the indicators; a unit outside the
// caller's view is refused, and a prosecutor has no analysis pages.
func TestStatsReportDownload(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		cm := e.login(t, "a_case_manager")
		if r := cm.get("/stats"); r.status != 200 || !strings.Contains(r.body, `href="/stats/report.docx?unit=`) {
			t.Fatalf("dashboard: %d, no report link", r.status)
		}
		r := cm.get("/stats/report.docx?month=2026-03")
		if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("report: %d %s\n%.300s", r.status, r.header.Get("Content-Type"), r.body)
		}
		text, err := docx.Text(strings.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatalf("the report does not open: %v", err)
		}
		for _, want := range []string{"甲县人民检察院业务数据分析研判（2026年3月）", "案件比", "认罪认罚适用率"} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		if r := cm.get("/stats/report.docx?month=2026-03&unit=" + itoa(e.f.UnitB.ID)); r.status != 403 && r.status != 404 {
			t.Errorf("another unit's report: %d", r.status)
		}
		if r := cm.get("/stats/report.docx?month=2026-13"); r.status != 422 {
			t.Errorf("month 2026-13: %d", r.status)
		}
		if r := e.login(t, "a_prosecutor").get("/stats/report.docx"); r.status != 403 {
			t.Errorf("prosecutor: %d", r.status)
		}
	})
}
