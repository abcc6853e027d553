package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// Every recusal rule refuses an assignment with its reason, and nothing is
// written; automatic assignment skips the recused and says why.
func TestEvaluationRecusal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		c := e.closedCase(1, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		cb := e.closedCase(2, "b_case_manager", "b_prosecutor", "prosecute", 0, func(in *casefile.Intake) {
			in.TransferringOrgan = "乙县公安局"
		})
		// The self-check, verified by the department head.
		checkID, err := e.svc.OpenSelfCheck(e.ctx, c)
		e.ok(err)
		e.ok(e.svc.SubmitSelfCheck(e.ctx, e.req("a_prosecutor"), checkID, evaluation.SelfCheckInput{Summary: "无问题"}))
		e.ok(e.svc.VerifySelfCheck(e.ctx, e.req("a_dept_head"), checkID, evaluation.VerifyInput{}))
		// A former handler (the case service has no reassignment yet: the
		// assignment row is what one would leave).
		e.exec(`INSERT INTO assignments (case_id, handler_id, kind, round, explanation, reason, designated_by, actor_id,
			created_at) VALUES ($1, $2, 'designated', 0, '', '', '', $3, 0)`, c, e.id("a_prosecutor2"), e.id("a_case_manager"))
		// a_case_manager registered the case: the "received" event is theirs.
		act := e.routine("回避测试", []string{"a_prosecutor", "a_prosecutor2", "a_dept_head", "a_case_manager", "a_chief"},
			nil, "a_chief")
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), act, 100, 1)
		e.ok(err)
		r := e.recordOf(act, c)
		for _, tt := range []struct{ user, key string }{
			{"a_prosecutor", "err.evaluation_recused_handler"},
			{"a_prosecutor2", "err.evaluation_recused_team"},
			{"a_dept_head", "err.evaluation_recused_verifier"},
			{"a_case_manager", "err.evaluation_recused_participant"},
			{"a_prosecutor3", "err.evaluation_not_evaluator"},
		} {
			before := e.rows()
			e.refused(e.svc.Assign(e.ctx, e.req("a_case_manager"), r.ID, e.id(tt.user)), "evaluator_id", tt.key, before)
		}
		// Automatic assignment leaves only the chief, and explains it.
		n, err := e.svc.AutoAssign(e.ctx, e.req("a_case_manager"), act)
		if err != nil || n != 1 {
			t.Fatalf("auto-assign: %d, %v", n, err)
		}
		r = e.recordOf(act, c)
		if r.EvaluatorID != e.id("a_chief") {
			t.Errorf("assigned %d, want the chief", r.EvaluatorID)
		}
		for _, want := range []string{"测prosecutor（承办人", "（曾承办本案）", "（本案核查人）", "（在本案登记过程序事件）", "分给测chief"} {
			if !strings.Contains(r.AssignExplanation, want) {
				t.Errorf("explanation %q lacks %q", r.AssignExplanation, want)
			}
		}
		// When every evaluator is recused nothing is assigned at all.
		act2 := e.routine("全部回避", []string{"a_prosecutor", "a_dept_head"}, nil, "a_chief")
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), act2, 100, 1)
		e.ok(err)
		before := e.rows()
		_, err = e.svc.AutoAssign(e.ctx, e.req("a_case_manager"), act2)
		e.refused(err, "records[0]", "err.evaluation_no_evaluator", before)

		// Cross evaluation, organised by the upper unit: an evaluator of the
		// case's own unit is recused.
		cross, err := e.svc.CreateActivity(e.ctx, e.req("up_case_manager"), evaluation.ActivityInput{Name: "交叉评查",
			Kind: evaluation.KindCross, UnitIDs: []int64{e.f.UnitA.ID, e.f.UnitB.ID},
			Categories: []string{"prosecution_review"}, ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16",
			ScaleCode: "2026", LeaderID: e.id("up_chief"), EvaluatorIDs: []int64{e.id("a_prosecutor3"), e.id("b_prosecutor2")},
			Deadline: "2026-04-30"})
		e.ok(err)
		_, err = e.svc.DrawRandom(e.ctx, e.req("up_case_manager"), cross, 100, 1)
		e.ok(err)
		ra := e.recordOfAs("up_case_manager", cross, c)
		before = e.rows()
		e.refused(e.svc.Assign(e.ctx, e.req("up_case_manager"), ra.ID, e.id("a_prosecutor3")), "evaluator_id",
			"err.evaluation_recused_same_unit", before)
		e.ok(e.svc.Assign(e.ctx, e.req("up_case_manager"), ra.ID, e.id("b_prosecutor2")))
		n, err = e.svc.AutoAssign(e.ctx, e.req("up_case_manager"), cross)
		if err != nil || n != 1 {
			t.Fatalf("cross auto-assign: %d, %v", n, err)
		}
		if got := e.recordOfAs("up_case_manager", cross, cb); got.EvaluatorID != e.id("a_prosecutor3") {
			t.Errorf("unit B's case went to %d", got.EvaluatorID)
		}
		// Upper-level evaluation looks at the units below, not at itself.
		before = e.rows()
		_, err = e.svc.CreateActivity(e.ctx, e.req("up_case_manager"), evaluation.ActivityInput{Name: "上级院评查",
			Kind: evaluation.KindUpper, UnitIDs: []int64{e.f.Upper.ID}, Categories: []string{"prosecution_review"},
			ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: e.id("up_chief"),
			EvaluatorIDs: []int64{e.id("up_prosecutor")}, Deadline: "2026-04-30"})
		e.refused(err, "unit_ids[0]", "err.evaluation_unit_not_subordinate", before)
		// Aid partners evaluate only when the activity allows it.
		plan := evaluation.ActivityInput{Name: "援助评查", Kind: evaluation.KindRoutine, UnitIDs: []int64{e.f.UnitA.ID},
			Categories: []string{"prosecution_review"}, ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16",
			ScaleCode: "2026", LeaderID: e.id("a_chief"), EvaluatorIDs: []int64{e.id("b_aid_partner")},
			Deadline: "2026-04-30"}
		_, err = e.svc.CreateActivity(e.ctx, e.req("a_case_manager"), plan)
		e.refused(err, "evaluator_ids[0]", "err.evaluation_aid_not_allowed", before)
		plan.AllowAid = true
		aid, err := e.svc.CreateActivity(e.ctx, e.req("a_case_manager"), plan)
		e.ok(err)
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), aid, 100, 1)
		e.ok(err)
		e.ok(e.svc.Assign(e.ctx, e.req("a_case_manager"), e.recordOf(aid, c).ID, e.id("b_aid_partner")))
		// And the aid partner reads the record assigned to them.
		if _, err := e.svc.GetRecord(e.ctx, e.req("b_aid_partner"), e.recordOf(aid, c).ID); err != nil {
			t.Errorf("aid evaluator cannot read the record: %v", err)
		}
		e.verifyAudit()
	})
}

