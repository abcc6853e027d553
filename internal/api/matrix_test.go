package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/api"
	"github.com/anguan/anguan/internal/apptest"
)

// routeCase is one row of the route × role matrix: who may call the route,
// what a successful call answers, and how to build a request that succeeds
// for an allowed caller (its own token, a case it handles, a fresh case to
// assign…), so a denial can only come from the role.
type routeCase struct {
	pattern string
	public  bool
	allowed []access.Role // nil: every signed-in role
	ok      int
	request func(t *testing.T, e *env, username string) (path string, body any)
}

var (
	caseReaders = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead, access.Chief,
		access.UpperSupervisor}
	handlerRoles = []access.Role{access.Prosecutor, access.Assistant}
)

func credentials(username string) map[string]any {
	return map[string]any{"username": username, "password": apptest.Password}
}

func routeMatrix() []routeCase {
	return append([]routeCase{
		{pattern: "GET /api/v1/openapi.json", public: true, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/openapi.json", nil }},
		{pattern: "POST /api/v1/tokens", public: true, ok: http.StatusCreated,
			request: func(_ *testing.T, _ *env, username string) (string, any) {
				if username == "" {
					username = "a_case_manager" // a public route: the body is the credential
				}
				return "/api/v1/tokens", credentials(username)
			}},
		{pattern: "DELETE /api/v1/tokens/{id}", ok: http.StatusNoContent,
			request: func(t *testing.T, e *env, username string) (string, any) {
				if username == "" {
					return "/api/v1/tokens/1", nil
				}
				// A second token of the caller's own, so revoking it does
				// not end the caller's session.
				var tok struct{ ID int64 }
				e.do(t, "", "POST", "/api/v1/tokens", credentials(username)).decode(t, &tok)
				return "/api/v1/tokens/" + itoa(tok.ID), nil
			}},
		{pattern: "GET /api/v1/me", ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/me", nil }},
		{pattern: "GET /api/v1/units", ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/units", nil }},
		{pattern: "GET /api/v1/cases", allowed: caseReaders, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/cases?limit=5", nil }},
		{pattern: "POST /api/v1/cases", allowed: []access.Role{access.CaseManager}, ok: http.StatusCreated,
			request: func(*testing.T, *env, string) (string, any) {
				return "/api/v1/cases", intakeBody(apptest.Intake(100))
			}},
		{pattern: "GET /api/v1/cases/{id}", allowed: caseReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return casePath(e.register(t, apptest.Intake(200)), ""), nil
			}},
		{pattern: "GET /api/v1/cases/{id}/clocks", allowed: caseReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return casePath(e.register(t, apptest.Intake(250)), "/clocks"), nil
			}},
		{pattern: "GET /api/v1/board", allowed: caseReaders, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/board?colour=red&limit=5", nil }},
		{pattern: "POST /api/v1/cases/{id}/events", allowed: handlerRoles, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, username string) (string, any) {
				// A case handled by the caller when the caller can handle
				// cases at all; otherwise by a_prosecutor.
				handler := "a_prosecutor"
				if u, ok := e.f.Users[username]; ok && u.Principal().HasAny(handlerRoles...) {
					handler = username
				}
				id := e.inProgress(t, 300, handler)
				return casePath(id, "/events"), map[string]any{"code": "extended", "occurred_on": "2026-03-10",
					"note": "案情复杂"}
			}},
		{pattern: "POST /api/v1/cases/{id}/assign", allowed: []access.Role{access.CaseManager, access.Chief}, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, username string) (string, any) {
				id := e.register(t, apptest.Intake(400))
				if username == "a_case_manager" {
					return casePath(id, "/assign"), map[string]any{"mode": "rotation"}
				}
				// The chief designates (rotation is the case manager's).
				return casePath(id, "/assign"), map[string]any{"mode": "designated",
					"handler_id": e.f.User(t, "a_prosecutor2").ID, "designated_by": "测检察长", "reason": "案情重大"}
			}},
		{pattern: "GET /api/v1/monitor/findings", allowed: caseReaders, ok: http.StatusOK,
			request: func(*testing.T, *env, string) (string, any) { return "/api/v1/monitor/findings?open=true&limit=5", nil }},
		{pattern: "POST /api/v1/monitor/findings", allowed: []access.Role{access.CaseManager}, ok: http.StatusCreated,
			request: func(t *testing.T, e *env, _ string) (string, any) {
				return "/api/v1/monitor/findings", map[string]any{"case_id": e.inProgress(t, 600, "a_prosecutor"),
					"area": "files_out", "severity": "minor", "description": "卷宗未按期移送"}
			}},
		{pattern: "GET /api/v1/monitor/findings/{id}", allowed: caseReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				return findingPath(e.monitorFinding(t, 610, e.handlerFor(username), false), ""), nil
			}},
		{pattern: "POST /api/v1/monitor/findings/{id}/actions", allowed: monitorActors, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				// The office prompts on a fresh finding; a handler or the
				// department head replies to a notice on the handler's case.
				if username == "a_case_manager" || username == "" {
					return findingPath(e.monitorFinding(t, 620, "a_prosecutor", false), "/actions"),
						map[string]any{"action": "prompt", "note": "口头提示承办人"}
				}
				return findingPath(e.monitorFinding(t, 630, e.handlerFor(username), true), "/actions"),
					map[string]any{"action": "reply", "reply": "已移送卷宗"}
			}},
		{pattern: "GET /api/v1/monitor/findings/{id}/notice.docx", allowed: caseReaders, ok: http.StatusOK,
			request: func(t *testing.T, e *env, username string) (string, any) {
				return findingPath(e.monitorFinding(t, 640, e.handlerFor(username), true), "/notice.docx"), nil
			}},
	}, append(append(append(evalMatrix(), dataMatrix()...), statsMatrix()...), aidMatrix()...)...)
}

