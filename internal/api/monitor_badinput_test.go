package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
)

// TestMonitorBadInput: every refused monitoring request answers with its
// status, a stable error code and, for 422, the field with its code and a
// Chinese message; none writes a finding, an action, a notice or a number.
func TestMonitorBadInput(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		caseA := e.inProgress(t, 1, "a_prosecutor")
		// A case of 乙县院: out of 甲县院's reach.
		idB, err := e.f.App.Cases.Register(t.Context(), e.f.Request(t, "b_case_manager"), apptest.Intake(2))
		if err != nil {
			t.Fatal(err)
		}
		open := e.monitorFinding(t, 3, "a_prosecutor", false)
		awaiting := e.monitorFinding(t, 4, "a_prosecutor", true)
		good := map[string]any{"case_id": caseA, "area": "files_out", "severity": "minor", "description": "卷宗未按期移送"}
		with := func(change map[string]any) map[string]any {
			m := map[string]any{}
			for k, v := range good {
				m[k] = v
			}
			for k, v := range change {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return m
		}
		long := strings.Repeat("案", 2001)
		for _, c := range []struct {
			user, method, path string
			badCase
		}{
			// Recording a finding by hand.
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: malformed", body: `{"case_id":`,
				status: 400, code: "malformed_json"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: case_id as string",
				body: with(map[string]any{"case_id": "12"}), status: 422, code: "validation", field: "case_id",
				fcode: "json_type_number", message: "类型错误"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: unknown field",
				body: with(map[string]any{"rule": "x"}), status: 422, code: "validation", field: "rule",
				fcode: "json_unknown_field", message: "未知字段“rule”"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: no case",
				body: with(map[string]any{"case_id": nil, "area": "weather"}), status: 422, code: "validation", field: "case_id",
				fcode: "required", message: "案件：必填"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: another unit's case",
				body: with(map[string]any{"case_id": idB}), status: 422, code: "validation", field: "case_id",
				fcode: "monitor_case_unknown", message: "案件：找不到该案件"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: no such case",
				body: with(map[string]any{"case_id": 987654}), status: 422, code: "validation", field: "case_id",
				fcode: "monitor_case_unknown", message: "案件：找不到该案件"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: unknown area",
				body: with(map[string]any{"area": "weather"}), status: 422, code: "validation", field: "area",
				fcode: "unknown_value", message: "监控范围：取值无效"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: unknown severity",
				body: with(map[string]any{"severity": "grave"}), status: 422, code: "validation", field: "severity",
				fcode: "unknown_value", message: "情节：取值无效"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: blank description",
				body: with(map[string]any{"description": " \n"}), status: 422, code: "validation", field: "description",
				fcode: "required", message: "问题描述：必填"}},
			{"a_case_manager", "POST", "/api/v1/monitor/findings", badCase{name: "create: description too long",
				body: with(map[string]any{"description": long}), status: 422, code: "validation", field: "description",
				fcode: "too_long", message: "问题描述：不能超过1000个字"}},
			// Actions.
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: malformed", body: `{"action"`,
				status: 400, code: "malformed_json"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: missing", body: `{}`,
				status: 422, code: "validation", field: "action", fcode: "required", message: "处置：必填"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: unknown",
				body: map[string]any{"action": "forgive"}, status: 422, code: "validation", field: "action",
				fcode: "unknown_value", message: "处置：取值无效"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: the system's escalation",
				body: map[string]any{"action": "escalate"}, status: 422, code: "validation", field: "action",
				fcode: "unknown_value", message: "处置："}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: rectified as string",
				body: map[string]any{"action": "close", "rectified": "yes"}, status: 422, code: "validation",
				field: "rectified", fcode: "json_type_bool", message: "类型错误"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: close without rectified",
				body: map[string]any{"action": "close", "note": "已核查"}, status: 422, code: "validation",
				field: "rectified", fcode: "required", message: "整改情况：必填"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: rectified on a prompt",
				body: map[string]any{"action": "prompt", "rectified": true}, status: 422, code: "validation",
				field: "rectified", fcode: "monitor_field_unused", message: "该处置不使用此项"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: text in the wrong field",
				body: map[string]any{"action": "notice", "note": "三日内移送"}, status: 422, code: "validation",
				field: "note", fcode: "monitor_field_unused", message: "说明：该处置不使用此项"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: transfer without a note",
				body: map[string]any{"action": "transfer"}, status: 422, code: "validation", field: "note",
				fcode: "required", message: "说明：必填"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: close without a note",
				body: map[string]any{"action": "close", "rectified": false}, status: 422, code: "validation", field: "note",
				fcode: "required", message: "说明：必填"}},
			{"a_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: report before any notice",
				body: map[string]any{"action": "report_chief"}, status: 422, code: "validation", field: "notice",
				fcode: "monitor_no_notice", message: "尚未发出流程监控通知书"}},
			{"a_case_manager", "POST", findingPath(awaiting, "/actions"), badCase{name: "action: a second notice",
				body: map[string]any{"action": "notice"}, status: 422, code: "validation", field: "notice",
				fcode: "monitor_notice_exists", message: "该问题已发出流程监控通知书"}},
			{"a_case_manager", "POST", findingPath(awaiting, "/actions"), badCase{name: "action: prompt after the notice",
				body: map[string]any{"action": "prompt"}, status: 422, code: "validation", field: "step",
				fcode: "monitor_prompt_after_notice", message: "处置阶段："}},
			{"a_case_manager", "POST", findingPath(awaiting, "/actions"), badCase{name: "action: rectified before the reply",
				body: map[string]any{"action": "close", "rectified": true, "note": "已核查"}, status: 422, code: "validation",
				field: "reply", fcode: "monitor_reply_pending", message: "通知书尚待书面回复"}},
			{"a_prosecutor", "POST", findingPath(awaiting, "/actions"), badCase{name: "action: empty reply",
				body: map[string]any{"action": "reply"}, status: 422, code: "validation", field: "reply",
				fcode: "required", message: "书面回复：必填"}},
			{"a_prosecutor", "POST", findingPath(awaiting, "/actions"), badCase{name: "action: reply too long",
				body: map[string]any{"action": "reply", "reply": long}, status: 422, code: "validation", field: "reply",
				fcode: "too_long", message: "书面回复：不能超过2000个字"}},
			{"a_prosecutor", "POST", findingPath(open, "/actions"), badCase{name: "action: reply without a notice",
				body: map[string]any{"action": "reply", "reply": "已整改"}, status: 422, code: "validation", field: "notice",
				fcode: "monitor_no_notice", message: "尚未发出流程监控通知书"}},
			{"a_prosecutor2", "POST", findingPath(awaiting, "/actions"), badCase{name: "action: not the handler's",
				body: map[string]any{"action": "reply", "reply": "已整改"}, status: 404, code: "not_found"}},
			{"a_case_manager", "POST", findingPath(987654, "/actions"), badCase{name: "action: no such finding",
				body: map[string]any{"action": "prompt"}, status: 404, code: "not_found"}},
			{"b_case_manager", "POST", findingPath(open, "/actions"), badCase{name: "action: another unit's finding",
				body: map[string]any{"action": "prompt"}, status: 404, code: "not_found"}},
			{"a_chief", "POST", findingPath(open, "/actions"), badCase{name: "action: the chief",
				body: map[string]any{"action": "prompt"}, status: 403, code: "forbidden"}},
			// The list's parameters.
			{"a_case_manager", "GET", "/api/v1/monitor/findings?status=lost", badCase{name: "list: unknown status",
				status: 422, code: "validation", field: "status", fcode: "unknown_value", message: "状态：取值无效"}},
			{"a_case_manager", "GET", "/api/v1/monitor/findings?rule=no_such_rule", badCase{name: "list: unknown rule",
				status: 422, code: "validation", field: "rule", fcode: "unknown_value", message: "监控规则：取值无效"}},
			{"a_case_manager", "GET", "/api/v1/monitor/findings?from=2026-02-30", badCase{name: "list: bad date",
				status: 422, code: "validation", field: "from", fcode: "date_invalid", message: "发现日期起：不是有效日期"}},
			{"a_case_manager", "GET", "/api/v1/monitor/findings?open=yes", badCase{name: "list: open=yes",
				status: 422, code: "validation", field: "open", fcode: "unknown_value", message: "仅未结："}},
			{"a_case_manager", "GET", "/api/v1/monitor/findings?handler_id=abc", badCase{name: "list: handler_id",
				status: 422, code: "validation", field: "handler_id", fcode: "id_invalid", message: "承办人：编号无效"}},
			{"a_case_manager", "GET", "/api/v1/monitor/findings?limit=500", badCase{name: "list: limit",
				status: 422, code: "validation", field: "limit", fcode: "unknown_value", message: "每页条数："}},
			{"a_case_manager", "GET", "/api/v1/monitor/findings?next=%25%25", badCase{name: "list: cursor",
				status: 422, code: "validation", field: "next", fcode: "cursor_invalid", message: "分页："}},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, mon := e.counts(t), e.monitorCounts(t)
				r := e.do(t, c.user, c.method, c.path, c.body)
				checkRefused(t, e, c.badCase, r, before)
				after := e.monitorCounts(t)
				for _, tbl := range monitorTables {
					if after[tbl] != mon[tbl] {
						t.Errorf("table %s: %d rows before, %d after", tbl, mon[tbl], after[tbl])
					}
				}
			})
		}
		// The refusals left the notice numbering where it was (no gap).
		r := e.do(t, "a_case_manager", "POST", findingPath(open, "/actions"), map[string]any{"action": "notice"})
		if r.status != http.StatusOK || !strings.Contains(string(r.body), "甲检检案管监〔2026〕2号") {
			t.Errorf("the next notice after the refusals: %s", r)
		}
	})
}
