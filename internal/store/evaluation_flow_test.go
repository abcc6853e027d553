package store_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// routine plans a routine activity of unit A over the cases closed in
// March 2026.
func (e *evalEnv) routine(name string, evaluators, committee []string, leader string) int64 {
	e.t.Helper()
	ids := func(names []string) []int64 {
		out := make([]int64, len(names))
		for i, n := range names {
			out[i] = e.id(n)
		}
		return out
	}
	id, err := e.svc.CreateActivity(e.ctx, e.req("a_case_manager"), evaluation.ActivityInput{Name: name,
		Kind: evaluation.KindRoutine, UnitIDs: []int64{e.f.UnitA.ID}, Categories: []string{"prosecution_review"},
		ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: e.id(leader),
		EvaluatorIDs: ids(evaluators), CommitteeIDs: ids(committee), Deadline: "2026-04-15"})
	e.ok(err)
	return id
}

// recordOf finds an activity's record of a case.
func (e *evalEnv) recordOf(activityID, caseID int64) evaluation.Record {
	e.t.Helper()
	recs, _, err := e.svc.ListRecords(e.ctx, e.req("a_case_manager"), evaluation.RecordFilter{ActivityID: activityID})
	e.ok(err)
	for _, r := range recs {
		if r.Case.ID == caseID {
			d, err := e.svc.GetRecord(e.ctx, e.req("a_case_manager"), r.ID)
			e.ok(err)
			return d.Record
		}
	}
	e.t.Fatalf("activity %d has no record of case %d", activityID, caseID)
	return evaluation.Record{}
}

func (e *evalEnv) username(id int64) string {
	for n, u := range e.f.Users {
		if u.ID == id {
			return n
		}
	}
	e.t.Fatalf("no user %d", id)
	return ""
}

