package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/evaluation"
)

// The route × role matrix rows of case quality. Each request builds the
// state in which the caller, if the route admits their role, acts in the
// capacity the step needs: the evaluator of the record they score, the
// handler of the case they answer for, a committee member or the leader
// of the activity whose objection they decide, and so on.

var (
	evalQualityRoles = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
		access.Chief, access.UpperSupervisor, access.AidPartner}
	evalQualityUsers    = append(slices.Clone(evalQualityRoles), access.SysAdmin)
	evalActivityReaders = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief,
		access.UpperSupervisor, access.AidPartner}
	evalEvaluators  = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief, access.AidPartner}
	evalLeaders     = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief}
	evalHandlers    = []access.Role{access.Prosecutor, access.Assistant}
	evalVerifiers   = []access.Role{access.DeptHead, access.Chief}
	evalManagers    = []access.Role{access.CaseManager, access.SysAdmin}
	evalStatReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
	evalOffice      = []access.Role{access.CaseManager}
)

// has reports whether the fixture user holds one of roles.
func (e *env) has(username string, roles ...access.Role) bool {
	u, ok := e.f.Users[username]
	return ok && u.Principal().HasAny(roles...)
}

// or is username when it holds one of roles, else fallback.
func (e *env) or(username, fallback string, roles ...access.Role) string {
	if e.has(username, roles...) {
		return username
	}
	return fallback
}

// readableRecord is a record the user can read: an aid partner's is the
// one they evaluate, an assistant's the one of the case they handle.
func (e *env) readableRecord(t *testing.T, i int, username string) int64 {
	spec := recSpec{handler: "a_prosecutor", evaluator: "a_prosecutor2", status: evaluation.StatusScoring}
	switch username {
	case "a_aid_partner":
		spec = recSpec{organiser: "up_case_manager", caseUnit: "b", handler: "b_prosecutor", evaluator: "a_aid_partner",
			status: evaluation.StatusScoring}
	case "a_assistant":
		spec.handler = "a_assistant"
	}
	rec, _ := e.record(t, i, spec)
	return rec
}

// readableActivity is an activity every reader of 甲县院 can open: the
// office, the chief and the head by unit, a_prosecutor and the aid partner
// as evaluators, the upper supervisor from above.
func (e *env) readableActivity(t *testing.T, i int) int64 {
	_, act := e.record(t, i, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor", others: []string{"a_aid_partner"},
		committee: []string{"a_dept_head"}, status: evaluation.StatusScoring})
	return act
}

// latestTemplate is the newest version of the prosecution-review template.
func (e *env) latestTemplate(t *testing.T) evaluation.TemplateInfo {
	t.Helper()
	e.installTemplates(t)
	infos, err := e.f.App.Evaluation.Templates(context.Background(), e.evalReq(t, "a_case_manager"))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range infos {
		if i.Code == "prosecution_review" && i.Latest {
			return i
		}
	}
	t.Fatal("no prosecution-review template")
	return evaluation.TemplateInfo{}
}

// templateFile is a template file to import under code.
func (e *env) templateFile(t *testing.T, code string) map[string]any {
	t.Helper()
	b, err := e.f.App.Evaluation.ExportTemplate(context.Background(), e.evalReq(t, "a_case_manager"), e.latestTemplate(t).ID)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	file["code"] = code
	return file
}

func (e *env) activityBody(t *testing.T) map[string]any {
	e.installTemplates(t)
	return map[string]any{"name": "2026年3月常规抽查", "kind": "routine", "unit_ids": []int64{e.f.UnitA.ID},
		"categories": []string{"prosecution_review"}, "closed_from": "2026-03-01", "closed_to": "2026-03-16",
		"scale_code": "2026", "leader_id": e.f.User(t, "a_chief").ID,
		"evaluator_ids": []int64{e.f.User(t, "a_prosecutor2").ID, e.f.User(t, "a_prosecutor3").ID},
		"committee_ids": []int64{e.f.User(t, "a_dept_head").ID}, "deadline": "2026-04-30", "response_days": 5}
}