// recordOfAs finds an activity's record of a case as username sees the
// list (zero if not there).
func (e *evalEnv) recordOfAs(username string, activityID, caseID int64) evaluation.Record {
	e.t.Helper()
	recs, _, err := e.svc.ListRecords(e.ctx, e.req(username), evaluation.RecordFilter{ActivityID: activityID})
	e.ok(err)
	for _, r := range recs {
		if r.Case.ID == caseID {
			return r
		}
	}
	return evaluation.Record{}
}

// Random draws are reproducible from the seed and recorded; rule draws
// find each focused-evaluation case; cases by hand need a reason and the
// scope; sealed records are never drawn.
func TestEvaluationSelection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		var plain []int64
		handlers := []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3"}
		for i := 0; i < 8; i++ {
			plain = append(plain, e.closedCase(10+i, "a_case_manager", handlers[i%3], "prosecute", 0, nil))
		}
		np := e.closedCase(30, "a_case_manager", "a_prosecutor", "np_insufficient", 0, nil)
		twice := e.closedCase(31, "a_case_manager", "a_prosecutor2", "prosecute", 2, nil)
		red := e.closedCase(32, "a_case_manager", "a_prosecutor3", "prosecute", 0, nil)
		notice := e.closedCase(33, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		withdrawn := e.closedCase(34, "a_case_manager", "a_prosecutor2", "prosecute", 0, nil)
		acquitted := e.closedCase(35, "a_case_manager", "a_prosecutor3", "prosecute", 0, nil)
		sealed := e.closedCase(36, "a_case_manager", "a_prosecutor", "prosecute", 0, func(in *casefile.Intake) {
			in.Minor, in.Sealed = true, true
		})
		old := e.closedCase(37, "a_case_manager", "a_prosecutor", "prosecute", 0, nil)
		e.exec(`UPDATE cases SET closed_on = '2025-12-01' WHERE id = $1`, old)
		arrest := e.closedCase(38, "a_case_manager", "a_prosecutor", "approve_arrest", 0, func(in *casefile.Intake) {
			in.Category = "arrest_review"
		})
		e.exec(`UPDATE case_clocks SET state = 'missed', late_days = 2 WHERE case_id = $1 AND kind = 'prosecution_review'`, red)
		e.exec(`INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)
			VALUES ($1, 'withdrawn', '2026-03-11', '', '', $2, 0)`, withdrawn, e.id("a_prosecutor2"))
		e.exec(`INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)
			VALUES ($1, 'judgment', '2026-03-12', 'acquittal', '', $2, 0)`, acquitted, e.id("a_prosecutor3"))
		mon := monitor.NewService(db, e.f.App.Now, deadline.DefaultEngine)
		fid, err := mon.Create(e.ctx, monitor.Request(e.f.Request(t, "a_case_manager")), monitor.ManualFinding{CaseID: notice,
			Area: monitor.AreaDocuments, Severity: monitor.FairlySerious, Description: "起诉书未送达"})
		e.ok(err)
		_, err = mon.IssueNotice(e.ctx, monitor.Request(e.f.Request(t, "a_case_manager")), fid, "")
		e.ok(err)
		population := append(slices.Clone(plain), np, twice, red, notice, withdrawn, acquitted)
		slices.Sort(population)

		// Two activities, same scope, same seed: the same cases.
		a1 := e.routine("抽查一", []string{"a_dept_head"}, nil, "a_chief")
		a2 := e.routine("抽查二", []string{"a_dept_head"}, nil, "a_chief")
		d1, err := e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), a1, 25, 20260316)
		e.ok(err)
		d2, err := e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), a2, 25, 20260316)
		e.ok(err)
		want := evaluation.Sample(population, 20260316, 25)
		if d1.Population != len(population) || d1.Drawn != len(want) || d1.Digest != evaluation.Digest(population) ||
			d1.Seed != d2.Seed || d1.Digest != d2.Digest || d1.Drawn != d2.Drawn || d1.DrawnOn != "2026-03-16" {
			t.Fatalf("draws %+v / %+v (population %d)", d1, d2, len(population))
		}
		cases := func(act int64) []int64 {
			recs, _, err := e.svc.ListRecords(e.ctx, e.req("a_case_manager"), evaluation.RecordFilter{ActivityID: act})
			e.ok(err)
			var out []int64
			for _, r := range recs {
				out = append(out, r.Case.ID)
			}
			slices.Sort(out)
			return out
		}
		if got := cases(a1); !slices.Equal(got, want) || !slices.Equal(cases(a2), want) {
			t.Errorf("drawn %v and %v, want %v", got, cases(a2), want)
		}
		stored, err := e.svc.Activity(e.ctx, e.req("a_case_manager"), a1)
		e.ok(err)
		if stored.Draw.Seed != 20260316 || stored.Draw.Rate != 25 || stored.Draw.Population != len(population) {
			t.Errorf("recorded draw %+v", stored.Draw)
		}
		before := e.rows()
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), a1, 25, 1)
		e.refused(err, "rate", "err.evaluation_already_drawn", before)
		a3 := e.routine("抽查三", []string{"a_dept_head"}, nil, "a_chief")
		before = e.rows()
		_, err = e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), a3, 0, 1)
		e.refused(err, "rate", "err.evaluation_rate", before)
		d3, err := e.svc.DrawRandom(e.ctx, e.req("a_case_manager"), a3, 10, 0)
		e.ok(err)
		if d3.Seed <= 0 || d3.Drawn != 2 {
			t.Errorf("generated seed draw %+v", d3)
		}

		// Focused evaluation by rule.
		f, err := e.svc.CreateActivity(e.ctx, e.req("a_case_manager"), evaluation.ActivityInput{Name: "重点评查",
			Kind: evaluation.KindFocused, UnitIDs: []int64{e.f.UnitA.ID}, Categories: []string{"prosecution_review"},
			ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: e.id("a_chief"),
			EvaluatorIDs: []int64{e.id("a_dept_head")}, Deadline: "2026-04-30"})
		e.ok(err)
		before = e.rows()
		_, err = e.svc.DrawByRules(e.ctx, e.req("a_case_manager"), f, []string{"np_insufficient", "lottery"})
		e.refused(err, "rules[1]", "err.unknown_value", before)
		fd, err := e.svc.DrawByRules(e.ctx, e.req("a_case_manager"), f, evaluation.SelectionRules())
		e.ok(err)
		if fd.Matched != 6 {
			t.Errorf("rules matched %d, want 6", fd.Matched)
		}
		wantRule := map[int64]string{np: "np_insufficient", twice: "returned_twice", red: "red_deadline",
			notice: "unanswered_notice", withdrawn: "withdrawn", acquitted: "acquittal"}
		for id, rule := range wantRule {
			r := e.recordOf(f, id)
			if r.Selection != evaluation.SelectRule || !strings.Contains(r.SelectionReason, rule) {
				t.Errorf("case %d: %s %q, want rule %s", id, r.Selection, r.SelectionReason, rule)
			}
		}
		if got := cases(f); len(got) != 6 {
			t.Errorf("focused activity has %d cases", len(got))
		}

		// By hand: any closing period, a reason, within the units and
		// categories, never sealed, never twice.
		before = e.rows()
		_, err = e.svc.AddCase(e.ctx, e.req("a_case_manager"), f, old, "")
		e.refused(err, "reason", "err.required", before)
		for _, id := range []int64{sealed, arrest} {
			_, err = e.svc.AddCase(e.ctx, e.req("a_case_manager"), f, id, "群众反映")
			e.refused(err, "case_id", "err.evaluation_case_out_of_scope", before)
		}
		_, err = e.svc.AddCase(e.ctx, e.req("a_case_manager"), f, np, "重复")
		e.refused(err, "case_id", "err.evaluation_case_selected", before)
		rid, err := e.svc.AddCase(e.ctx, e.req("a_case_manager"), f, old, "当事人反复信访，院领导交办")
		e.ok(err)
		if r := e.recordOf(f, old); r.ID != rid || r.Selection != evaluation.SelectManual ||
			r.SelectionReason != "当事人反复信访，院领导交办" {
			t.Errorf("manual record %+v", r)
		}
		if slices.Contains(cases(a1), sealed) || slices.Contains(population, sealed) {
			t.Error("a sealed record was drawn")
		}
		e.verifyAudit()
	})
}

