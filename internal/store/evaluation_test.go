package store_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// evalEnv is the fixture organisation with an evaluation service whose
// clock the test moves (the case service stays on apptest.Now, 16 March
// 2026).
type evalEnv struct {
	t   *testing.T
	ctx context.Context
	f   *apptest.Fixture
	db  *store.DB
	svc *evaluation.Service
	now time.Time
}

func newEvalEnv(t *testing.T, db *store.DB) *evalEnv {
	e := &evalEnv{t: t, ctx: context.Background(), f: apptest.New(t, db, nil), db: db, now: apptest.Now()}
	e.svc = evaluation.NewService(db, func() time.Time { return e.now }, deadline.DefaultEngine, e.f.App.T.T)
	// These tests open self-checks themselves (hook and scan with their own
	// clock); the app's closing hook is tested in the API's
	// TestClosingOpensSelfCheck.
	e.f.App.Cases.OnClosed(nil)
	n, err := e.svc.InstallDefaults(e.ctx)
	if err != nil || n != 4 {
		t.Fatalf("install defaults: %d, %v", n, err)
	}
	return e
}

func (e *evalEnv) req(username string) evaluation.Request {
	return evaluation.Request(e.f.Request(e.t, username))
}

func (e *evalEnv) id(username string) int64 { return e.f.User(e.t, username).ID }

// setDay moves the evaluation clock to 10:00 in China on day.
func (e *evalEnv) setDay(day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		e.t.Fatal(err)
	}
	e.now = d.Add(10 * time.Hour)
}