// The whole procedure on three cases: scoring, proposals, an objection
// decided by the committee, an agreement, a lapse, follow-up, closing,
// the reports and the statistics; every bad input refused with nothing
// written.
func TestEvaluationProcedure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		c1 := e.closedCase(1, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		c2 := e.closedCase(2, "a_case_manager", "a_prosecutor2", "np_insufficient", 0, nil)
		c3 := e.closedCase(3, "a_case_manager", "a_prosecutor3", "prosecute", 0, nil)
		act := e.routine("2026年第一季度常规抽查", []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3"},
			[]string{"a_dept_head"}, "a_chief")
		d, err := e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), act, 100, 7)
		e.ok(err)
		if d.Population != 3 || d.Drawn != 3 || d.Seed != 7 || d.Rate != 100 || len(d.Digest) != 64 {
			t.Fatalf("draw %+v", d)
		}
		before := e.rows()
		e.refused(e.svc.StartActivity(e.ctx, e.req("a_case_manager"), act), "records", "err.evaluation_unassigned", before)
		n, err := e.svc.AutoAssign(e.ctx, e.req("a_case_manager"), act)
		if err != nil || n != 3 {
			t.Fatalf("auto-assign: %d, %v", n, err)
		}
		loads := map[int64]int{}
		for _, c := range []int64{c1, c2, c3} {
			r := e.recordOf(act, c)
			if r.EvaluatorID == 0 || r.EvaluatorID == r.HandlerID || r.AssignExplanation == "" ||
				strings.Contains(r.AssignExplanation, "⟦") {
				t.Errorf("case %d: evaluator %d handler %d (%s)", c, r.EvaluatorID, r.HandlerID, r.AssignExplanation)
			}
			loads[r.EvaluatorID]++
		}
		if len(loads) != 3 {
			t.Errorf("workload not balanced: %v", loads)
		}
		e.ok(e.svc.StartActivity(e.ctx, e.req("a_case_manager"), act))

		// Case 1: two flaws, basic; the handler objects to one in time, the
		// committee overturns it; the grade stays basic (one flaw remains).
		r1 := e.recordOf(act, c1)
		ev1 := e.username(r1.EvaluatorID)
		before = e.rows()
		err = e.svc.Score(e.ctx, e.req(ev1), r1.ID, []evaluation.FindingInput{
			{ItemCode: "ZZ-99", Option: "flaw", Note: "不存在的项目"},
			{ItemCode: "PS-PC-08", Option: "flaw", Note: "该项只有严重问题"}})
		e.refused(err, "findings[0].item_code", "err.evaluation_item_unknown", before)
		e.refused(err, "findings[1].option", "err.evaluation_option_unknown", before)
		e.ok(e.svc.Score(e.ctx, e.req(ev1), r1.ID, []evaluation.FindingInput{
			{ItemCode: "PS-DC-06", Option: "flaw", Note: "案卡认罪认罚项错填"},
			{ItemCode: "PS-PC-02", Option: "flaw", Note: "第五日才告知委托辩护人权利"}}))
		before = e.rows()
		e.refused(e.svc.Propose(e.ctx, e.req(ev1), r1.ID, "flawed", "理由"), "grade", "err.evaluation_grade_unknown", before)
		e.refused(e.svc.Propose(e.ctx, e.req(ev1), r1.ID, "qualified", "理由"), "grade",
			"err.evaluation_grade_above_findings", before)
		e.refused(e.svc.Propose(e.ctx, e.req(ev1), r1.ID, "excellent", "理由"), "grade",
			"err.evaluation_excellent_not_eligible", before)
		e.refused(e.svc.Propose(e.ctx, e.req(ev1), r1.ID, "basic", " "), "reasons", "err.required", before)
		e.ok(e.svc.Propose(e.ctx, e.req(ev1), r1.ID, "basic", "存在两处瑕疵"))
		r1 = e.recordOf(act, c1)
		// 5 working days from Monday 16 March.
		if r1.Status != evaluation.StatusProposed || r1.ResponseDue != "2026-03-23" || r1.SuggestedGrade != "basic" ||
			r1.Deduction != 4 {
			t.Fatalf("proposed: %+v", r1.State)
		}
		objection := evaluation.ObjectionInput{Reason: "案卡已更正，申请复核",
			Items: []evaluation.ItemObjection{{ItemCode: "PS-DC-06", Reason: "已于结案前更正"}}}
		e.setDay("2026-03-24")
		before = e.rows()
		e.refused(e.svc.Object(e.ctx, e.req("a_prosecutor"), r1.ID, objection), "response_due",
			"err.evaluation_objection_late", before)
		e.setDay("2026-03-20")
		e.refused(e.svc.Object(e.ctx, e.req("a_prosecutor"), r1.ID, evaluation.ObjectionInput{Reason: "x",
			Items: []evaluation.ItemObjection{{ItemCode: "PS-EV-01", Reason: "y"}}}), "items[0].item_code",
			"err.evaluation_item_not_found", before)
		e.ok(e.svc.Object(e.ctx, e.req("a_prosecutor"), r1.ID, objection))
		before = e.rows()
		e.refused(e.svc.Decide(e.ctx, e.req("a_dept_head"), r1.ID, evaluation.DecisionInput{Grade: "basic", Reason: "维持"}),
			"items", "err.evaluation_decision_missing", before)
		decision := evaluation.DecisionInput{Items: []evaluation.ItemDecision{{ItemCode: "PS-DC-06", Overturn: true,
			Reason: "卷内有更正记录"}}, Grade: "qualified", Reason: "撤销一项"}
		e.refused(e.svc.Decide(e.ctx, e.req("a_dept_head"), r1.ID, decision), "grade",
			"err.evaluation_grade_above_findings", before)
		decision.Grade = "basic"
		e.ok(e.svc.Decide(e.ctx, e.req("a_dept_head"), r1.ID, decision))
		before = e.rows()
		e.refused(e.svc.AddFollowUp(e.ctx, e.req("a_case_manager"), r1.ID, evaluation.FollowReferral, "移送"), "kind",
			"err.evaluation_referral_needs_fail", before)
		e.ok(e.svc.AddFollowUp(e.ctx, e.req("a_case_manager"), r1.ID, evaluation.FollowCorrection, "已整改"))
		e.ok(e.svc.CloseRecord(e.ctx, e.req("a_case_manager"), r1.ID, ""))
		before = e.rows()
		e.refused(e.svc.AddFollowUp(e.ctx, e.req("a_case_manager"), r1.ID, evaluation.FollowFeedback, "再讲评"), "status",
			"err.evaluation_record_closed", before)

		// Case 2: a serious problem, unqualified, agreed; closing needs a
		// correction first; referral is allowed.
		r2 := e.recordOf(act, c2)
		ev2 := e.username(r2.EvaluatorID)
		e.ok(e.svc.Score(e.ctx, e.req(ev2), r2.ID, []evaluation.FindingInput{
			{ItemCode: "PS-DC-02", Option: "serious", Note: "不起诉决定书未送达被害人"}}))
		e.ok(e.svc.Propose(e.ctx, e.req(ev2), r2.ID, "unqualified", "不起诉决定书未送达被害人，剥夺其申诉权"))
		e.ok(e.svc.Agree(e.ctx, e.req("a_prosecutor2"), r2.ID, "认可"))
		before = e.rows()
		e.refused(e.svc.CloseRecord(e.ctx, e.req("a_case_manager"), r2.ID, ""), "followups",
			"err.evaluation_correction_required", before)
		e.ok(e.svc.AddFollowUp(e.ctx, e.req("a_case_manager"), r2.ID, evaluation.FollowReferral, "移送检务督察"))
		e.ok(e.svc.AddFollowUp(e.ctx, e.req("a_chief"), r2.ID, evaluation.FollowCorrection, "已补送达并告知申诉权"))
		e.ok(e.svc.CloseRecord(e.ctx, e.req("a_chief"), r2.ID, "办结"))

		// Case 3: excellent, proposed with reasons; no answer within the
		// period: the lapse makes it final.
		r3 := e.recordOf(act, c3)
		ev3 := e.username(r3.EvaluatorID)
		e.ok(e.svc.Score(e.ctx, e.req(ev3), r3.ID, nil))
		e.ok(e.svc.Propose(e.ctx, e.req(ev3), r3.ID, "excellent", "说理充分，可作范本"))
		if n, err := e.svc.LapseOverdue(e.ctx); n != 0 || err != nil {
			t.Fatalf("lapse inside the period: %d, %v", n, err)
		}
		e.setDay("2026-03-28")
		if n, err := e.svc.LapseOverdue(e.ctx); n != 1 || err != nil {
			t.Fatalf("lapse: %d, %v", n, err)
		}
		r3 = e.recordOf(act, c3)
		if r3.Status != evaluation.StatusFinal || r3.FinalGrade != "excellent" || r3.Response != evaluation.RespLapsed {
			t.Fatalf("lapsed: %+v", r3.State)
		}
		before = e.rows()
		e.refused(e.svc.CloseActivity(e.ctx, e.req("a_case_manager"), act), "records", "err.evaluation_records_open", before)
		e.ok(e.svc.CloseRecord(e.ctx, e.req("a_case_manager"), r3.ID, ""))
		e.ok(e.svc.CloseActivity(e.ctx, e.req("a_chief"), act))

		// The case report carries the final grade and the decision; the
		// activity report the draw and the grades.
		rep, err := e.svc.CaseReport(e.ctx, e.req("a_prosecutor"), r1.ID)
		e.ok(err)
		text := docxText(t, rep.Document())
		for _, want := range []string{"案件质量评查报告", "基本合格案件", "撤销：卷内有更正记录", "测某1盗窃案", "已整改"} {
			if !strings.Contains(text, want) {
				t.Errorf("case report lacks %q", want)
			}
		}
		arep, err := e.svc.ActivityReport(e.ctx, e.req("a_case_manager"), act)
		e.ok(err)
		text = docxText(t, arep.Document())
		for _, want := range []string{"2026年第一季度常规抽查评查报告", "随机种子7", "优质案件", "不合格案件", "评查员校准"} {
			if !strings.Contains(text, want) {
				t.Errorf("activity report lacks %q", want)
			}
		}
		if strings.Contains(text, "⟦") {
			t.Error("activity report has a missing key")
		}

		// Statistics.
		rows, err := e.svc.GradeDistribution(e.ctx, e.req("a_case_manager"), evaluation.StatsFilter{ScaleCode: "2026"},
			evaluation.ByUnit)
		e.ok(err)
		if len(rows) != 1 || rows[0].Total != 3 || rows[0].Counts["basic"] != 1 || rows[0].Counts["unqualified"] != 1 ||
			rows[0].Counts["excellent"] != 1 {
			t.Errorf("by unit: %+v", rows)
		}
		for _, by := range evaluation.GroupBys() {
			rows, err := e.svc.GradeDistribution(e.ctx, e.req("a_chief"), evaluation.StatsFilter{ActivityID: act}, by)
			e.ok(err)
			total := 0
			for _, r := range rows {
				total += r.Total
			}
			if total != 3 {
				t.Errorf("by %s: total %d", by, total)
			}
		}
		freq, err := e.svc.FrequentFindings(e.ctx, e.req("a_case_manager"), evaluation.StatsFilter{}, 10)
		e.ok(err)
		if len(freq) != 2 || freq[0].ItemCode != "PS-DC-02" && freq[0].ItemCode != "PS-PC-02" {
			t.Errorf("frequent findings (the overturned one left out): %+v", freq)
		}
		cal, err := e.svc.Calibration(e.ctx, e.req("up_upper_supervisor"), evaluation.StatsFilter{})
		e.ok(err)
		found := false
		for _, c := range cal {
			if c.EvaluatorID == r1.EvaluatorID {
				found = true
				if c.Findings != 2 || c.Objected != 1 || c.Overturned != 1 || c.OverturnedShare() != 0.5 {
					t.Errorf("calibration of %s: %+v", ev1, c)
				}
			}
		}
		if !found || len(cal) != 3 {
			t.Errorf("calibration rows %+v", cal)
		}
		_, err = e.svc.GradeDistribution(e.ctx, e.req("a_prosecutor"), evaluation.StatsFilter{}, evaluation.ByUnit)
		e.forbidden(err)
		if rows, _ := e.svc.GradeDistribution(e.ctx, e.req("b_case_manager"), evaluation.StatsFilter{}, evaluation.ByUnit); len(rows) != 0 {
			t.Errorf("another unit sees unit A's grades: %+v", rows)
		}
		qr, err := e.svc.QualityRecord(e.ctx, e.req("a_prosecutor"), e.id("a_prosecutor"))
		e.ok(err)
		if len(qr.Records) != 1 || qr.Grades["2026"]["basic"] != 1 || qr.Points != -5 {
			t.Errorf("quality record: %d records, %v, %d points", len(qr.Records), qr.Grades, qr.Points)
		}
		if _, err := e.svc.QualityRecord(e.ctx, e.req("a_prosecutor2"), e.id("a_prosecutor")); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a colleague reads another prosecutor's quality record: %v", err)
		}
		if _, err := e.svc.QualityRecord(e.ctx, e.req("b_case_manager"), e.id("a_prosecutor")); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another unit reads the quality record: %v", err)
		}
		if qr, err := e.svc.QualityRecord(e.ctx, e.req("a_dept_head"), e.id("a_prosecutor")); err != nil || len(qr.Records) != 1 {
			t.Errorf("the department head's view: %v", err)
		}
		// An evaluator sees the records given to them, not the others of
		// the activity.
		other := e.recordOf(act, c2)
		if other.EvaluatorID != r1.EvaluatorID {
			if _, err := e.svc.GetRecord(e.ctx, e.req(ev1), other.ID); !errors.Is(err, apperr.ErrNotFound) &&
				e.username(other.HandlerID) != ev1 {
				t.Errorf("an evaluator read another evaluator's record: %v", err)
			}
		}
		q, err := e.svc.CaseQuality(e.ctx, e.req("a_dept_head"), c2)
		e.ok(err)
		if len(q.Records) != 1 || q.Records[0].FinalGrade != "unqualified" {
			t.Errorf("case quality: %+v", q)
		}
		e.verifyAudit()
	})
}

