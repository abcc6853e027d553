package api_test

import (
	"context"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/monitor"
)

// monitorActors may post actions on findings (the matrix's expectation).
var monitorActors = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead}

// Set-up of monitoring state through the domain service, as the case
// helpers do: the API is what is under test.

// monitorFinding records, by hand, a finding on a new case of 甲县院
// (intake i) handled by handler, and issues its notice when notice is set.
func (e *env) monitorFinding(t *testing.T, i int, handler string, notice bool) int64 {
	t.Helper()
	ctx := context.Background()
	caseID := e.inProgress(t, i, handler)
	cm := monitor.Request(e.f.Request(t, "a_case_manager"))
	id, err := e.f.App.Monitor.Create(ctx, cm, monitor.ManualFinding{CaseID: caseID, Area: monitor.AreaFilesOut,
		Severity: monitor.FairlySerious, Description: "卷宗未按期移送"})
	if err != nil {
		t.Fatalf("create finding: %v", err)
	}
	if notice {
		if _, err := e.f.App.Monitor.IssueNotice(ctx, cm, id, "三日内移送卷宗"); err != nil {
			t.Fatalf("issue notice: %v", err)
		}
	}
	return id
}

// handlerFor is the handler of a case the user may see and answer for:
// prosecutors and assistants answer for their own cases only.
func (e *env) handlerFor(username string) string {
	if u, ok := e.f.Users[username]; ok && u.Principal().HasAny(handlerRoles...) {
		return username
	}
	return "a_prosecutor"
}

func findingPath(id int64, rest string) string { return "/api/v1/monitor/findings/" + itoa(id) + rest }

// monitorTables are the tables a refused monitoring request must leave
// alone, besides the case tables of counts().
var monitorTables = []string{"monitor_findings", "monitor_actions", "monitor_notices", "monitor_patrol_notes",
	"number_sequences"}

func (e *env) monitorCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range monitorTables {
		var n int
		if err := e.raw.QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}