func (e *evalEnv) exec(q string, args ...any) {
	e.t.Helper()
	if err := e.db.ExecForEvaluationTest(e.ctx, q, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *evalEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRowForTest(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// evalTables are every table the evaluation writes, and the audit log.
var evalTables = []string{"evaluation_templates", "evaluation_checks", "evaluation_check_items",
	"evaluation_activities", "evaluation_members", "evaluation_records", "evaluation_record_items",
	"evaluation_followups", "evaluation_actions", "audit_log"}

// rows counts the rows of every evaluation table and of the audit log,
// and the sum of the versions of checks, activities and records (a
// refused change must not bump one).
func (e *evalEnv) rows() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	for _, tbl := range evalTables {
		out[tbl] = e.count(`SELECT count(*) FROM ` + tbl)
	}
	for _, tbl := range []string{"evaluation_checks", "evaluation_activities", "evaluation_records"} {
		out[tbl+".version"] = e.count(`SELECT COALESCE(SUM(version), 0) FROM ` + tbl)
	}
	return out
}

// refused checks that err is a validation error naming field with key,
// and that nothing was written since before.
func (e *evalEnv) refused(err error, field, key string, before map[string]int) {
	e.t.Helper()
	v, ok := apperr.AsValidation(err)
	if !ok {
		e.t.Fatalf("want validation %s:%s, got %v", field, key, err)
	}
	found := false
	for _, f := range v.Fields {
		if f.Field == field && f.Key == key {
			found = true
		}
	}
	if !found {
		e.t.Errorf("want %s:%s, got %v", field, key, err)
	}
	e.unchanged(before)
}

func (e *evalEnv) unchanged(before map[string]int) {
	e.t.Helper()
	after := e.rows()
	for k, n := range before {
		if after[k] != n {
			e.t.Errorf("%s: %d rows after a refused change, %d before", k, after[k], n)
		}
	}
}

func (e *evalEnv) forbidden(err error) {
	e.t.Helper()
	if !errors.Is(err, apperr.ErrForbidden) {
		e.t.Errorf("want forbidden, got %v", err)
	}
}

func (e *evalEnv) ok(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *evalEnv) verifyAudit() {
	e.t.Helper()
	if _, err := e.db.VerifyAudit(e.ctx); err != nil {
		e.t.Fatalf("audit chain: %v", err)
	}
}

// closedCase registers prosecution-review intake i in the unit of cm,
// designates handler, and records rights notice, decision and closing
// (closed on 12 March 2026, unless the returns take it later).
func (e *evalEnv) closedCase(i int, cm, handler, decision string, returns int, mod func(*casefile.Intake)) int64 {
	e.t.Helper()
	in := apptest.Intake(i)
	if mod != nil {
		mod(&in)
	}
	id, err := e.f.App.Cases.Register(e.ctx, e.f.Request(e.t, cm), in)
	if err != nil {
		e.t.Fatalf("intake %d: %v", i, err)
	}
	if _, err := e.f.App.Assigner.Designate(e.ctx, e.f.Request(e.t, cm), id, e.id(handler), "", "测试指定"); err != nil {
		e.t.Fatal(err)
	}
	ev := func(code, on, outcome string) {
		if _, err := e.f.App.Cases.AddEvent(e.ctx, e.f.Request(e.t, handler), id,
			casefile.Event{Code: code, OccurredOn: on, Outcome: outcome}); err != nil {
			e.t.Fatalf("case %d event %s: %v", i, code, err)
		}
	}
	switch in.Category {
	case "prosecution_review":
		ev(casefile.EventRightsNotified, "2026-03-03", "")
		for r := 0; r < returns; r++ {
			ev(casefile.EventReturned, []string{"2026-03-04", "2026-03-06"}[r], "")
			ev(casefile.EventResubmitted, []string{"2026-03-05", "2026-03-07"}[r], "")
		}
	}
	ev(casefile.EventDecided, "2026-03-10", decision)
	ev(casefile.EventClosed, "2026-03-12", "")
	return id
}

// evalTemplate loads the newest version of a template code.
func (e *evalEnv) latest(code string) evaluation.TemplateInfo {
	e.t.Helper()
	list, err := e.svc.Templates(e.ctx, e.req("a_prosecutor"))
	e.ok(err)
	for _, i := range list {
		if i.Code == code && i.Latest {
			return i
		}
	}
	e.t.Fatalf("no template %s", code)
	return evaluation.TemplateInfo{}
}

func TestEvaluationTemplateVersions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		if n, err := e.svc.InstallDefaults(e.ctx); n != 0 || err != nil {
			t.Fatalf("second install: %d, %v", n, err)
		}
		v1 := e.latest("prosecution_review")
		if v1.Version != 1 || v1.InUse || v1.Items < 30 || v1.ScaleCode != "2026" {
			t.Fatalf("v1 = %+v", v1)
		}
		original, err := e.svc.ExportTemplate(e.ctx, e.req("a_case_manager"), v1.ID)
		e.ok(err)
		tpl, err := e.svc.Template(e.ctx, e.req("a_case_manager"), v1.ID)
		e.ok(err)

		// Editing makes version 2; only the office or the system
		// administrator may.
		edited := tpl
		edited.Sections = slices.Clone(tpl.Sections)
		for i, s := range edited.Sections {
			if s.Aspect == evaluation.AspectProcedure {
				edited.Sections[i].Items = append(slices.Clone(s.Items), evaluation.Item{Code: "PS-PC-12",
					Title: "是否依法听取被害人对认罪认罚的意见", Standard: "认罪认罚案件听取被害人意见并记录在案",
					Basis: "《刑事诉讼法》第一百七十三条", Guidance: "查看听取意见笔录"})
			}
		}
		_, err = e.svc.SaveTemplate(e.ctx, e.req("a_prosecutor"), v1.ID, edited, "增加一项")
		e.forbidden(err)
		v2, err := e.svc.SaveTemplate(e.ctx, e.req("a_case_manager"), v1.ID, edited, "增加听取被害人意见项")
		e.ok(err)
		if v2.Version != 2 || v2.Items != v1.Items+1 || v2.Code != "prosecution_review" {
			t.Fatalf("v2 = %+v", v2)
		}
		// An edit from the older version lost the race: nothing stored.
		before := e.rows()
		if _, err := e.svc.SaveTemplate(e.ctx, e.req("a_case_manager"), v1.ID, edited, "再改"); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("stale edit: %v", err)
		}
		e.unchanged(before)
		// The code of a family cannot change.
		renamed := edited
		renamed.Code = "other_code"
		_, err = e.svc.SaveTemplate(e.ctx, e.req("a_case_manager"), v2.ID, renamed, "改编码")
		e.refused(err, "code", "err.evaluation_code_changed", before)

		// Version 1 is as it was.
		again, err := e.svc.ExportTemplate(e.ctx, e.req("a_case_manager"), v1.ID)
		e.ok(err)
		if !bytes.Equal(again, original) {
			t.Error("version 1 changed after the edit")
		}

		// A self-check makes the newest version in use; the database itself
		// refuses to change or remove any version.
		c := e.closedCase(1, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		checkID, err := e.svc.OpenSelfCheck(e.ctx, c)
		e.ok(err)
		if e.latest("prosecution_review").InUse != true {
			t.Error("version 2 not in use after a self-check")
		}
		sc, err := e.svc.GetSelfCheck(e.ctx, e.req("a_prosecutor"), checkID)
		e.ok(err)
		if sc.TemplateID != v2.ID {
			t.Errorf("self-check uses template %d, want %d", sc.TemplateID, v2.ID)
		}
		if err := db.ExecForEvaluationTest(e.ctx, `UPDATE evaluation_templates SET name = 'x' WHERE id = $1`, v2.ID); err == nil {
			t.Error("the database let a template version change")
		}
		if err := db.ExecForEvaluationTest(e.ctx, `DELETE FROM evaluation_templates WHERE id = $1`, v1.ID); err == nil {
			t.Error("the database let a template version go")
		}

		// Import: the exported file round-trips into the next version.
		file, err := e.svc.ExportTemplate(e.ctx, e.req("a_case_manager"), v2.ID)
		e.ok(err)
		v3, err := e.svc.ImportTemplate(e.ctx, e.req("a_case_manager"), file, "导入核对")
		e.ok(err)
		t2, _ := e.svc.Template(e.ctx, e.req("a_case_manager"), v2.ID)
		t3, _ := e.svc.Template(e.ctx, e.req("a_case_manager"), v3.ID)
		if v3.Version != 3 || !slicesEqualItems(t2.Items(), t3.Items()) || t3.Scale.Code != t2.Scale.Code {
			t.Errorf("import round trip: %+v", v3)
		}
		// A file with problems: every one named with its path, nothing
		// stored.
		before = e.rows()
		bad := strings.Replace(string(file), `"code": "PS-EV-01"`, `"code": "ps ev 01"`, 1)
		bad = strings.Replace(bad, `"categories": [`, `"colour": "red", "categories": [`, 1)
		_, err = e.svc.ImportTemplate(e.ctx, e.req("a_case_manager"), []byte(bad), "坏文件")
		e.refused(err, "colour", "err.json_unknown_field", before)
		bad = strings.Replace(string(file), `"code": "PS-EV-01"`, `"code": "ps ev 01"`, 1)
		bad = strings.Replace(bad, `"prosecution_review"
  ]`, `"prosecution_review", "traffic"
  ]`, 1)
		_, err = e.svc.ImportTemplate(e.ctx, e.req("a_case_manager"), []byte(bad), "坏文件")
		e.refused(err, "aspects[0].items[0].code", "err.evaluation_item_code_format", before)
		e.refused(err, "categories[1]", "err.unknown_category", before)
		_, err = e.svc.ImportTemplate(e.ctx, e.req("a_prosecutor"), file, "x")
		e.forbidden(err)
		e.verifyAudit()
	})
}