// The demo hook finishes one activity per unit with realistic findings.
func TestEvaluationDemo(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEvalEnv(t, db)
		handlers := []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3"}
		for i := 0; i < 12; i++ {
			decision := "prosecute"
			if i%5 == 4 {
				decision = "np_insufficient"
			}
			e.closedCase(40+i, "a_case_manager", handlers[i%3], decision, 0, nil)
		}
		var people []access.Principal
		for _, u := range e.f.Users {
			people = append(people, u.Principal())
		}
		res, err := evaluation.Demo(e.ctx, e.svc, people, evaluation.DemoOptions{Units: []int64{e.f.UnitA.ID, e.f.UnitB.ID},
			Seed: 3, Sample: 6})
		e.ok(err)
		if res.Activities != 1 || res.Records < 6 || res.SelfChecks != 12 || res.Submitted == 0 || res.Verified == 0 ||
			len(res.Skipped) != 1 {
			t.Fatalf("demo: %+v", res)
		}
		acts, _, err := e.svc.ListActivities(e.ctx, e.req("a_case_manager"), evaluation.ActivityFilter{})
		e.ok(err)
		if len(acts) != 1 || acts[0].Status != evaluation.ActivityClosed || acts[0].Records[evaluation.StatusClosed] != res.Records {
			t.Fatalf("demo activity: %+v", acts)
		}
		rows, err := e.svc.GradeDistribution(e.ctx, e.req("a_chief"), evaluation.StatsFilter{}, evaluation.ByHandler)
		e.ok(err)
		total := 0
		for _, r := range rows {
			total += r.Total
		}
		if total != res.Records {
			t.Errorf("graded %d, want %d", total, res.Records)
		}
		if n := e.count(`SELECT count(*) FROM evaluation_followups`); n < res.Records {
			t.Errorf("%d follow-ups for %d records", n, res.Records)
		}
		e.verifyAudit()
	})
}
