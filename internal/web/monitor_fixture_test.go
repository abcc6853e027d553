package web_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/monitor"
)

// monitorFixture is the monitoring state the page tests visit, on top of
// newEnv's cases: the findings of one scan, and findings recorded by hand
// at each stage of the graded response.
type monitorFixture struct {
	scanned   int // findings the scan made, in every unit
	prosecNtc int64
	assistNtc int64
	closed    int64
	prompted  int64
	number    string // the document number of prosecNtc's notice
	replyDue  string
}

// seedMonitor runs the daily scan on 2026-03-16 and records by hand:
//   - a notice awaiting reply on the case a_prosecutor handles (prosecNtc),
//   - the same on the case a_assistant handles (assistNtc),
//   - a prompted finding on the rotated case (prompted),
//   - a finding on the pending case closed as not rectified (closed).
func seedMonitor(t *testing.T, e *env) *monitorFixture {
	t.Helper()
	ctx := context.Background()
	m := e.f.App.Monitor
	cm := monitor.Request(e.f.Request(t, "a_case_manager"))
	run, err := m.Scan(ctx, "2026-03-16")
	if err != nil {
		t.Fatal(err)
	}
	mf := &monitorFixture{scanned: run.Created}
	create := func(caseID int64, area monitor.Area, sev monitor.Severity, desc string) int64 {
		t.Helper()
		id, err := m.Create(ctx, cm, monitor.ManualFinding{CaseID: caseID, Area: area, Severity: sev, Description: desc})
		if err != nil {
			t.Fatalf("create finding: %v", err)
		}
		return id
	}
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mf.prosecNtc = create(e.byProsec, monitor.AreaFilesOut, monitor.FairlySerious, "卷宗未按期移送案件管理部门")
	n, err := m.IssueNotice(ctx, cm, mf.prosecNtc, "三日内移送卷宗并书面说明原因")
	ok(err)
	mf.number, mf.replyDue = n.Number, n.ReplyDue
	mf.assistNtc = create(e.byAssist, monitor.AreaDocuments, monitor.FairlySerious, "法律文书未按规定送达")
	_, err = m.IssueNotice(ctx, cm, mf.assistNtc, "")
	ok(err)
	mf.prompted = create(e.assigned, monitor.AreaDataEntry, monitor.Minor, "强制措施变更未及时录入系统")
	ok(m.Prompt(ctx, cm, mf.prompted, "已当面提示承办人补录"))
	mf.closed = create(e.pending, monitor.AreaIntake, monitor.Minor, "受理登记时移送文书文号录入有误")
	ok(m.Close(ctx, cm, mf.closed, false, "案件已移送他院，无法整改"))
	return mf
}

// findingFor is a finding the user can open and, if they handle cases,
// answer: handlers see only the findings on their own cases.
func (mf *monitorFixture) findingFor(username string) int64 {
	if username == "a_assistant" {
		return mf.assistNtc
	}
	return mf.prosecNtc
}
