package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/evaluation"
)

// evalFixture is the case-quality state the page tests visit, on top of
// newEnv's cases: closed cases of 甲县院 with their self-checks at each
// stage, and one running routine activity whose records stand at each
// step of the procedure.
type evalFixture struct {
	template int64 // the prosecution-review template (version 1)
	// Self-checks: a_prosecutor's owed, a_prosecutor2's filed (to verify),
	// a_assistant's owed.
	checkPending, checkSubmitted, checkAssistant int64
	activity                                     int64
	// Records: proposed to a_prosecutor (evaluated by a_prosecutor2);
	// scored by a_prosecutor (a_prosecutor2's case); scored by the aid
	// partner (a_assistant's case); objected by a_prosecutor3 (evaluated by
	// a_prosecutor); final and agreed (a_prosecutor3's second case).
	recProposed, recScoring, recAid, recObjected, recFinal int64
	caseNames                                              map[int64]string
	cases                                                  map[string]int64 // p1, p2, as, p3, p3b
}

// closeCase registers prosecution-review intake i in 甲县院, designates
// handler, and records the rights notice, the decision and the closing in
// March 2026 (the hook opens the self-check).
func closeCase(t *testing.T, f *apptest.Fixture, i int, handler, decision string) int64 {
	t.Helper()
	ctx := context.Background()
	cm := f.Request(t, "a_case_manager")
	in := apptest.Intake(i)
	id, err := f.App.Cases.Register(ctx, cm, in)
	if err != nil {
		t.Fatalf("intake %d: %v", i, err)
	}
	if _, err := f.App.Assigner.Designate(ctx, cm, id, f.User(t, handler).ID, "测检察长", "测试指定"); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []casefile.Event{{Code: casefile.EventRightsNotified, OccurredOn: "2026-03-03"},
		{Code: casefile.EventDecided, OccurredOn: "2026-03-10", Outcome: decision},
		{Code: casefile.EventClosed, OccurredOn: "2026-03-12"}} {
		if _, err := f.App.Cases.AddEvent(ctx, f.Request(t, handler), id, ev); err != nil {
			t.Fatalf("case %d event %s: %v", i, ev.Code, err)
		}
	}
	return id
}

func evalReq(t *testing.T, f *apptest.Fixture, username string) evaluation.Request {
	return evaluation.Request(f.Request(t, username))
}

