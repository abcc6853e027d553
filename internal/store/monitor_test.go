package store_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// monEnv is the fixture organisation with a monitoring service whose
// clock the test moves (the case service stays on apptest.Now).
type monEnv struct {
	t     *testing.T
	ctx   context.Context
	f     *apptest.Fixture
	db    *store.DB
	svc   *monitor.Service
	now   time.Time
	cases map[string]int64
}

func newMonEnv(t *testing.T, db *store.DB) *monEnv {
	e := &monEnv{t: t, ctx: context.Background(), f: apptest.New(t, db, nil), db: db, now: apptest.Now(),
		cases: map[string]int64{}}
	e.svc = monitor.NewService(db, func() time.Time { return e.now }, deadline.DefaultEngine)
	return e
}

func (e *monEnv) req(username string) monitor.Request {
	return monitor.Request(e.f.Request(e.t, username))
}

// setDay moves the monitoring clock to 10:00 in China on day.
func (e *monEnv) setDay(day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		e.t.Fatal(err)
	}
	e.now = d.Add(10 * time.Hour)
}

func (e *monEnv) exec(q string, args ...any) {
	e.t.Helper()
	if err := e.db.ExecForMonitorTest(e.ctx, q, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *monEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRowForTest(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *monEnv) intake(name string, in casefile.Intake) int64 {
	e.t.Helper()
	id, err := e.f.App.Cases.Register(e.ctx, e.f.Request(e.t, "a_case_manager"), in)
	if err != nil {
		e.t.Fatalf("intake %s: %v", name, err)
	}
	e.cases[name] = id
	return id
}

func (e *monEnv) rotate(id int64) {
	e.t.Helper()
	if _, err := e.f.App.Assigner.Rotate(e.ctx, e.f.Request(e.t, "a_case_manager"), id); err != nil {
		e.t.Fatal(err)
	}
}

func (e *monEnv) designate(id int64, handler string) {
	e.t.Helper()
	if _, err := e.f.App.Assigner.Designate(e.ctx, e.f.Request(e.t, "a_case_manager"), id, e.f.User(e.t, handler).ID,
		"", "测试指定"); err != nil {
		e.t.Fatal(err)
	}
}

// handlerOf is the username of the case's handler.
func (e *monEnv) handlerOf(id int64) string {
	e.t.Helper()
	c, err := e.db.Case(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	for name, u := range e.f.Users {
		if u.ID == c.HandlerID && c.HandlerID != 0 {
			return name
		}
	}
	e.t.Fatalf("case %d has no handler", id)
	return ""
}

func (e *monEnv) event(id int64, ev casefile.Event) {
	e.t.Helper()
	if _, err := e.f.App.Cases.AddEvent(e.ctx, e.f.Request(e.t, e.handlerOf(id)), id, ev); err != nil {
		e.t.Fatalf("event %s on %d: %v", ev.Code, id, err)
	}
}

func monCivilIntake(i int) casefile.Intake {
	in := apptest.Intake(i)
	in.Category, in.Name, in.TransferringOrgan, in.TransferDocNo = "civil_supervision", "测某民事监督案", "申请人", ""
	in.Plea, in.Charges = false, nil
	in.Parties[0].Role, in.Parties[0].Custody, in.Parties[0].Measure = "applicant", false, "none"
	in.Parties[1].Role = "respondent"
	return in
}

// monitorScenario registers the cases of the monitoring tests and runs
// one scan. The expected findings are in monScenarioFindings.
func monitorScenario(t *testing.T, db *store.DB) *monEnv {
	e := monitorCases(t, db)
	e.scan()
	return e
}

// scan runs the first scan and checks it made the expected findings.
func (e *monEnv) scan() {
	e.t.Helper()
	run, err := e.svc.Scan(e.ctx, "2026-03-16")
	if err != nil {
		e.t.Fatal(err)
	}
	if want := len(monScenarioFindings()); run.Created != want || run.Hits != want {
		e.t.Fatalf("scan: %+v, want %d findings: %v", run, want, e.findingPairs())
	}
}

// monitorCases registers the cases of the monitoring tests in unit A (all
// received 2026-03-02 unless said otherwise; today 2026-03-16).
func monitorCases(t *testing.T, db *store.DB) *monEnv {
	e := newMonEnv(t, db)
	// No rights notice recorded (due 5 March).
	e.rotate(e.intake("rights", apptest.Intake(1)))
	// Fast track (10 days, due 12 March), assigned only today, no rights
	// notice.
	fast := apptest.Intake(2)
	fast.FastTrack = true
	e.rotate(e.intake("fast", fast))
	// Rights notified in time; a third return attempted and refused; the
	// review ended two days late (a stored clock).
	returns := e.intake("returns", apptest.Intake(3))
	e.rotate(returns)
	e.event(returns, casefile.Event{Code: casefile.EventRightsNotified, OccurredOn: "2026-03-04"})
	if err := db.AppendAudit(e.ctx, audit.Record{Actor: audit.ActorOf(e.f.User(t, e.handlerOf(returns)).Principal(),
		"127.0.0.1", "test"), Action: "case.event_refused", ObjectType: "case", ObjectID: monID(returns),
		Result: audit.ResultDenied, Detail: "event=returned refusal=err.return_limit"}); err != nil {
		t.Fatal(err)
	}
	// The stored review clock as the case service left it, changed to
	// ended two days late (the columns the clock code owns stay as stored).
	e.exec(`UPDATE case_clocks SET state = 'missed', open = FALSE, watched = FALSE, due_on = '2026-03-10',
		ended_on = '2026-03-12', late_days = 2 WHERE case_id = $1 AND kind = 'prosecution_review' AND seq = 1`, returns)
	if e.count(`SELECT count(*) FROM case_clocks WHERE case_id = $1 AND state = 'missed'`, returns) != 1 {
		t.Fatal("no stored review clock to mark missed")
	}
	// Arrest approved on 16 January: custody ends 16 March, no extension
	// requested by the 7-day mark.
	arrest := apptest.Intake(4)
	arrest.Category, arrest.ReceivedOn = "arrest_review", "2026-01-10"
	id := e.intake("arrest", arrest)
	e.designate(id, "a_prosecutor2")
	e.event(id, casefile.Event{Code: casefile.EventDecided, OccurredOn: "2026-01-16", Outcome: "approve_arrest"})
	// A decision on file with no handler (written around the service).
	id = e.intake("nohandler", apptest.Intake(5))
	e.exec(`INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)
		VALUES ($1, 'decided', '2026-03-12', 'prosecute', '', $2, 0)`, id, e.f.User(t, "a_case_manager").ID)
	// Closed with an empty card.
	id = e.intake("emptycard", apptest.Intake(6))
	e.exec(`UPDATE cases SET status = 'closed', closed_on = '2026-03-13' WHERE id = $1`, id)
	// Out of the scan: a sealed juvenile record, and a case closed long ago.
	sealed := apptest.Intake(7)
	sealed.Minor, sealed.Sealed = true, true
	e.intake("sealed", sealed)
	id = e.intake("old", apptest.Intake(8))
	e.exec(`UPDATE cases SET status = 'closed', closed_on = '2025-10-01' WHERE id = $1`, id)
	// Civil supervision, nothing wrong.
	e.designate(e.intake("civil", monCivilIntake(9)), "a_prosecutor")
	return e
}

// monScenarioFindings are the findings the first scan makes, as case:rule.
func monScenarioFindings() []string {
	out := []string{
		"rights:rights_notice_late",
		"fast:fast_track_not_same_day", "fast:rights_notice_late", "fast:deadline_overdue",
		"returns:third_return_attempt", "returns:deadline_missed",
		"arrest:custody_extension_not_requested",
		"nohandler:decision_without_handler", "nohandler:rights_notice_late",
		"emptycard:card_fields_missing_at_closing", "emptycard:rights_notice_late",
	}
	sort.Strings(out)
	return out
}

func monID(n int64) string { return strconv.FormatInt(n, 10) }

// findingPairs lists every stored finding as case:rule.
func (e *monEnv) findingPairs() []string {
	names := map[int64]string{}
	for n, id := range e.cases {
		names[id] = n
	}
	out := []string{}
	for _, f := range e.all() {
		out = append(out, names[f.Case.ID]+":"+f.RuleID)
	}
	sort.Strings(out)
	return out
}

// all lists every finding of unit A as its case manager sees them.
func (e *monEnv) all() []monitor.Finding {
	e.t.Helper()
	out, _, err := e.svc.List(e.ctx, e.req("a_case_manager"), monitor.Filter{Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// finding returns the finding of rule on the named case.
func (e *monEnv) finding(caseName, rule string) monitor.Finding {
	e.t.Helper()
	for _, f := range e.all() {
		if f.Case.ID == e.cases[caseName] && f.RuleID == rule {
			return f
		}
	}
	e.t.Fatalf("no finding %s on %s", rule, caseName)
	return monitor.Finding{}
}

func (e *monEnv) get(id int64) monitor.Detail {
	e.t.Helper()
	d, err := e.svc.Get(e.ctx, e.req("a_case_manager"), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *monEnv) ok(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *monEnv) auditCount(action, objectID string) int {
	return e.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, action, objectID)
}

func (e *monEnv) verifyAudit() {
	e.t.Helper()
	if _, err := e.db.VerifyAudit(e.ctx); err != nil {
		e.t.Fatalf("audit chain: %v", err)
	}
}

func monKinds(d monitor.Detail) []monitor.ActionKind {
	var out []monitor.ActionKind
	for _, a := range d.Actions {
		out = append(out, a.Kind)
	}
	return out
}

// The scan finds each problem once: a rerun, on the same day or later,
// creates nothing new; sealed and long-closed cases are not scanned;
// every finding has its audit entry.
func TestMonitorScanCreatesFindingsOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		if got, want := e.findingPairs(), monScenarioFindings(); !slices.Equal(got, want) {
			t.Fatalf("findings:\n got %v\nwant %v", got, want)
		}
		f := e.finding("fast", monitor.RuleDeadlineOverdue)
		if f.DedupKey != "deadline:"+monID(e.cases["fast"])+":prosecution_review#1" || f.Area != monitor.AreaDeadlines ||
			f.Severity != monitor.FairlySerious || f.Step != monitor.StepDetected || f.Status != monitor.StatusOpen ||
			f.DetectedOn != "2026-03-16" || f.CreatedBy != 0 || f.HandlerID == 0 || f.DepartmentID == 0 {
			t.Errorf("finding %+v", f)
		}
		for _, d := range []string{"2026-03-16", "2026-03-17"} {
			run, err := e.svc.Scan(e.ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if run.Created != 0 || run.Hits < len(monScenarioFindings()) || run.Cases != 7 {
				t.Errorf("rerun on %s: %+v", d, run)
			}
		}
		if n := e.count(`SELECT count(*) FROM monitor_findings`); n != len(monScenarioFindings()) {
			t.Errorf("%d findings after reruns", n)
		}
		// A closed finding is not reopened by the same problem.
		e.ok(e.svc.Close(e.ctx, e.req("a_case_manager"), e.finding("rights", monitor.RuleRightsNoticeLate).ID, false, "已核实"))
		if run, _ := e.svc.Scan(e.ctx, "2026-03-18"); run.Created != 0 {
			t.Errorf("closed finding reopened: %+v", run)
		}
		if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.finding_create' AND username = 'system:monitor'`); n != len(monScenarioFindings()) {
			t.Errorf("%d finding_create audit entries", n)
		}
		if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.scan'`); n != 4 {
			t.Errorf("%d scan audit entries", n)
		}
		if n := e.count(`SELECT count(*) FROM monitor_actions WHERE kind = 'detect' AND actor_id IS NULL`); n != len(monScenarioFindings()) {
			t.Errorf("%d detect actions", n)
		}
		e.verifyAudit()
	})
}

// A case whose clocks were never stored (recorded before clocks were)
// gets them derived by the engine: the same problems are found.
func TestMonitorScanDerivesMissingClocks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorCases(t, db)
		e.exec(`DELETE FROM case_clocks WHERE case_id <> $1`, e.cases["returns"])
		e.scan()
		if got, want := e.findingPairs(), monScenarioFindings(); !slices.Equal(got, want) {
			t.Fatalf("findings:\n got %v\nwant %v", got, want)
		}
		f := e.finding("fast", monitor.RuleDeadlineOverdue)
		if len(f.Args) != 4 || f.Args[1].Text != "2026-03-12" || f.Args[2].Text != "4" {
			t.Errorf("derived overdue clock: %+v", f.Args)
		}
	})
}

