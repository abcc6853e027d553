package api_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/evaluation"
)

// Set-up of case-quality state through the domain service, as the case
// helpers do: the API is what is under test.

func (e *env) evalReq(t *testing.T, username string) evaluation.Request {
	return evaluation.Request(e.f.Request(t, username))
}

// installTemplates stores the shipped templates (once; a second call
// stores nothing).
func (e *env) installTemplates(t *testing.T) {
	t.Helper()
	if _, err := e.f.App.Evaluation.InstallDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// closedCase registers prosecution-review intake i in the unit of prefix
// ("a" 甲县院, "b" 乙县院) by its case manager, designates handler, and
// records the rights notice, the decision and the closing on 12 March
// 2026 (the hook opens the self-check).
func (e *env) closedCase(t *testing.T, i int, prefix, handler string) int64 {
	t.Helper()
	ctx := context.Background()
	e.installTemplates(t)
	cm := e.f.Request(t, prefix+"_case_manager")
	id, err := e.f.App.Cases.Register(ctx, cm, apptest.Intake(i))
	if err != nil {
		t.Fatalf("intake %d: %v", i, err)
	}
	if _, err := e.f.App.Assigner.Designate(ctx, cm, id, e.f.User(t, handler).ID, "测检察长", "测试指定"); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []casefile.Event{{Code: casefile.EventRightsNotified, OccurredOn: "2026-03-03"},
		{Code: casefile.EventDecided, OccurredOn: "2026-03-10", Outcome: "prosecute"},
		{Code: casefile.EventClosed, OccurredOn: "2026-03-12"}} {
		if _, err := e.f.App.Cases.AddEvent(ctx, e.f.Request(t, handler), id, ev); err != nil {
			t.Fatalf("case %d event %s: %v", i, ev.Code, err)
		}
	}
	return id
}

// selfCheck is the self-check of a new closed case of 甲县院 handled by
// handler, filed (with one flaw) when submitted is set.
func (e *env) selfCheck(t *testing.T, i int, handler string, submitted bool) int64 {
	t.Helper()
	ctx := context.Background()
	caseID := e.closedCase(t, i, "a", handler)
	q, err := e.f.App.Evaluation.CaseQuality(ctx, e.evalReq(t, "a_case_manager"), caseID)
	if err != nil || q.SelfCheck == nil {
		t.Fatalf("self-check of case %d: %v", caseID, err)
	}
	if submitted {
		if err := e.f.App.Evaluation.SubmitSelfCheck(ctx, e.evalReq(t, handler), q.SelfCheck.ID, evaluation.SelfCheckInput{
			Findings: []evaluation.FindingInput{{ItemCode: "PS-PC-02", Option: "flaw", Note: "权利告知超期"}},
			Summary:  "依法起诉，权利告知超期一日"}); err != nil {
			t.Fatal(err)
		}
	}
	return q.SelfCheck.ID
}

// recSpec describes an evaluation record to build: who organises the
// activity ("a_case_manager": a routine evaluation of 甲县院;
// "up_case_manager": an upper-level evaluation of the case's unit), the
// case's unit and handler, the evaluator (and any other evaluators), the
// leader and committee, and the step the record stands at.
type recSpec struct {
	organiser string
	caseUnit  string // "a" or "b"
	handler   string
	evaluator string
	others    []string
	leader    string
	committee []string
	status    evaluation.Status // scoring, proposed, objected, final or closed
}

// record builds spec's record with a one-case activity (the case added by
// hand) and returns the record's and the activity's ids. A proposed
// record has one flaw (PS-EV-01) graded 基本合格; an objected one is
// contested on it; a final one has no problem, graded 合格 and agreed.
func (e *env) record(t *testing.T, i int, s recSpec) (recordID, activityID int64) {
	t.Helper()
	ctx := context.Background()
	if s.organiser == "" {
		s.organiser = "a_case_manager"
	}
	if s.caseUnit == "" {
		s.caseUnit = "a"
	}
	if s.leader == "" {
		s.leader = "a_chief"
	}
	caseID := e.closedCase(t, i, s.caseUnit, s.handler)
	ids := func(names []string) []int64 {
		out := make([]int64, len(names))
		for i, n := range names {
			out[i] = e.f.User(t, n).ID
		}
		return out
	}
	unit, kind := e.f.UnitA.ID, evaluation.KindRoutine
	if s.organiser == "up_case_manager" {
		kind = evaluation.KindUpper
		if s.caseUnit == "b" {
			unit = e.f.UnitB.ID
		}
	}
	org := e.evalReq(t, s.organiser)
	svc := e.f.App.Evaluation
	act, err := svc.CreateActivity(ctx, org, evaluation.ActivityInput{Name: "测试评查活动", Kind: kind, UnitIDs: []int64{unit},
		Categories: []string{"prosecution_review"}, ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026",
		LeaderID: e.f.User(t, s.leader).ID, EvaluatorIDs: ids(append([]string{s.evaluator}, s.others...)),
		CommitteeIDs: ids(s.committee), Deadline: "2026-04-30", AllowAid: true})
	if err != nil {
		t.Fatalf("activity: %v", err)
	}
	rec, err := svc.AddCase(ctx, org, act, caseID, "测试指定")
	if err != nil {
		t.Fatalf("add case: %v", err)
	}
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ok(svc.Assign(ctx, org, rec, e.f.User(t, s.evaluator).ID))
	ok(svc.StartActivity(ctx, org, act))
	ev, handler := e.evalReq(t, s.evaluator), e.evalReq(t, s.handler)
	switch s.status {
	case evaluation.StatusProposed, evaluation.StatusObjected:
		ok(svc.Score(ctx, ev, rec, []evaluation.FindingInput{{ItemCode: "PS-EV-01", Option: "flaw", Note: "证据分析不充分"}}))
		ok(svc.Propose(ctx, ev, rec, "basic", "证据审查存在瑕疵"))
		if s.status == evaluation.StatusObjected {
			ok(svc.Object(ctx, handler, rec, evaluation.ObjectionInput{Reason: "证据分析已在审查报告中载明",
				Items: []evaluation.ItemObjection{{ItemCode: "PS-EV-01", Reason: "见审查报告第三部分"}}}))
		}
	case evaluation.StatusFinal, evaluation.StatusClosed:
		ok(svc.Score(ctx, ev, rec, nil))
		ok(svc.Propose(ctx, ev, rec, "qualified", "未发现问题"))
		ok(svc.Agree(ctx, handler, rec, "认可"))
		if s.status == evaluation.StatusClosed {
			ok(svc.CloseRecord(ctx, org, rec, "办结"))
		}
	}
	return rec, act
}

// planning is a routine activity of 甲县院 in planning with the case of
// intake i (closed, handled by a_prosecutor) drawn by hand, assigned to
// a_prosecutor2 when assigned is set.
func (e *env) planning(t *testing.T, i int, assigned bool) (activityID, recordID int64) {
	t.Helper()
	ctx := context.Background()
	caseID := e.closedCase(t, i, "a", "a_prosecutor")
	cm := e.evalReq(t, "a_case_manager")
	svc := e.f.App.Evaluation
	act, err := svc.CreateActivity(ctx, cm, evaluation.ActivityInput{Name: "测试评查活动", Kind: evaluation.KindRoutine,
		UnitIDs: []int64{e.f.UnitA.ID}, Categories: []string{"prosecution_review"}, ClosedFrom: "2026-03-01",
		ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: e.f.User(t, "a_chief").ID,
		EvaluatorIDs: []int64{e.f.User(t, "a_prosecutor2").ID, e.f.User(t, "a_prosecutor3").ID}, Deadline: "2026-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.AddCase(ctx, cm, act, caseID, "测试指定")
	if err != nil {
		t.Fatal(err)
	}
	if assigned {
		if err := svc.Assign(ctx, cm, rec, e.f.User(t, "a_prosecutor2").ID); err != nil {
			t.Fatal(err)
		}
	}
	return act, rec
}

func qualityPath(kind string, id int64, rest string) string {
	return "/api/v1/quality/" + kind + "/" + itoa(id) + rest
}

// evalTables are the tables a refused case-quality request must leave
// alone, besides the case tables of counts(); versions are summed so an
// update that should not have happened shows.
var evalTables = []string{"evaluation_templates", "evaluation_checks", "evaluation_check_items", "evaluation_activities",
	"evaluation_members", "evaluation_records", "evaluation_record_items", "evaluation_followups", "evaluation_actions"}

func (e *env) evalCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range evalTables {
		var n int
		if err := e.raw.QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	for _, tbl := range []string{"evaluation_checks", "evaluation_activities", "evaluation_records"} {
		var n int
		if err := e.raw.QueryRow(`SELECT COALESCE(SUM(version), 0) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl+".version"] = n
	}
	return out
}