func seedEvaluation(t *testing.T, e *env) *evalFixture {
	t.Helper()
	ctx := context.Background()
	f := e.f
	svc := f.App.Evaluation
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.InstallDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	cases := map[string]int64{}
	ef := &evalFixture{caseNames: map[int64]string{}, cases: cases}
	for i, c := range []struct{ key, handler, decision string }{
		{"p1", "a_prosecutor", "prosecute"}, {"p2", "a_prosecutor2", "np_insufficient"},
		{"as", "a_assistant", "prosecute"}, {"p3", "a_prosecutor3", "prosecute"}, {"p3b", "a_prosecutor3", "prosecute"},
	} {
		cases[c.key] = closeCase(t, f, 40+i, c.handler, c.decision)
		ef.caseNames[cases[c.key]] = apptest.Intake(40 + i).Name
	}
	checkOf := func(caseID int64) evaluation.SelfCheck {
		t.Helper()
		q, err := svc.CaseQuality(ctx, evalReq(t, f, "a_case_manager"), caseID)
		ok(err)
		if q.SelfCheck == nil {
			t.Fatalf("case %d has no self-check", caseID)
		}
		return *q.SelfCheck
	}
	ef.checkPending, ef.checkAssistant = checkOf(cases["p1"]).ID, checkOf(cases["as"]).ID
	ef.checkSubmitted = checkOf(cases["p2"]).ID
	ef.template = checkOf(cases["p1"]).TemplateID
	ok(svc.SubmitSelfCheck(ctx, evalReq(t, f, "a_prosecutor2"), ef.checkSubmitted, evaluation.SelfCheckInput{
		Findings: []evaluation.FindingInput{{ItemCode: "PS-DC-02", Option: "flaw", Note: "不起诉决定书送达回证缺日期"}},
		Summary:  "案件依法作出存疑不起诉决定，文书送达存在瑕疵"}))

	ids := func(names ...string) []int64 {
		out := make([]int64, len(names))
		for i, n := range names {
			out[i] = f.User(t, n).ID
		}
		return out
	}
	cm := evalReq(t, f, "a_case_manager")
	act, err := svc.CreateActivity(ctx, cm, evaluation.ActivityInput{Name: "2026年3月审查起诉案件常规抽查",
		Kind: evaluation.KindRoutine, UnitIDs: []int64{f.UnitA.ID}, Categories: []string{"prosecution_review"},
		ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: f.User(t, "a_chief").ID,
		EvaluatorIDs: ids("a_prosecutor", "a_prosecutor2", "a_prosecutor3", "a_aid_partner"),
		CommitteeIDs: ids("a_dept_head"), Deadline: "2026-04-30", AllowAid: true})
	ok(err)
	ef.activity = act
	if _, err := svc.DrawRandom(ctx, cm, act, 100, 20260316); err != nil {
		t.Fatal(err)
	}
	recs, _, err := svc.ListRecords(ctx, cm, evaluation.RecordFilter{ActivityID: act, Limit: 50})
	ok(err)
	recOf := map[int64]int64{}
	for _, r := range recs {
		recOf[r.Case.ID] = r.ID
	}
	ef.recProposed, ef.recScoring, ef.recAid = recOf[cases["p1"]], recOf[cases["p2"]], recOf[cases["as"]]
	ef.recObjected, ef.recFinal = recOf[cases["p3"]], recOf[cases["p3b"]]
	for rec, evaluator := range map[int64]string{ef.recProposed: "a_prosecutor2", ef.recScoring: "a_prosecutor",
		ef.recAid: "a_aid_partner", ef.recObjected: "a_prosecutor", ef.recFinal: "a_prosecutor2"} {
		ok(svc.Assign(ctx, cm, rec, f.User(t, evaluator).ID))
	}
	ok(svc.StartActivity(ctx, cm, act))
	as := func(u string) evaluation.Request { return evalReq(t, f, u) }
	ok(svc.Score(ctx, as("a_prosecutor2"), ef.recProposed, []evaluation.FindingInput{
		{ItemCode: "PS-PC-02", Option: "flaw", Note: "受理后第五日才告知犯罪嫌疑人有权委托辩护人"}}))
	ok(svc.Propose(ctx, as("a_prosecutor2"), ef.recProposed, "basic", "权利告知超过三日期限，属办案程序瑕疵"))
	ok(svc.Score(ctx, as("a_prosecutor"), ef.recObjected, []evaluation.FindingInput{
		{ItemCode: "PS-DC-06", Option: "flaw", Note: "案卡认罪认罚项错填"},
		{ItemCode: "PS-RN-03", Option: "flaw", Note: "审查报告未回应辩护人关于自首的意见"}}))
	ok(svc.Propose(ctx, as("a_prosecutor"), ef.recObjected, "basic", "存在两处瑕疵"))
	ok(svc.Object(ctx, as("a_prosecutor3"), ef.recObjected, evaluation.ObjectionInput{Reason: "案卡已于结案前更正",
		Items: []evaluation.ItemObjection{{ItemCode: "PS-DC-06", Reason: "已更正，卷内有记录"}}}))
	ok(svc.Score(ctx, as("a_prosecutor2"), ef.recFinal, nil))
	ok(svc.Propose(ctx, as("a_prosecutor2"), ef.recFinal, "qualified", "未发现问题"))
	ok(svc.Agree(ctx, as("a_prosecutor3"), ef.recFinal, "认可"))
	return ef
}

// recordFor is a record the user may open and, in some capacity, act on.
func (ef *evalFixture) recordFor(username string) int64 {
	switch username {
	case "a_aid_partner", "a_assistant":
		return ef.recAid
	}
	return ef.recProposed
}

// checkFor is a self-check the user may open.
func (ef *evalFixture) checkFor(username string) int64 {
	if username == "a_assistant" {
		return ef.checkAssistant
	}
	return ef.checkPending
}

// matrixObject is the object a case-quality route is called on in the
// route × role matrix, per user where it matters (a prosecutor sees only
// their own self-check and quality record, an aid partner or an assistant
// only the record they evaluate or handle), and the path with any query
// the route needs.
func (ef *evalFixture) matrixObject(t *testing.T, e *env, path, username string) (string, string) {
	switch {
	case strings.HasPrefix(path, "/quality/selfchecks/{id}"):
		return itoa(ef.checkFor(username)), path
	case strings.HasPrefix(path, "/quality/templates/{id}"):
		return itoa(ef.template), path
	case strings.HasPrefix(path, "/quality/activities/{id}"):
		return itoa(ef.activity), path
	case strings.HasPrefix(path, "/quality/records/{id}"):
		return itoa(ef.recordFor(username)), path
	case strings.HasPrefix(path, "/quality/people/{id}"):
		who := "a_prosecutor"
		if u, ok := e.f.Users[username]; ok && u.Principal().HasAny(access.Prosecutor, access.Assistant) {
			who = username
		}
		return itoa(e.f.User(t, who).ID), path
	case path == "/quality/stats/export.xlsx":
		return "", path + "?table=grades"
	}
	return "", path
}