// TestRouteRoleMatrix calls every API route as nobody and as the 甲县院
// account of every role: a route that needs a token answers 401 without
// one, a role the route does not admit answers 403, and an admitted role
// gets the route's success status. The matrix must name every registered
// route, with the same public flag and roles as Routes() declares.
func TestRouteRoleMatrix(t *testing.T) {
	matrix := routeMatrix()
	routes := api.New(api.Deps{}).Routes()
	for _, rt := range routes {
		i := slices.IndexFunc(matrix, func(m routeCase) bool { return m.pattern == rt.Pattern })
		if i < 0 {
			t.Errorf("route %q is missing from the route × role matrix", rt.Pattern)
			continue
		}
		m := matrix[i]
		if m.public != rt.Public || !sameRoles(m.allowed, rt.Roles) {
			t.Errorf("route %q: Routes() says public=%v roles=%v, the matrix expects public=%v roles=%v",
				rt.Pattern, rt.Public, rt.Roles, m.public, m.allowed)
		}
	}
	if len(matrix) != len(routes) {
		t.Errorf("matrix has %d rows, Routes() %d", len(matrix), len(routes))
	}

	eachEngine(t, nil, func(t *testing.T, e *env) {
		for _, m := range matrix {
			method, _, _ := strings.Cut(m.pattern, " ")
			t.Run(m.pattern, func(t *testing.T) {
				t.Run("anonymous", func(t *testing.T) {
					path, body := m.request(t, e, "")
					r := e.do(t, "", method, path, body)
					want := http.StatusUnauthorized
					if m.public {
						want = m.ok
					}
					if r.status != want {
						t.Fatalf("anonymous %s: %s, want %d", m.pattern, r, want)
					}
					if !m.public {
						if code := r.err(t).Error.Code; code != "unauthenticated" {
							t.Errorf("code %q, want unauthenticated", code)
						}
						if r.header.Get("WWW-Authenticate") == "" {
							t.Error("401 without WWW-Authenticate")
						}
					}
				})
				for _, role := range access.AllRoles() {
					username := "a_" + string(role)
					t.Run(string(role), func(t *testing.T) {
						path, body := m.request(t, e, username)
						r := e.do(t, username, method, path, body)
						allowed := m.public || m.allowed == nil || slices.Contains(m.allowed, role)
						switch {
						case allowed && r.status != m.ok:
							t.Errorf("%s as %s: %s, want %d", m.pattern, username, r, m.ok)
						case !allowed && r.status != http.StatusForbidden:
							t.Errorf("%s as %s: %s, want 403", m.pattern, username, r)
						case !allowed && r.err(t).Error.Code != "forbidden":
							t.Errorf("%s as %s: code %q, want forbidden", m.pattern, username, r.err(t).Error.Code)
						}
					})
				}
			})
		}
	})
}

