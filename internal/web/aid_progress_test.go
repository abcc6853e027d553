package web_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

func TestAidProgressPageFormAndReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		af := seedAid(t, e)
		base := "/aid/pairings/" + itoa(af.pairing)
		goalRows := func() int {
			var n int
			if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM aid_goals`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		admin := e.login(t, "a_sysadmin")
		form := url.Values{"min_level": {"backbone"}, "staff_target": {"3"}, "peer_unit_ids": {itoa(e.f.UnitB.ID)},
			"indicators": {"case_ratio", "plea_rate"}, "top_pct": {"50"}, "window_days": {"90"}, "threshold_board": {"80"},
			"threshold_notices": {"90"}, "threshold_evaluation": {"1"}, "threshold_accuracy": {"95"},
			"levels": {"trainee", "practitioner", "backbone", "mentor"}, "min_per_level": {"1"}}
		// Bad input: a peer at another level, an unknown indicator and a
		// threshold out of range are named; nothing is written.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad["peer_unit_ids"] = []string{itoa(e.f.Upper.ID)}
		bad["indicators"] = []string{"nope"}
		bad["threshold_accuracy"] = []string{"101"}
		r := admin.post(base+"/goals", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad goals: %d", r.status)
		}
		for _, w := range []string{"测试市人民检察院与受援院不是同一级别", "未知或暂不能计算的指标（nope）", "阈值：应在1至100之间"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("bad goals page lacks %q\n%s", w, excerpt(r.body))
			}
		}
		if n := goalRows(); n != 0 {
			t.Fatalf("%d goal rows written by a refused form", n)
		}
		// A case manager passes no role gate for the parameters.
		if r := e.login(t, "a_case_manager").post(base+"/goals", form); r.status != http.StatusForbidden {
			t.Errorf("case manager saving goals: %d", r.status)
		}
		if r := admin.post(base+"/goals", form); r.status != http.StatusSeeOther {
			t.Fatalf("save goals: %d %s", r.status, excerpt(r.body))
		}
		if n := goalRows(); n != 4 {
			t.Fatalf("goal rows %d, want 4", n)
		}
		r = admin.get(base + "/progress")
		for _, w := range []string{"0人（目标3人）", "案件比", "认罪认罚适用率", `id="chart-data"`, "aid-progress-1.js"} {
			if !strings.Contains(r.body, w) {
				t.Errorf("progress page lacks %q", w)
			}
		}
		// Outsiders: another pairing's reader gets not found.
		if r := e.login(t, "up_prosecutor").get(base + "/progress"); r.status != http.StatusNotFound {
			t.Errorf("outsider progress: %d", r.status)
		}
		// The report: a bad quarter is a clear error; a good one opens.
		c := e.login(t, "b_aid_partner")
		if r := c.get(base + "/report.docx?quarter=2026Q9"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "应为“2026Q3”形式的季度") {
			t.Errorf("bad quarter: %d %s", r.status, excerpt(r.body))
		}
		r = c.get(base + "/report.docx?quarter=2026Q1")
		if r.status != http.StatusOK {
			t.Fatalf("report: %d %s", r.status, excerpt(r.body))
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.body)), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var xml string
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				xml = string(b)
			}
		}
		for _, w := range []string{"2026年第1季度援助工作进展报告", "0人（目标3人）", "本季度共开展援助活动1次", "拨付123,456.78元",
			"提交培训心得"} {
			if !strings.Contains(xml, w) {
				t.Errorf("document.xml lacks %q", w)
			}
		}
	})
}