// A fairly serious problem goes through every graded step: oral prompt,
// notice (numbered, reply due in 10 days), reply by the handler, closed as
// rectified. A civil supervision notice is due in 5 days.
func TestMonitorGradedSteps(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		cm := e.req("a_case_manager")
		f := e.finding("rights", monitor.RuleRightsNoticeLate)
		e.ok(e.svc.Prompt(e.ctx, cm, f.ID, "电话提示承办人"))
		n, err := e.svc.IssueNotice(e.ctx, cm, f.ID, "")
		e.ok(err)
		if n.Number != "甲检检案管监〔2026〕1号" || n.IssuedOn != "2026-03-16" || n.ReplyDue != "2026-03-26" ||
			!strings.Contains(n.ReplyBasis, "第六百六十五条") || n.DepartmentID != f.Case.DepartmentID {
			t.Errorf("notice %+v", n)
		}
		e.setDay("2026-03-18")
		e.ok(e.svc.Reply(e.ctx, e.req(e.handlerOf(f.Case.ID)), f.ID, "已于当日补充告知，今后受理后即告知"))
		e.setDay("2026-03-19")
		e.ok(e.svc.Close(e.ctx, cm, f.ID, true, "核查告知笔录，已整改"))

		d := e.get(f.ID)
		want := []monitor.ActionKind{monitor.ActDetect, monitor.ActPrompt, monitor.ActNotice, monitor.ActReply,
			monitor.ActCloseRectified}
		if !slices.Equal(monKinds(d), want) {
			t.Errorf("history %v, want %v", monKinds(d), want)
		}
		g := d.Finding
		if g.Step != monitor.StepNotified || g.Status != monitor.StatusRectified || g.ClosedOn != "2026-03-19" ||
			g.Notice == nil || g.Notice.RepliedOn != "2026-03-18" || g.Notice.ReplyDays != 2 ||
			g.Notice.DepartmentName != "刑事检察部" {
			t.Errorf("after closing: %+v notice %+v", g.State, g.Notice)
		}
		if a := d.Actions[3]; a.ActorID != e.f.User(t, e.handlerOf(f.Case.ID)).ID || a.ActedOn != "2026-03-18" ||
			a.ActorName == "" {
			t.Errorf("reply action %+v", a)
		}
		for _, action := range []string{"monitor.prompt", "monitor.notice_issue", "monitor.reply", "monitor.close",
			"monitor.finding_view"} {
			if e.auditCount(action, monID(f.ID)) != 1 {
				t.Errorf("audit %s: %d entries", action, e.auditCount(action, monID(f.ID)))
			}
		}
		if e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.notice_issue' AND detail LIKE $1`,
			"%number=甲检检案管监〔2026〕1号%") != 1 {
			t.Error("the notice number is not in its audit entry")
		}

		// Civil supervision: a finding made by hand, 5 days to reply
		// (21 March is a Saturday: due Monday 23 March); the number follows.
		e.setDay("2026-03-16")
		id, err := e.svc.Create(e.ctx, cm, monitor.ManualFinding{CaseID: e.cases["civil"], Area: monitor.AreaDocuments,
			Severity: monitor.FairlySerious, Description: "审查终结报告未附案卷"})
		e.ok(err)
		n, err = e.svc.IssueNotice(e.ctx, cm, id, "三日内补附")
		e.ok(err)
		if n.Number != "甲检检案管监〔2026〕2号" || n.ReplyDue != "2026-03-23" || n.RequestedAction != "三日内补附" {
			t.Errorf("civil notice %+v", n)
		}
		m := e.get(id).Finding
		if m.RuleID != "" || m.DedupKey != "" || m.CreatedBy != e.f.User(t, "a_case_manager").ID ||
			m.Description != "审查终结报告未附案卷" || m.Status != monitor.StatusAwaitingReply {
			t.Errorf("manual finding %+v", m)
		}
		if e.count(`SELECT last_value FROM number_sequences WHERE unit_id = $1 AND scope = $2 AND year = 2026`,
			e.f.UnitA.ID, monitor.NoticeScope) != 2 {
			t.Error("notice sequence is not at 2")
		}
		// The notice document carries the notice and the case.
		doc := monitor.NoticeDocument(e.f.App.T.T, e.svc.Rules(), m, *m.Notice)
		if doc.Number != n.Number || doc.UnitName != "甲县人民检察院" || doc.Addressee != "刑事检察部" ||
			doc.CaseName != "测某民事监督案" || doc.StageNo == "" || doc.Problem != "审查终结报告未附案卷" {
			t.Errorf("document %+v", doc)
		}
		e.verifyAudit()
	})
}