func docxText(t *testing.T, d docx.Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := docx.Write(&b, d); err != nil {
		t.Fatal(err)
	}
	s, err := docx.Text(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every step is allowed only to its capacity: the others are refused
// (forbidden, or not found when the record is out of their view) and
// nothing is written.
func TestEvaluationRoles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		c := e.closedCase(1, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		_, err := e.svc.CreateActivity(e.ctx, e.req("a_prosecutor"), evaluation.ActivityInput{})
		e.forbidden(err)
		act := e.routine("角色测试", []string{"a_prosecutor2", "a_dept_head"}, []string{"a_dept_head"}, "a_chief")
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_chief"), act, 100, 1)
		e.forbidden(err)
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), act, 100, 1)
		e.ok(err)
		r := e.recordOf(act, c)
		no := func(err error) {
			t.Helper()
			if !errors.Is(err, apperr.ErrForbidden) && !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("want refused, got %v", err)
			}
		}
		before := e.rows()
		for _, u := range []string{"a_chief", "a_prosecutor", "a_dept_head", "b_case_manager"} {
			no(e.svc.Assign(e.ctx, e.req(u), r.ID, e.id("a_dept_head")))
			_, err := e.svc.AutoAssign(e.ctx, e.req(u), act)
			no(err)
		}
		e.unchanged(before)
		// The evaluator is also on the committee: they may score, never
		// decide the objection to their own findings.
		e.ok(e.svc.Assign(e.ctx, e.req("a_case_manager"), r.ID, e.id("a_dept_head")))
		no(e.svc.StartActivity(e.ctx, e.req("a_chief"), act))
		e.ok(e.svc.StartActivity(e.ctx, e.req("a_case_manager"), act))
		findings := []evaluation.FindingInput{{ItemCode: "PS-RN-03", Option: "flaw", Note: "未回应辩护意见"}}
		before = e.rows()
		for _, u := range []string{"a_prosecutor", "a_prosecutor2", "a_case_manager", "a_chief"} {
			no(e.svc.Score(e.ctx, e.req(u), r.ID, findings))
			no(e.svc.Propose(e.ctx, e.req(u), r.ID, "basic", "x"))
		}
		e.unchanged(before)
		e.ok(e.svc.Score(e.ctx, e.req("a_dept_head"), r.ID, findings))
		e.ok(e.svc.Propose(e.ctx, e.req("a_dept_head"), r.ID, "basic", "一处瑕疵"))
		before = e.rows()
		obj := evaluation.ObjectionInput{Reason: "有异议", Items: []evaluation.ItemObjection{{ItemCode: "PS-RN-03", Reason: "已回应"}}}
		for _, u := range []string{"a_dept_head", "a_case_manager", "a_chief", "a_prosecutor2"} {
			no(e.svc.Agree(e.ctx, e.req(u), r.ID, ""))
			no(e.svc.Object(e.ctx, e.req(u), r.ID, obj))
		}
		e.unchanged(before)
		e.ok(e.svc.Object(e.ctx, e.req("a_prosecutor"), r.ID, obj))
		dec := evaluation.DecisionInput{Items: []evaluation.ItemDecision{{ItemCode: "PS-RN-03", Reason: "未见回应"}},
			Grade: "basic", Reason: "维持"}
		before = e.rows()
		for _, u := range []string{"a_dept_head", "a_prosecutor", "a_case_manager", "a_prosecutor2"} {
			no(e.svc.Decide(e.ctx, e.req(u), r.ID, dec))
		}
		e.unchanged(before)
		e.ok(e.svc.Decide(e.ctx, e.req("a_chief"), r.ID, dec))
		before = e.rows()
		for _, u := range []string{"a_prosecutor", "a_dept_head", "a_prosecutor2"} {
			no(e.svc.AddFollowUp(e.ctx, e.req(u), r.ID, evaluation.FollowFeedback, "讲评"))
			no(e.svc.CloseRecord(e.ctx, e.req(u), r.ID, ""))
		}
		if _, err := e.svc.LapseOverdue(e.ctx); err != nil {
			t.Fatal(err)
		}
		e.unchanged(before)
		e.ok(e.svc.AddFollowUp(e.ctx, e.req("a_chief"), r.ID, evaluation.FollowFeedback, "讲评"))
		e.ok(e.svc.CloseRecord(e.ctx, e.req("a_case_manager"), r.ID, ""))
		no(e.svc.CloseActivity(e.ctx, e.req("a_prosecutor2"), act))
		e.ok(e.svc.CloseActivity(e.ctx, e.req("a_case_manager"), act))
		// ActionsFor offers nothing once closed.
		d, err := e.svc.GetRecord(e.ctx, e.req("a_case_manager"), r.ID)
		e.ok(err)
		if len(d.Actions) != 0 {
			t.Errorf("actions on a closed record: %v", d.Actions)
		}
		e.verifyAudit()
	})
}
