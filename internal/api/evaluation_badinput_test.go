package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/evaluation"
)

// TestEvaluationBadInput: every refused case-quality request answers with
// its status, a stable error code and, for 422, the field with its code
// and a Chinese message; none writes a row of any evaluation table (nor
// bumps a version) or of the case tables. Among them the four the issue
// names: an item not in the template, a grade not in the scale, an
// objection after its period (the clock moved), a recused evaluator.
func TestEvaluationBadInput(t *testing.T) {
	clk := newClock()
	eachEngine(t, clk.now, func(t *testing.T, e *env) {
		scoring, _ := e.record(t, 900, recSpec{handler: "a_prosecutor", evaluator: "a_prosecutor2",
			others: []string{"a_prosecutor3"}, status: evaluation.StatusScoring})
		proposed, _ := e.record(t, 901, recSpec{handler: "a_prosecutor", evaluator: "a_prosecutor2",
			status: evaluation.StatusProposed})
		objected, _ := e.record(t, 902, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor3",
			committee: []string{"a_dept_head"}, status: evaluation.StatusObjected})
		final, _ := e.record(t, 903, recSpec{handler: "a_prosecutor2", evaluator: "a_prosecutor3",
			status: evaluation.StatusFinal})
		plan, _ := e.planning(t, 904, false)
		pending := e.selfCheck(t, 905, "a_prosecutor", false)
		filed := e.selfCheck(t, 906, "a_prosecutor", true)
		rec := func(id int64, rest string) string { return qualityPath("records", id, rest) }
		file := e.templateFile(t, "prosecution_review")
		item := file["aspects"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)
		item["title"] = ""
		file["categories"] = []any{"weather"}
		file["extra"] = 1
		long := strings.Repeat("评", 2001)
		for _, c := range []struct {
			user, method, path string
			badCase
		}{
			// Scoring.
			{"a_prosecutor2", "POST", rec(scoring, "/score"), badCase{name: "score: an item not in the template",
				body:   map[string]any{"findings": []any{map[string]any{"item_code": "ZZ-99", "option": "flaw", "note": "x"}}},
				status: 422, code: "validation", field: "findings[0].item_code", fcode: "evaluation_item_unknown",
				message: "评查项目：评查模板中没有项目“ZZ-99”"}},
			{"a_prosecutor2", "POST", rec(scoring, "/score"), badCase{name: "score: an option the item does not offer",
				body:   map[string]any{"findings": []any{map[string]any{"item_code": "PS-PC-08", "option": "flaw", "note": "x"}}},
				status: 422, code: "validation", field: "findings[0].option", fcode: "evaluation_option_unknown",
				message: "评查结论：该项目没有评查结论选项“flaw”"}},
			{"a_prosecutor2", "POST", rec(scoring, "/score"), badCase{name: "score: a problem without a note",
				body:   map[string]any{"findings": []any{map[string]any{"item_code": "PS-EV-01", "option": "serious"}}},
				status: 422, code: "validation", field: "findings[0].note", fcode: "required", message: "说明：必填"}},
			{"a_prosecutor2", "POST", rec(scoring, "/score"), badCase{name: "score: findings as an object",
				body: map[string]any{"findings": map[string]any{}}, status: 422, code: "validation", field: "findings",
				fcode: "json_type_array", message: "评查问题：类型错误"}},
			{"a_prosecutor2", "POST", rec(scoring, "/score"), badCase{name: "score: unknown field",
				body: map[string]any{"findings": []any{}, "grade": "basic"}, status: 422, code: "validation", field: "grade",
				fcode: "json_unknown_field", message: "未知字段“grade”"}},
			{"a_prosecutor2", "POST", rec(scoring, "/score"), badCase{name: "score: malformed", body: `{"findings": [`,
				status: 400, code: "malformed_json"}},
			// Another evaluator of the activity sees only the cases given to
			// them: this one is not there.
			{"a_prosecutor3", "POST", rec(scoring, "/score"), badCase{name: "score: not the record's evaluator",
				body: map[string]any{"findings": []any{}}, status: 404, code: "not_found"}},
			{"a_case_manager", "POST", rec(scoring, "/score"), badCase{name: "score: the organiser",
				body: map[string]any{"findings": []any{}}, status: 403, code: "forbidden"}},
			{"b_prosecutor", "POST", rec(scoring, "/score"), badCase{name: "score: another unit",
				body: map[string]any{"findings": []any{}}, status: 404, code: "not_found"}},
			// Grades.
			{"a_prosecutor2", "POST", rec(scoring, "/propose"), badCase{name: "propose: a grade not in the scale",
				body: map[string]any{"grade": "flawed", "reasons": "瑕疵"}, status: 422, code: "validation", field: "grade",
				fcode: "evaluation_grade_unknown", message: "等次：不是本次评查所用等次标准中的等次"}},
			{"a_prosecutor2", "POST", rec(scoring, "/propose"), badCase{name: "propose: without reasons",
				body: map[string]any{"grade": "qualified"}, status: 422, code: "validation", field: "reasons",
				fcode: "required", message: "理由：必填"}},
			{"a_prosecutor3", "POST", rec(objected, "/decide"), badCase{name: "decide: the evaluator decides",
				body: map[string]any{"grade": "basic", "reason": "维持"}, status: 403, code: "forbidden"}},
			{"a_dept_head", "POST", rec(objected, "/decide"), badCase{name: "decide: a contested finding left open",
				body: map[string]any{"grade": "basic", "reason": "维持"}, status: 422, code: "validation", field: "items",
				fcode: "evaluation_decision_missing", message: "问题项：异议问题“PS-EV-01”尚未作出决定"}},
			{"a_dept_head", "POST", rec(objected, "/decide"), badCase{name: "decide: a grade above the findings",
				body: map[string]any{"items": []any{map[string]any{"item_code": "PS-EV-01", "overturn": false, "reason": "维持"}},
					"grade": "qualified", "reason": "维持"}, status: 422, code: "validation", field: "grade",
				fcode: "evaluation_grade_above_findings", message: "等次：等次不能高于所列问题对应的等次“基本合格案件”"}},
			// The response.
			{"a_prosecutor", "POST", rec(proposed, "/respond"), badCase{name: "respond: unknown response",
				body: map[string]any{"response": "maybe"}, status: 422, code: "validation", field: "response",
				fcode: "unknown_value", message: "反馈：取值无效"}},
			{"a_prosecutor", "POST", rec(proposed, "/respond"), badCase{name: "respond: items with an agreement",
				body:   map[string]any{"response": "agree", "items": []any{map[string]any{"item_code": "PS-EV-01"}}},
				status: 422, code: "validation", field: "items", fcode: "evaluation_field_unused", message: "问题项："}},
			{"a_prosecutor", "POST", rec(proposed, "/respond"), badCase{name: "respond: an objection without reasons",
				body: map[string]any{"response": "object"}, status: 422, code: "validation", field: "reason",
				fcode: "required", message: "理由：必填"}},
			{"a_prosecutor", "POST", rec(proposed, "/respond"), badCase{name: "respond: an objection too long",
				body: map[string]any{"response": "object", "reason": long}, status: 422, code: "validation", field: "reason",
				fcode: "too_long", message: "理由：不能超过2000个字"}},
			{"a_prosecutor2", "POST", rec(proposed, "/respond"), badCase{name: "respond: not the handler",
				body: map[string]any{"response": "agree"}, status: 403, code: "forbidden"}},
			// Assignment: a recused evaluator.
			{"a_case_manager", "POST", rec(scoring, "/assign"), badCase{name: "assign: the handler",
				body: map[string]any{"evaluator_id": e.f.User(t, "a_prosecutor").ID}, status: 422, code: "validation",
				field: "evaluator_id", fcode: "evaluation_not_evaluator", message: "评查员：该人员不是本次评查活动的评查员"}},
			{"a_case_manager", "POST", rec(final, "/assign"), badCase{name: "assign: after the grade",
				body: map[string]any{"evaluator_id": e.f.User(t, "a_prosecutor2").ID}, status: 422, code: "validation",
				field: "status", fcode: "evaluation_wrong_step", message: "状态："}},
			// Follow-up.
			{"a_case_manager", "POST", rec(final, "/followups"), badCase{name: "followup: a referral of a grade that passes",
				body: map[string]any{"kind": "referral", "note": "移送"}, status: 422, code: "validation", field: "kind",
				fcode: "evaluation_referral_needs_fail", message: "类型：只有不合格案件才能移送追责"}},
			{"a_case_manager", "POST", rec(final, "/followups"), badCase{name: "followup: unknown kind",
				body: map[string]any{"kind": "praise", "note": "表扬"}, status: 422, code: "validation", field: "kind",
				fcode: "unknown_value", message: "类型：取值无效"}},
			// Activities.
			{"a_case_manager", "POST", "/api/v1/quality/activities", badCase{name: "create: everything wrong",
				body: map[string]any{"name": "", "kind": "weekly", "unit_ids": []int64{e.f.UnitB.ID}, "categories": []string{},
					"closed_from": "2026-03-10", "closed_to": "2026-03-01", "scale_code": "1999", "leader_id": 0,
					"evaluator_ids": []int64{}, "deadline": "2026-01-01"},
				status: 422, code: "validation", field: "unit_ids[0]", fcode: "evaluation_unit_out_of_scope",
				message: "评查范围（单位）：只能评查本院及下级院的案件"}},
			{"a_case_manager", "POST", "/api/v1/quality/activities", badCase{name: "create: unit_ids as numbers",
				body: map[string]any{"unit_ids": e.f.UnitA.ID}, status: 422, code: "validation", field: "unit_ids",
				fcode: "json_type_array", message: "评查范围（单位）：类型错误"}},
			{"a_case_manager", "POST", qualityPath("activities", plan, "/draw"), badCase{name: "draw: no method",
				body: map[string]any{"rate": 10}, status: 422, code: "validation", field: "method", fcode: "required",
				message: "抽取方式：必填"}},
			{"a_case_manager", "POST", qualityPath("activities", plan, "/draw"), badCase{name: "draw: rules with a rate",
				body: map[string]any{"method": "rules", "rules": []string{"np_insufficient"}, "rate": 10}, status: 422,
				code: "validation", field: "rate", fcode: "evaluation_field_unused", message: "抽取比例：选择“rules”时不应填写此项"}},
			{"a_case_manager", "POST", qualityPath("activities", plan, "/draw"), badCase{name: "draw: rate out of range",
				body: map[string]any{"method": "random", "rate": 0}, status: 422, code: "validation", field: "rate",
				fcode: "evaluation_rate", message: "抽取比例：抽取比例须在1%至100%之间"}},
			{"a_case_manager", "POST", qualityPath("activities", plan, "/draw"), badCase{name: "draw: an unknown rule",
				body: map[string]any{"method": "rules", "rules": []string{"lucky"}}, status: 422, code: "validation",
				field: "rules[0]", fcode: "unknown_value", message: "抽取规则：取值无效"}},
			{"a_case_manager", "POST", qualityPath("activities", plan, "/start"), badCase{name: "start: unassigned",
				status: 422, code: "validation", field: "records", fcode: "evaluation_unassigned",
				message: "评查案件：还有1件案件未分配评查员"}},
			{"a_case_manager", "POST", qualityPath("activities", plan, "/start"), badCase{name: "start: a field sent",
				body: map[string]any{"now": true}, status: 422, code: "validation", field: "now", fcode: "json_unknown_field",
				message: "未知字段“now”"}},
			{"b_case_manager", "POST", qualityPath("activities", plan, "/assign"), badCase{name: "assign: another unit",
				status: 404, code: "not_found"}},
			// Self-checks.
			{"a_prosecutor", "POST", qualityPath("self-checks", pending, "/submit"), badCase{name: "submit: no report",
				body: map[string]any{"findings": []any{}}, status: 422, code: "validation", field: "summary",
				fcode: "required", message: "自查报告：必填"}},
			{"a_prosecutor", "POST", qualityPath("self-checks", filed, "/submit"), badCase{name: "submit: twice",
				body: map[string]any{"findings": []any{}, "summary": "再次提交"}, status: 422, code: "validation",
				field: "status", fcode: "evaluation_check_submitted", message: "状态：自查已提交，不能重复提交"}},
			{"a_prosecutor2", "POST", qualityPath("self-checks", pending, "/submit"), badCase{name: "submit: not the handler's",
				body: map[string]any{"findings": []any{}, "summary": "x"}, status: 404, code: "not_found"}},
			{"a_dept_head", "POST", qualityPath("self-checks", filed, "/verify"), badCase{name: "verify: a verdict missing",
				body: map[string]any{"verdicts": []any{}}, status: 422, code: "validation", field: "verdicts",
				fcode: "evaluation_verdict_missing", message: "核查意见：自查问题“PS-PC-02”尚未给出核查意见"}},
			{"a_dept_head", "POST", qualityPath("self-checks", filed, "/verify"), badCase{name: "verify: disagree without reason",
				body: map[string]any{"verdicts": []any{map[string]any{"item_code": "PS-PC-02", "agree": false}}}, status: 422,
				code: "validation", field: "verdicts[0].reason", fcode: "required", message: "理由：必填"}},
			{"a_dept_head", "POST", qualityPath("self-checks", pending, "/verify"), badCase{name: "verify: before it is filed",
				body: map[string]any{"verdicts": []any{}}, status: 422, code: "validation", field: "status",
				fcode: "evaluation_check_not_submitted", message: "状态：承办人尚未提交自查"}},
			// Templates: every problem of a file, with its path.
			{"a_case_manager", "POST", "/api/v1/quality/templates", badCase{name: "import: an unknown field in the file",
				body: map[string]any{"note": "修订", "template": file}, status: 422, code: "validation", field: "template.extra",
				fcode: "json_unknown_field", message: "模板文件：未知字段“extra”"}},
			{"a_case_manager", "POST", "/api/v1/quality/templates", badCase{name: "import: no template",
				body: map[string]any{"note": "修订"}, status: 422, code: "validation", field: "template",
				fcode: "required", message: "模板文件：必填"}},
			{"a_case_manager", "POST", "/api/v1/quality/templates", badCase{name: "import: an unknown field",
				body: map[string]any{"note": "修订", "file": map[string]any{}}, status: 422, code: "validation", field: "file",
				fcode: "json_unknown_field", message: "未知字段“file”"}},
			{"a_sysadmin", "POST", "/api/v1/quality/templates", badCase{name: "import: malformed", body: `{"note":`,
				status: 400, code: "malformed_json"}},
			// Lists and statistics.
			{"a_case_manager", "GET", "/api/v1/quality/records?status=lost", badCase{name: "records: unknown status",
				status: 422, code: "validation", field: "status", fcode: "unknown_value", message: "状态：取值无效"}},
			{"a_case_manager", "GET", "/api/v1/quality/records?activity_id=x", badCase{name: "records: activity_id",
				status: 422, code: "validation", field: "activity_id", fcode: "id_invalid", message: "评查活动：编号无效"}},
			{"a_case_manager", "GET", "/api/v1/quality/self-checks?closed_from=2026-02-30", badCase{name: "self-checks: date",
				status: 422, code: "validation", field: "closed_from", fcode: "date_invalid", message: "办结日期起：不是有效日期"}},
			{"a_case_manager", "GET", "/api/v1/quality/self-checks?overdue=1", badCase{name: "self-checks: overdue=1",
				status: 422, code: "validation", field: "overdue", fcode: "unknown_value", message: "仅逾期：取值无效"}},
			{"a_case_manager", "GET", "/api/v1/quality/activities?kind=weekly", badCase{name: "activities: kind",
				status: 422, code: "validation", field: "kind", fcode: "unknown_value", message: "类型：取值无效"}},
			{"a_chief", "GET", "/api/v1/quality/statistics?by=weather", badCase{name: "statistics: by",
				status: 422, code: "validation", field: "by", fcode: "unknown_value", message: "统计维度：取值无效"}},
			{"a_chief", "GET", "/api/v1/quality/statistics?scale=1999", badCase{name: "statistics: scale",
				status: 422, code: "validation", field: "scale", fcode: "unknown_value", message: "等次标准：取值无效"}},
			{"a_chief", "GET", "/api/v1/quality/statistics?to=2026-13-01", badCase{name: "statistics: date",
				status: 422, code: "validation", field: "to", fcode: "date_invalid", message: "日期止：不是有效日期"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, eval := e.counts(t), e.evalCounts(t)
				r := e.do(t, c.user, c.method, c.path, c.body)
				checkRefused(t, e, c.badCase, r, before)
				e.evalUnchanged(t, eval)
			})
		}

		// A recused evaluator: the handler is one of the activity's
		// evaluators here, and is refused with the reason.
		own, _ := e.record(t, 907, recSpec{handler: "a_prosecutor", evaluator: "a_prosecutor2",
			others: []string{"a_prosecutor"}, status: evaluation.StatusScoring})
		before, eval := e.counts(t), e.evalCounts(t)
		r := e.do(t, "a_case_manager", "POST", qualityPath("records", own, "/assign"),
			map[string]any{"evaluator_id": e.f.User(t, "a_prosecutor").ID})
		checkRefused(t, e, badCase{status: 422, code: "validation", field: "evaluator_id",
			fcode: "evaluation_recused_handler", message: "评查员：测prosecutor是本案承办人，应当回避"}, r, before)
		e.evalUnchanged(t, eval)

		// An objection after the response period (five working days from
		// 16 March: the last day is 23 March) is refused; the same on the
		// last day goes through.
		clk.advance(8 * 24 * time.Hour) // 24 March
		e.freshToken(t, "a_prosecutor") // the first one has expired
		before, eval = e.counts(t), e.evalCounts(t)
		r = e.do(t, "a_prosecutor", "POST", qualityPath("records", proposed, "/respond"),
			map[string]any{"response": "object", "reason": "告知时间记录有误"})
		checkRefused(t, e, badCase{status: 422, code: "validation", field: "response_due",
			fcode: "evaluation_objection_late", message: "反馈期限：反馈期限已于2026-03-23届满，不能再提出异议"}, r, before)
		e.evalUnchanged(t, eval)
		clk.advance(-24 * time.Hour) // 23 March
		if r := e.do(t, "a_prosecutor", "POST", qualityPath("records", proposed, "/respond"),
			map[string]any{"response": "object", "reason": "告知时间记录有误"}); r.status != 200 {
			t.Errorf("objection on the last day: %s", r)
		}
		clk.advance(-7 * 24 * time.Hour)
	})
}

func (e *env) evalUnchanged(t *testing.T, before map[string]int) {
	t.Helper()
	after := e.evalCounts(t)
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d before, %d after: a refused request wrote data", k, n, after[k])
		}
	}
}

// freshToken issues the user a new token (after the clock moved past the
// old one's expiry).
func (e *env) freshToken(t *testing.T, username string) {
	t.Helper()
	e.mu.Lock()
	delete(e.tokens, username)
	e.mu.Unlock()
	e.token(t, username)
}