// Notices issued at the same time get consecutive numbers from 1: no
// duplicate, no gap.
func TestMonitorConcurrentNoticeNumbers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		var ids []int64
		for _, f := range e.all() {
			if f.Case.DepartmentID != 0 {
				ids = append(ids, f.ID)
			}
		}
		numbers := make([]string, len(ids))
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var n monitor.Notice
				n, errs[i] = e.svc.IssueNotice(e.ctx, e.req("a_case_manager"), id, "")
				numbers[i] = n.Number
			}()
		}
		wg.Wait()
		var want []string
		for i := range ids {
			e.ok(errs[i])
			want = append(want, monitor.NoticeNumber("甲检", 2026, int64(i+1)))
		}
		sort.Strings(numbers)
		sort.Strings(want)
		if len(ids) < 5 || !slices.Equal(numbers, want) {
			t.Errorf("numbers %v, want %v", numbers, want)
		}
		e.verifyAudit()
	})
}

// An unanswered notice escalates by itself once its reply date has passed;
// then the report to the chief, the transfer to discipline inspection and
// the closing as not rectified.
func TestMonitorEscalation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		cm := e.req("a_case_manager")
		f := e.finding("fast", monitor.RuleDeadlineOverdue)
		n, err := e.svc.IssueNotice(e.ctx, cm, f.ID, "立即审结")
		e.ok(err)
		if n.ReplyDue != "2026-03-26" {
			t.Fatalf("due %s", n.ReplyDue)
		}
		e.setDay("2026-03-26") // the due date itself: not late yet
		if k, err := e.svc.EscalateOverdue(e.ctx); err != nil || k != 0 {
			t.Fatalf("escalated %d on the due date (%v)", k, err)
		}
		e.setDay("2026-03-27")
		if k, err := e.svc.EscalateOverdue(e.ctx); err != nil || k != 1 {
			t.Fatalf("escalated %d, want 1 (%v)", k, err)
		}
		if k, _ := e.svc.EscalateOverdue(e.ctx); k != 0 {
			t.Errorf("escalated again: %d", k)
		}
		g := e.get(f.ID).Finding
		if g.Step != monitor.StepEscalated || !g.Escalated || g.Status != monitor.StatusAwaitingReply {
			t.Errorf("after escalation %+v", g.State)
		}
		if e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.escalate' AND object_id = $1
			AND username = 'system:monitor' AND user_id = 0`, monID(f.ID)) != 1 {
			t.Error("no system audit entry for the escalation")
		}
		if e.count(`SELECT count(*) FROM monitor_actions WHERE finding_id = $1 AND kind = 'escalate' AND actor_id IS NULL
			AND acted_on = '2026-03-27'`, f.ID) != 1 {
			t.Error("no system action for the escalation")
		}
		e.ok(e.svc.ReportChief(e.ctx, cm, f.ID, "已书面报告检察长"))
		e.ok(e.svc.TransferDiscipline(e.ctx, cm, f.ID, "移送检务督察部门"))
		e.ok(e.svc.Close(e.ctx, cm, f.ID, false, "逾期未整改"))
		d := e.get(f.ID)
		want := []monitor.ActionKind{monitor.ActDetect, monitor.ActNotice, monitor.ActEscalate, monitor.ActReportChief,
			monitor.ActTransfer, monitor.ActCloseNotRectified}
		if !slices.Equal(monKinds(d), want) {
			t.Errorf("history %v, want %v", monKinds(d), want)
		}
		if g := d.Finding; g.Step != monitor.StepTransferred || g.Status != monitor.StatusNotRectified ||
			!g.Reported || !g.Transferred || g.ClosedOn != "2026-03-27" {
			t.Errorf("closed %+v", g.State)
		}
		for _, action := range []string{"monitor.report_chief", "monitor.transfer_discipline", "monitor.close"} {
			if e.auditCount(action, monID(f.ID)) != 1 {
				t.Errorf("audit %s missing", action)
			}
		}
		// A closed finding is never escalated.
		e.setDay("2026-04-30")
		if k, _ := e.svc.EscalateOverdue(e.ctx); k != 0 {
			t.Errorf("escalated a closed finding: %d", k)
		}
		e.verifyAudit()
	})
}

// Impossible or forbidden actions are refused and change nothing: no
// finding, action, notice, number or audit entry.
func TestMonitorRefusedActionsChangeNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		cm := e.req("a_case_manager")
		open := e.finding("rights", monitor.RuleRightsNoticeLate)
		noticed := e.finding("fast", monitor.RuleRightsNoticeLate)
		closed := e.finding("arrest", monitor.RuleCustodyExtensionNotRequested)
		unassigned := e.finding("nohandler", monitor.RuleDecisionWithoutHandler)
		_, err := e.svc.IssueNotice(e.ctx, cm, noticed.ID, "")
		e.ok(err)
		e.ok(e.svc.Close(e.ctx, cm, closed.ID, true, "已告知看守所"))
		handler := e.req(e.handlerOf(open.Case.ID))
		colleague := "a_prosecutor3"
		if e.handlerOf(noticed.Case.ID) == colleague {
			colleague = "a_prosecutor"
		}

		snapshot := func() []int {
			return []int{e.count(`SELECT count(*) FROM monitor_findings`), e.count(`SELECT count(*) FROM monitor_actions`),
				e.count(`SELECT count(*) FROM monitor_notices`), e.count(`SELECT count(*) FROM audit_log`),
				e.count(`SELECT COALESCE(SUM(last_value), 0) FROM number_sequences`),
				e.count(`SELECT COALESCE(SUM(version), 0) FROM monitor_findings`)}
		}
		before := snapshot()
		refusals := []struct {
			name  string
			err   error
			field string // "" for a sentinel
			want  error
		}{
			{"reply without notice", e.svc.Reply(e.ctx, handler, open.ID, "已整改"), "notice", nil},
			{"close twice", e.svc.Close(e.ctx, cm, closed.ID, true, "再次办结"), "status", nil},
			{"reply after close", e.svc.Reply(e.ctx, e.req(e.handlerOf(closed.Case.ID)), closed.ID, "回复"), "status", nil},
			{"notice twice", monErr(e.svc.IssueNotice(e.ctx, cm, noticed.ID, "")), "notice", nil},
			{"prompt after notice", e.svc.Prompt(e.ctx, cm, noticed.ID, ""), "step", nil},
			{"report without notice", e.svc.ReportChief(e.ctx, cm, open.ID, ""), "notice", nil},
			{"close rectified before the reply", e.svc.Close(e.ctx, cm, noticed.ID, true, "已整改"), "reply", nil},
			{"close without a note", e.svc.Close(e.ctx, cm, open.ID, false, " "), "note", nil},
			{"transfer without a note", e.svc.TransferDiscipline(e.ctx, cm, open.ID, ""), "note", nil},
			{"empty reply", e.svc.Reply(e.ctx, e.req(e.handlerOf(noticed.Case.ID)), noticed.ID, ""), "reply", nil},
			{"notice to a case without department", monErr(e.svc.IssueNotice(e.ctx, cm, unassigned.ID, "")), "department_id", nil},
			{"manual finding, bad area", monErr(e.svc.Create(e.ctx, cm, monitor.ManualFinding{CaseID: e.cases["civil"],
				Area: "weather", Severity: monitor.Minor, Description: "x"})), "area", nil},
			{"manual finding, no description", monErr(e.svc.Create(e.ctx, cm, monitor.ManualFinding{CaseID: e.cases["civil"],
				Area: monitor.AreaRisk, Severity: monitor.Minor})), "description", nil},
			{"patrol note, empty", monErr(e.svc.AddPatrolNote(e.ctx, cm, "")), "note", nil},
			{"reply by a colleague", e.svc.Reply(e.ctx, e.req(colleague), noticed.ID, "回复"), "", apperr.ErrNotFound},
			{"reply by the case manager", e.svc.Reply(e.ctx, cm, noticed.ID, "回复"), "", apperr.ErrForbidden},
			{"notice by a prosecutor", monErr(e.svc.IssueNotice(e.ctx, handler, open.ID, "")), "", apperr.ErrForbidden},
			{"prompt by the dept head", e.svc.Prompt(e.ctx, e.req("a_dept_head"), open.ID, ""), "", apperr.ErrForbidden},
			{"prompt from another unit", e.svc.Prompt(e.ctx, e.req("b_case_manager"), open.ID, ""), "", apperr.ErrNotFound},
			{"close by the upper supervisor", e.svc.Close(e.ctx, e.req("up_upper_supervisor"), open.ID, true, "x"), "", apperr.ErrForbidden},
			{"manual finding by a prosecutor", monErr(e.svc.Create(e.ctx, handler, monitor.ManualFinding{
				CaseID: open.Case.ID, Area: monitor.AreaRisk, Severity: monitor.Minor, Description: "x"})), "", apperr.ErrForbidden},
			{"manual finding in another unit", monErr(e.svc.Create(e.ctx, e.req("b_case_manager"), monitor.ManualFinding{
				CaseID: open.Case.ID, Area: monitor.AreaRisk, Severity: monitor.Minor, Description: "x"})), "", apperr.ErrNotFound},
			{"no such finding", e.svc.Prompt(e.ctx, cm, 999999, ""), "", apperr.ErrNotFound},
			{"escalation before the due date", monErr(e.svc.EscalateOverdue(e.ctx)), "", nil},
		}
		for _, r := range refusals {
			switch {
			case r.field != "":
				v, ok := apperr.AsValidation(r.err)
				if !ok || v.Fields[0].Field != r.field {
					t.Errorf("%s: %v, want a validation error on %s", r.name, r.err, r.field)
				}
			case !errors.Is(r.err, r.want):
				t.Errorf("%s: %v, want %v", r.name, r.err, r.want)
			}
		}
		if after := snapshot(); !slices.Equal(before, after) {
			t.Errorf("refused actions changed rows: before %v after %v", before, after)
		}
		e.verifyAudit()
	})
}

func monErr[T any](_ T, err error) error { return err }

// Lists and counts filter in SQL: case managers, department heads and the
// chief see their unit, a prosecutor the findings on their own cases, an
// upper supervisor the subtree, another unit and the administrators none.
func TestMonitorListScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		all := len(monScenarioFindings())
		list := func(user string, f monitor.Filter) []monitor.Finding {
			t.Helper()
			if f.Limit == 0 {
				f.Limit = 200
			}
			out, _, err := e.svc.List(e.ctx, e.req(user), f)
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			return out
		}
		for _, u := range []string{"a_case_manager", "a_dept_head", "a_chief", "up_upper_supervisor"} {
			if n := len(list(u, monitor.Filter{})); n != all {
				t.Errorf("%s sees %d findings, want %d", u, n, all)
			}
		}
		for _, u := range []string{"b_case_manager", "b_upper_supervisor", "a_sysadmin", "a_secadmin", "a_auditadmin",
			"a_aid_partner", "b_prosecutor"} {
			if n := len(list(u, monitor.Filter{})); n != 0 {
				t.Errorf("%s sees %d findings", u, n)
			}
		}
		// A prosecutor sees exactly the findings on the cases they handle.
		pros := e.f.User(t, "a_prosecutor2").ID
		own := 0
		for _, f := range e.all() {
			if f.Case.HandlerID == pros {
				own++
			}
		}
		got := list("a_prosecutor2", monitor.Filter{})
		if own == 0 || len(got) != own {
			t.Errorf("a_prosecutor2 sees %d, handles cases with %d findings", len(got), own)
		}
		for _, f := range got {
			if f.Case.HandlerID != pros {
				t.Errorf("a_prosecutor2 sees finding %d on another's case", f.ID)
			}
		}
		// Object reads follow the same scope.
		f := e.finding("arrest", monitor.RuleCustodyExtensionNotRequested)
		if _, err := e.svc.Get(e.ctx, e.req("b_case_manager"), f.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another unit reads a finding: %v", err)
		}
		if _, err := e.svc.Get(e.ctx, e.req("a_prosecutor2"), f.ID); err != nil {
			t.Errorf("the handler cannot read the finding on their case: %v", err)
		}
		// Filters and keyset paging.
		if got := list("a_case_manager", monitor.Filter{RuleID: monitor.RuleRightsNoticeLate}); len(got) != 4 {
			t.Errorf("rights findings: %d", len(got))
		}
		if got := list("a_case_manager", monitor.Filter{Area: monitor.AreaDataEntry, Severity: monitor.Minor}); len(got) != 1 {
			t.Errorf("minor data-entry findings: %d", len(got))
		}
		if got := list("a_case_manager", monitor.Filter{From: "2026-03-17"}); len(got) != 0 {
			t.Errorf("findings after today: %d", len(got))
		}
		seen := map[int64]bool{}
		after := ""
		for page := 0; ; page++ {
			out, next, err := e.svc.List(e.ctx, e.req("a_case_manager"), monitor.Filter{Limit: 4, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range out {
				if seen[f.ID] || (i > 0 && f.ID > out[i-1].ID) {
					t.Fatalf("page %d: finding %d repeated or out of order", page, f.ID)
				}
				seen[f.ID] = true
			}
			if next == "" {
				break
			}
			after = next
		}
		if len(seen) != all {
			t.Errorf("paging saw %d findings, want %d", len(seen), all)
		}
		if _, _, err := e.svc.List(e.ctx, e.req("a_case_manager"), monitor.Filter{Status: "lost"}); err == nil {
			t.Error("an unknown status was accepted")
		}
		if _, _, err := e.svc.List(e.ctx, e.req("a_case_manager"), monitor.Filter{After: "!!"}); err == nil {
			t.Error("a bad cursor was accepted")
		}
		if e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.finding_list' AND username = 'a_case_manager'`) == 0 {
			t.Error("lists are not audited")
		}
		// Counts for the home page.
		_, err := e.svc.IssueNotice(e.ctx, e.req("a_case_manager"), e.finding("rights", monitor.RuleRightsNoticeLate).ID, "")
		e.ok(err)
		e.setDay("2026-03-27")
		c, err := e.svc.Counts(e.ctx, e.req("a_case_manager"))
		e.ok(err)
		if c.Open != all-1 || c.AwaitingReply != 1 || c.ReplyOverdue != 1 || c.Replied != 0 || c.Total() != all {
			t.Errorf("counts %+v", c)
		}
		if c, _ := e.svc.Counts(e.ctx, e.req("b_case_manager")); c.Total() != 0 {
			t.Errorf("another unit counts %+v", c)
		}
		e.verifyAudit()
	})
}