func sameRoles(a, b []access.Role) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// TestObjectScope: object-level answers. A case outside the caller's scope
// answers 404 exactly like a case that does not exist (no existence leak);
// a case the caller can see but may not change answers 403 (nothing is
// leaked: the caller may read it anyway); a role the route does not admit
// answers 403 before any case is looked up.
func TestObjectScope(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		caseA := e.inProgress(t, 1, "a_prosecutor") // 甲县院, handled by a_prosecutor
		pendingA := e.register(t, apptest.Intake(2))
		idB, err := e.f.App.Cases.Register(t.Context(), e.f.Request(t, "b_case_manager"), apptest.Intake(3))
		if err != nil {
			t.Fatal(err)
		}
		const missing = 987654
		extend := map[string]any{"code": "extended", "occurred_on": "2026-03-10"}
		designate := func(handler string) map[string]any {
			return map[string]any{"mode": "designated", "handler_id": e.f.User(t, handler).ID, "reason": "测试"}
		}
		for _, c := range []struct {
			name, user, method, path string
			body                     any
			want                     int
			code                     string
		}{
			// Read scope.
			{"own unit reads", "a_dept_head", "GET", casePath(caseA, ""), nil, 200, ""},
			{"unit A supervisor reads own unit", "a_upper_supervisor", "GET", casePath(caseA, ""), nil, 200, ""},
			{"unit A supervisor cannot read sibling", "a_upper_supervisor", "GET", casePath(idB, ""), nil, 404, "not_found"},
			{"other unit's case manager", "b_case_manager", "GET", casePath(caseA, ""), nil, 404, "not_found"},
			{"other unit's prosecutor", "b_prosecutor", "GET", casePath(caseA, ""), nil, 404, "not_found"},
			{"upper unit's case manager (no supervisor role)", "up_case_manager", "GET", casePath(caseA, ""), nil, 404, "not_found"},
			{"upper supervisor reads 甲县院", "up_upper_supervisor", "GET", casePath(caseA, ""), nil, 200, ""},
			{"upper supervisor reads 乙县院", "up_upper_supervisor", "GET", casePath(idB, ""), nil, 200, ""},
			{"missing case", "a_prosecutor", "GET", casePath(missing, ""), nil, 404, "not_found"},
			{"id not a number", "a_prosecutor", "GET", "/api/v1/cases/abc", nil, 404, "not_found"},
			{"id zero", "a_prosecutor", "GET", "/api/v1/cases/0", nil, 404, "not_found"},
			{"id negative", "a_prosecutor", "GET", "/api/v1/cases/-1", nil, 404, "not_found"},
			// Admins and aid partners see no case content at all.
			{"sysadmin list", "a_sysadmin", "GET", "/api/v1/cases", nil, 403, "forbidden"},
			{"sysadmin read", "a_sysadmin", "GET", casePath(caseA, ""), nil, 403, "forbidden"},
			{"secadmin read", "a_secadmin", "GET", casePath(caseA, ""), nil, 403, "forbidden"},
			{"auditadmin read", "a_auditadmin", "GET", casePath(caseA, ""), nil, 403, "forbidden"},
			{"aid partner list", "a_aid_partner", "GET", "/api/v1/cases", nil, 403, "forbidden"},
			{"aid partner read", "a_aid_partner", "GET", casePath(caseA, ""), nil, 403, "forbidden"},
			{"upper admin read", "up_sysadmin", "GET", casePath(caseA, ""), nil, 403, "forbidden"},
			// Events: only the handler.
			{"handler records", "a_prosecutor", "POST", casePath(caseA, "/events"), extend, 201, ""},
			{"visible case, not the handler", "a_prosecutor2", "POST", casePath(caseA, "/events"), extend, 403, "forbidden"},
			{"assistant, not the handler", "a_assistant", "POST", casePath(caseA, "/events"), extend, 403, "forbidden"},
			{"pending case has no handler", "a_prosecutor", "POST", casePath(pendingA, "/events"), extend, 403, "forbidden"},
			{"other unit's prosecutor records", "b_prosecutor", "POST", casePath(caseA, "/events"), extend, 404, "not_found"},
			{"event on missing case", "a_prosecutor", "POST", casePath(missing, "/events"), extend, 404, "not_found"},
			{"upper supervisor records", "up_upper_supervisor", "POST", casePath(caseA, "/events"), extend, 403, "forbidden"},
			{"case manager records", "a_case_manager", "POST", casePath(caseA, "/events"), extend, 403, "forbidden"},
			// Assignment: the unit's case manager (rotation, designation) and chief (designation).
			{"upper supervisor assigns", "up_upper_supervisor", "POST", casePath(pendingA, "/assign"), designate("a_prosecutor"), 403, "forbidden"},
			{"chief rotates", "a_chief", "POST", casePath(pendingA, "/assign"), map[string]any{"mode": "rotation"}, 403, "forbidden"},
			{"other unit's case manager assigns", "b_case_manager", "POST", casePath(pendingA, "/assign"), map[string]any{"mode": "rotation"}, 404, "not_found"},
			{"other unit's chief designates", "b_chief", "POST", casePath(pendingA, "/assign"), designate("b_prosecutor"), 404, "not_found"},
			{"assign missing case", "a_case_manager", "POST", casePath(missing, "/assign"), map[string]any{"mode": "rotation"}, 404, "not_found"},
			{"designate someone of another unit", "a_case_manager", "POST", casePath(pendingA, "/assign"), designate("b_prosecutor"), 422, "validation"},
			{"designate a non-handler", "a_case_manager", "POST", casePath(pendingA, "/assign"), designate("a_dept_head"), 422, "validation"},
			{"assign an assigned case", "a_case_manager", "POST", casePath(caseA, "/assign"), map[string]any{"mode": "rotation"}, 422, "validation"},
			{"unknown mode", "a_case_manager", "POST", casePath(pendingA, "/assign"), map[string]any{"mode": "lottery"}, 422, "validation"},
			// Tokens: only one's own.
			{"revoke a missing token", "a_prosecutor", "DELETE", "/api/v1/tokens/987654", nil, 404, "not_found"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := e.do(t, c.user, c.method, c.path, c.body)
				if r.status != c.want {
					t.Fatalf("%s %s as %s: %s, want %d", c.method, c.path, c.user, r, c.want)
				}
				if c.code != "" && r.err(t).Error.Code != c.code {
					t.Errorf("code %q, want %q", r.err(t).Error.Code, c.code)
				}
			})
		}

		// Out of scope and missing are indistinguishable.
		strip := func(r response) string {
			a := r.err(t)
			return fmt.Sprintf("%d %s %s %v", r.status, a.Error.Code, a.Error.Message, a.Error.Fields)
		}
		outOfScope := e.do(t, "b_case_manager", "GET", casePath(caseA, ""), nil)
		absent := e.do(t, "b_case_manager", "GET", casePath(missing, ""), nil)
		if strip(outOfScope) != strip(absent) {
			t.Errorf("out of scope %q differs from missing %q", strip(outOfScope), strip(absent))
		}
		outOfScope = e.do(t, "b_prosecutor", "POST", casePath(caseA, "/events"), extend)
		absent = e.do(t, "b_prosecutor", "POST", casePath(missing, "/events"), extend)
		if strip(outOfScope) != strip(absent) {
			t.Errorf("event: out of scope %q differs from missing %q", strip(outOfScope), strip(absent))
		}

		// Unknown API paths answer the JSON 404.
		r := e.do(t, "a_case_manager", "GET", "/api/v1/nothing-here", nil)
		if r.status != 404 || r.err(t).Error.Code != "not_found" {
			t.Errorf("unknown path: %s", r)
		}
	})
}