func slicesEqualItems(a, b []evaluation.Item) bool {
	return slices.EqualFunc(a, b, func(x, y evaluation.Item) bool {
		return x.Code == y.Code && x.Title == y.Title && x.Aspect == y.Aspect && x.Standard == y.Standard
	})
}

func TestEvaluationSelfCheck(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		c1 := e.closedCase(1, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		c2 := e.closedCase(2, "a_case_manager", "a_prosecutor2", "np_insufficient", 0, nil)
		open := e.closedCase(3, "a_case_manager", "a_prosecutor3", "prosecute", 0, nil)
		e.exec(`UPDATE cases SET status = 'decided', closed_on = '' WHERE id = $1`, open)

		// The hook at closing: due 10 working days after 12 March
		// (Thursday) → 26 March; idempotent.
		id, err := e.svc.OpenSelfCheck(e.ctx, c1)
		e.ok(err)
		again, err := e.svc.OpenSelfCheck(e.ctx, c1)
		if err != nil || again != id {
			t.Fatalf("second hook: %d, %v", again, err)
		}
		before := e.rows()
		_, err = e.svc.OpenSelfCheck(e.ctx, open)
		e.refused(err, "case", "err.evaluation_case_not_closed", before)
		sc, err := e.svc.GetSelfCheck(e.ctx, e.req("a_prosecutor"), id)
		e.ok(err)
		if sc.DueOn != "2026-03-26" || sc.Status != evaluation.CheckPending || sc.HandlerID != e.id("a_prosecutor") ||
			sc.DueBasis != evaluation.SelfCheckBasis {
			t.Fatalf("self-check: %+v", sc)
		}
		if got := sc.DueClock().Explain(e.f.App.T.T); got != "3月12日办结；10个工作日 → 3月26日" {
			t.Errorf("explanation %q", got)
		}
		// The scan creates the missing one (c2) and nothing twice.
		scan, err := e.svc.ScanSelfChecks(e.ctx, "2026-03-01")
		e.ok(err)
		if scan.Created != 1 || scan.Cases != 1 {
			t.Errorf("scan: %+v", scan)
		}
		if scan, _ = e.svc.ScanSelfChecks(e.ctx, "2026-03-01"); scan.Created != 0 {
			t.Errorf("second scan created %d", scan.Created)
		}

		// Only the handler files; bad input is refused with nothing written.
		_, err = e.svc.GetSelfCheck(e.ctx, e.req("b_case_manager"), id)
		if !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another unit read the self-check: %v", err)
		}
		// A colleague does not even see it (out of scope answers not found);
		// the department head sees it but does not file it.
		if err := e.svc.SubmitSelfCheck(e.ctx, e.req("a_prosecutor2"), id, evaluation.SelfCheckInput{Summary: "x"}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a colleague's submission: %v", err)
		}
		e.forbidden(e.svc.SubmitSelfCheck(e.ctx, e.req("a_dept_head"), id, evaluation.SelfCheckInput{Summary: "x"}))
		before = e.rows()
		err = e.svc.SubmitSelfCheck(e.ctx, e.req("a_prosecutor"), id, evaluation.SelfCheckInput{Summary: "自查",
			Findings: []evaluation.FindingInput{{ItemCode: "XX-01", Option: "flaw", Note: "x"},
				{ItemCode: "PS-PC-08", Option: "flaw", Note: "具结书无律师签字"},
				{ItemCode: "PS-DC-06", Option: "flaw"}}})
		e.refused(err, "findings[0].item_code", "err.evaluation_item_unknown", before)
		e.refused(err, "findings[1].option", "err.evaluation_option_unknown", before)
		e.refused(err, "findings[2].note", "err.required", before)
		e.ok(e.svc.SubmitSelfCheck(e.ctx, e.req("a_prosecutor"), id, evaluation.SelfCheckInput{
			Summary: "已逐项自查，发现案卡一处错填，已更正。",
			Findings: []evaluation.FindingInput{{ItemCode: "PS-DC-06", Option: "flaw", Note: "认罪认罚项错填"},
				{ItemCode: "PS-PC-02", Option: "none", Note: "已在三日内告知"}}}))
		before = e.rows()
		err = e.svc.SubmitSelfCheck(e.ctx, e.req("a_prosecutor"), id, evaluation.SelfCheckInput{Summary: "再交"})
		e.refused(err, "status", "err.evaluation_check_submitted", before)

		// Verification by the department head: every finding needs a
		// verdict, a disagreement its reason; the handler never verifies.
		e.forbidden(e.svc.VerifySelfCheck(e.ctx, e.req("a_prosecutor"), id, evaluation.VerifyInput{}))
		e.forbidden(e.svc.VerifySelfCheck(e.ctx, e.req("a_case_manager"), id, evaluation.VerifyInput{}))
		_, err = e.svc.GetSelfCheck(e.ctx, e.req("b_dept_head"), id)
		if !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another unit's head read the self-check: %v", err)
		}
		err = e.svc.VerifySelfCheck(e.ctx, e.req("a_dept_head"), id, evaluation.VerifyInput{
			Verdicts: []evaluation.VerdictInput{{ItemCode: "PS-DC-06", Agree: false}},
			Added:    []evaluation.FindingInput{{ItemCode: "PS-DC-06", Option: "flaw", Note: "重复"}}})
		e.refused(err, "verdicts[0].reason", "err.required", before)
		e.refused(err, "verdicts", "err.evaluation_verdict_missing", before)
		e.refused(err, "added[0].item_code", "err.evaluation_item_in_check", before)
		e.ok(e.svc.VerifySelfCheck(e.ctx, e.req("a_dept_head"), id, evaluation.VerifyInput{
			Verdicts: []evaluation.VerdictInput{{ItemCode: "PS-DC-06", Agree: true},
				{ItemCode: "PS-PC-02", Agree: false, Reason: "告知书送达日期为受理后第四日"}},
			Added: []evaluation.FindingInput{{ItemCode: "PS-RN-03", Option: "flaw", Note: "未回应辩护意见"}},
			Note:  "核查发现两处问题"}))
		sc, err = e.svc.GetSelfCheck(e.ctx, e.req("a_dept_head"), id)
		e.ok(err)
		if sc.Status != evaluation.CheckVerified || sc.VerifierID != e.id("a_dept_head") || len(sc.Findings) != 3 {
			t.Fatalf("verified: %+v", sc)
		}
		if tl := sc.Tally(); tl.Flaws != 2 {
			t.Errorf("tally after verification %+v, want 2 flaws (agreed + added)", tl)
		}
		// The case's quality record shows it; the list finds it; a late
		// one shows as overdue.
		q, err := e.svc.CaseQuality(e.ctx, e.req("a_prosecutor"), c1)
		e.ok(err)
		if q.SelfCheck == nil || q.SelfCheck.ID != id {
			t.Errorf("quality record: %+v", q)
		}
		e.setDay("2026-03-27")
		list, _, err := e.svc.ListSelfChecks(e.ctx, e.req("a_case_manager"), evaluation.CheckFilter{Overdue: true})
		e.ok(err)
		if len(list) != 1 || list[0].Case.ID != c2 || !list[0].Overdue(e.svc.Today()) {
			t.Errorf("overdue list: %d", len(list))
		}
		mine, _, err := e.svc.ListSelfChecks(e.ctx, e.req("a_prosecutor2"), evaluation.CheckFilter{})
		e.ok(err)
		if len(mine) != 1 || mine[0].HandlerID != e.id("a_prosecutor2") {
			t.Errorf("a prosecutor sees %d self-checks", len(mine))
		}
		e.verifyAudit()
	})
}