func evalMatrix() []routeCase {
	rec := func(id int64, rest string) string { return qualityPath("records", id, rest) }
	act := func(id int64, rest string) string { return qualityPath("activities", id, rest) }
	return []routeCase{
		{pattern: "GET /api/v1/quality/templates", allowed: evalQualityUsers, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installTemplates(t)
				return "/api/v1/quality/templates", nil
			}},
		{pattern: "POST /api/v1/quality/templates", allowed: evalManagers, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return "/api/v1/quality/templates", map[string]any{"note": "测试导入", "template": e.templateFile(t, "matrix_test")}
			}},
		{pattern: "GET /api/v1/quality/templates/{id}", allowed: evalQualityUsers, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return qualityPath("templates", e.latestTemplate(t).ID, ""), nil
			}},
		{pattern: "GET /api/v1/quality/self-checks", allowed: caseReaders, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/quality/self-checks?limit=5", nil }},
		{pattern: "GET /api/v1/quality/self-checks/{id}", allowed: caseReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				return qualityPath("self-checks", e.selfCheck(t, 800, e.or(username, "a_prosecutor", handlerRoles...), false), ""), nil
			}},
		{pattern: "POST /api/v1/quality/self-checks/{id}/submit", allowed: evalHandlers, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				id := e.selfCheck(t, 801, e.or(username, "a_prosecutor", handlerRoles...), false)
				return qualityPath("self-checks", id, "/submit"), map[string]any{"findings": []any{}, "summary": "未发现问题"}
			}},
		{pattern: "POST /api/v1/quality/self-checks/{id}/verify", allowed: evalVerifiers, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return qualityPath("self-checks", e.selfCheck(t, 802, "a_prosecutor", true), "/verify"),
					map[string]any{"verdicts": []any{map[string]any{"item_code": "PS-PC-02", "agree": true}}}
			}},
		{pattern: "GET /api/v1/quality/activities", allowed: evalActivityReaders, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/quality/activities?limit=5", nil }},
		{pattern: "POST /api/v1/quality/activities", allowed: evalOffice, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return "/api/v1/quality/activities", e.activityBody(t)
			}},
		{pattern: "GET /api/v1/quality/activities/{id}", allowed: evalActivityReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) { return act(e.readableActivity(t, 810), ""), nil }},
		{pattern: "POST /api/v1/quality/activities/{id}/draw", allowed: evalOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				a, _ := e.planning(t, 811, false)
				return act(a, "/draw"), map[string]any{"method": "manual", "case_id": e.closedCase(t, 812, "a", "a_prosecutor"),
					"reason": "群众信访反映"}
			}},
		{pattern: "POST /api/v1/quality/activities/{id}/assign", allowed: evalOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				a, _ := e.planning(t, 813, false)
				return act(a, "/assign"), nil
			}},
		{pattern: "POST /api/v1/quality/activities/{id}/start", allowed: evalOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				a, _ := e.planning(t, 814, true)
				return act(a, "/start"), map[string]any{}
			}},
		{pattern: "POST /api/v1/quality/activities/{id}/close", allowed: evalLeaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				leader := e.or(username, "a_chief", access.Chief, access.DeptHead, access.Prosecutor)
				_, a := e.record(t, 815, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor3", leader: leader,
					status: evaluation.StatusClosed})
				return act(a, "/close"), nil
			}},
		{pattern: "GET /api/v1/quality/activities/{id}/report.docx", allowed: evalActivityReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return act(e.readableActivity(t, 816), "/report.docx"), nil
			}},
		{pattern: "GET /api/v1/quality/records", allowed: evalQualityRoles, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/quality/records?limit=5", nil }},
		{pattern: "GET /api/v1/quality/records/{id}", allowed: evalQualityRoles, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				return rec(e.readableRecord(t, 820, username), ""), nil
			}},
		{pattern: "POST /api/v1/quality/records/{id}/assign", allowed: evalOffice, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				r, _ := e.record(t, 821, recSpec{handler: "a_prosecutor", evaluator: "a_prosecutor2",
					others: []string{"a_prosecutor3"}, status: evaluation.StatusScoring})
				return rec(r, "/assign"), map[string]any{"evaluator_id": e.f.User(t, "a_prosecutor3").ID}
			}},
		{pattern: "POST /api/v1/quality/records/{id}/score", allowed: evalEvaluators, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				r, _ := e.record(t, 822, recSpec{organiser: "up_case_manager", caseUnit: "b", handler: "b_prosecutor",
					evaluator: e.or(username, "a_prosecutor", evalEvaluators...), status: evaluation.StatusScoring})
				return rec(r, "/score"), map[string]any{"findings": []any{map[string]any{"item_code": "PS-EV-01",
					"option": "flaw", "note": "证据分析不充分"}}}
			}},
		{pattern: "POST /api/v1/quality/records/{id}/propose", allowed: evalEvaluators, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				r, _ := e.record(t, 823, recSpec{organiser: "up_case_manager", caseUnit: "b", handler: "b_prosecutor",
					evaluator: e.or(username, "a_prosecutor", evalEvaluators...), status: evaluation.StatusScoring})
				return rec(r, "/propose"), map[string]any{"grade": "qualified", "reasons": "未发现问题"}
			}},
		{pattern: "POST /api/v1/quality/records/{id}/respond", allowed: evalHandlers, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				r, _ := e.record(t, 824, recSpec{handler: e.or(username, "a_prosecutor", handlerRoles...),
					evaluator: "a_prosecutor2", status: evaluation.StatusProposed})
				return rec(r, "/respond"), map[string]any{"response": "agree", "reason": "认可"}
			}},
		{pattern: "POST /api/v1/quality/records/{id}/decide", allowed: evalLeaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				var committee []string
				if e.has(username, access.CaseManager, access.DeptHead, access.Prosecutor) {
					committee = []string{username}
				}
				r, _ := e.record(t, 825, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor3", committee: committee,
					status: evaluation.StatusObjected})
				return rec(r, "/decide"), map[string]any{"items": []any{map[string]any{"item_code": "PS-EV-01",
					"overturn": true, "reason": "审查报告已载明"}}, "grade": "qualified", "reason": "撤销该问题"}
			}},
		{pattern: "POST /api/v1/quality/records/{id}/followups", allowed: evalLeaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				r, _ := e.record(t, 826, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor3",
					leader: e.or(username, "a_chief", access.Chief, access.DeptHead, access.Prosecutor),
					status: evaluation.StatusFinal})
				return rec(r, "/followups"), map[string]any{"kind": "feedback", "note": "部门会议讲评"}
			}},
		{pattern: "POST /api/v1/quality/records/{id}/close", allowed: evalLeaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				r, _ := e.record(t, 827, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor3",
					leader: e.or(username, "a_chief", access.Chief, access.DeptHead, access.Prosecutor),
					status: evaluation.StatusFinal})
				return rec(r, "/close"), map[string]any{"note": "办结"}
			}},
		{pattern: "GET /api/v1/quality/records/{id}/report.docx", allowed: evalQualityRoles, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				return rec(e.readableRecord(t, 828, username), "/report.docx"), nil
			}},
		{pattern: "GET /api/v1/quality/statistics", allowed: evalStatReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				e.installTemplates(t)
				return "/api/v1/quality/statistics?by=handler", nil
			}},
	}
}