// The patrol log, the monthly ledger with a recurring problem and the
// quarterly analysis with the previous quarter.
func TestMonitorReports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := monitorScenario(t, db)
		cm := e.req("a_case_manager")
		all := len(monScenarioFindings())
		// One finding rectified after a 2-day reply, one not rectified.
		rights := e.finding("rights", monitor.RuleRightsNoticeLate)
		_, err := e.svc.IssueNotice(e.ctx, cm, rights.ID, "")
		e.ok(err)
		e.ok(e.svc.Prompt(e.ctx, cm, e.finding("emptycard", monitor.RuleCardFieldsMissingAtClosing).ID, "提示补录"))
		noteID, err := e.svc.AddPatrolNote(e.ctx, cm, "巡查审查起诉案件12件，发现问题已登记")
		e.ok(err)
		e.setDay("2026-03-18")
		e.ok(e.svc.Reply(e.ctx, e.req(e.handlerOf(rights.Case.ID)), rights.ID, "已补充告知"))
		e.ok(e.svc.Close(e.ctx, cm, rights.ID, true, "已整改"))
		e.ok(e.svc.Close(e.ctx, cm, e.finding("arrest", monitor.RuleCustodyExtensionNotRequested).ID, false, "未整改"))

		log, err := e.svc.PatrolLog(e.ctx, cm, "2026-03-16")
		e.ok(err)
		if len(log.Scans) != 1 || log.Scans[0].Created != all || log.Scans[0].Cases != 7 || len(log.Findings) != all ||
			len(log.Notes) != 1 || log.Notes[0].ID != noteID || log.Notes[0].AuthorName == "" {
			t.Errorf("patrol log of the 16th: %d scans %+v, %d findings, notes %+v", len(log.Scans), log.Scans,
				len(log.Findings), log.Notes)
		}
		// The 16th: every detection, the notice and the prompt.
		if got := monCountKinds(log.Actions); got[monitor.ActDetect] != all || got[monitor.ActNotice] != 1 ||
			got[monitor.ActPrompt] != 1 || len(log.Actions) != all+2 {
			t.Errorf("actions of the 16th: %v", got)
		}
		log, err = e.svc.PatrolLog(e.ctx, cm, "2026-03-18")
		e.ok(err)
		if got := monCountKinds(log.Actions); len(log.Scans) != 0 || len(log.Findings) != 0 || got[monitor.ActReply] != 1 ||
			got[monitor.ActCloseRectified] != 1 || got[monitor.ActCloseNotRectified] != 1 || log.Actions[0].CaseName == "" {
			t.Errorf("patrol log of the 18th: %+v", log)
		}
		if log, _ := e.svc.PatrolLog(e.ctx, e.req("b_case_manager"), "2026-03-16"); len(log.Findings) != 0 || len(log.Notes) != 0 {
			t.Errorf("another unit's patrol log shows unit A: %+v", log)
		}

		// Monthly ledger: by area, department and person, and the recurring
		// problem (rights notices late twice in the criminal department).
		l, err := e.svc.MonthlyLedger(e.ctx, cm, 2026, 3)
		e.ok(err)
		if len(l.Findings) != all || l.Truncated || l.Range != (monitor.DateRange{From: "2026-03-01", To: "2026-03-31"}) ||
			l.RecurringRange.From != "2026-01-01" {
			t.Errorf("ledger: %d findings, range %+v / %+v", len(l.Findings), l.Range, l.RecurringRange)
		}
		byArea := monRows(l.ByArea)
		if len(l.ByArea) != len(monitor.Areas()) || byArea["rights"] != 4 || byArea["deadlines"] != 2 ||
			byArea["data_entry"] != 2 || byArea["intake"] != 1 || byArea["documents"] != 1 ||
			byArea["coercive_measures"] != 1 || byArea["property"] != 0 || l.ByArea[0].NameKey != "monitor.area.intake" {
			t.Errorf("by area %+v", l.ByArea)
		}
		dept := monID(e.f.User(t, "a_prosecutor").DepartmentID)
		if byDept := monRows(l.ByDepartment); byDept[dept] != 7 || byDept[""] != 4 {
			t.Errorf("by department %+v", l.ByDepartment)
		}
		persons := 0
		for _, r := range l.ByPerson {
			persons += r.Count
			if r.Code != "" && r.Name == "" {
				t.Errorf("person row without a name: %+v", r)
			}
		}
		if persons != all {
			t.Errorf("by person %+v", l.ByPerson)
		}
		var recurring []monitor.Recurring
		for _, r := range l.Recurring {
			if r.By == monitor.ByDepartment {
				recurring = append(recurring, r)
			}
		}
		if len(recurring) != 1 || recurring[0].RuleID != monitor.RuleRightsNoticeLate || recurring[0].Count != 2 ||
			monID(recurring[0].ID) != dept || recurring[0].Name != "刑事检察部" ||
			recurring[0].TitleKey != "monitor.rule.rights_notice_late.title" || recurring[0].First != "2026-03-16" {
			t.Errorf("recurring by department %+v (all %+v)", recurring, l.Recurring)
		}
		if l, _ := e.svc.MonthlyLedger(e.ctx, cm, 2026, 2); len(l.Findings) != 0 || len(l.Recurring) != 0 {
			t.Errorf("February ledger %+v", l)
		}

		// Quarterly analysis: Q1 2026 against Q4 2025.
		q, err := e.svc.QuarterlyAnalysis(e.ctx, cm, 2026, 1)
		e.ok(err)
		c := q.Current
		if c.Total != all || c.Closed != 2 || c.Rectified != 1 || c.RectificationRate != 0.5 || c.Notices != 1 ||
			c.Replied != 1 || c.AvgReplyDays != 2 || c.Range != (monitor.DateRange{From: "2026-01-01", To: "2026-03-31"}) {
			t.Errorf("Q1 %+v", c)
		}
		if st := monRows(c.ByStatus); st["open"] != all-2 || st["rectified"] != 1 || st["not_rectified"] != 1 {
			t.Errorf("Q1 by status %+v", c.ByStatus)
		}
		if sv := monRows(c.BySeverity); sv["fairly_serious"] != 8 || sv["minor"] != 3 {
			t.Errorf("Q1 by severity %+v", c.BySeverity)
		}
		if sp := monRows(c.ByStep); sp["detected"] != all-2 || sp["notified"] != 1 || sp["prompted"] != 1 {
			t.Errorf("Q1 by step %+v", c.ByStep)
		}
		if p := q.Previous; p.Year != 2025 || p.Quarter != 4 || p.Total != 0 || p.Range.From != "2025-10-01" {
			t.Errorf("previous quarter %+v", p)
		}
		// Reports are for the office and its leaders, and audited.
		if _, err := e.svc.MonthlyLedger(e.ctx, e.req("a_prosecutor"), 2026, 3); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a prosecutor read the ledger: %v", err)
		}
		if _, err := e.svc.QuarterlyAnalysis(e.ctx, cm, 2026, 5); err == nil {
			t.Error("quarter 5 was accepted")
		}
		if up, err := e.svc.QuarterlyAnalysis(e.ctx, e.req("up_upper_supervisor"), 2026, 1); err != nil || up.Current.Total != all {
			t.Errorf("upper supervisor's analysis: %d (%v)", up.Current.Total, err)
		}
		if e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.report'`) != 7 {
			t.Errorf("%d report audit entries", e.count(`SELECT count(*) FROM audit_log WHERE action = 'monitor.report'`))
		}
		if e.auditCount("monitor.patrol_note", monID(noteID)) != 1 {
			t.Error("the patrol note has no audit entry")
		}
		e.verifyAudit()
	})
}

func monCountKinds(as []monitor.LoggedAction) map[monitor.ActionKind]int {
	out := map[monitor.ActionKind]int{}
	for _, a := range as {
		out[a.Kind]++
	}
	return out
}

func monRows(rows []monitor.CountRow) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[r.Code] += r.Count
	}
	return out
}
