package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
)

// badCase is one refused request: the status, the error code and, for
// 422, the field that must carry a problem and what its message says.
type badCase struct {
	name    string
	body    any
	status  int
	code    string
	field   string // error.fields key (422)
	fcode   string // error.fields[field].code
	message string // substring of error.fields[field].message (the Chinese field label first)
}

// checkRefused asserts the answer of a refused request: status and code;
// for 422 the field, its code and a Chinese message that starts with the
// field's label; and that no case data was written.
func checkRefused(t *testing.T, e *env, c badCase, r response, before counts) {
	t.Helper()
	defer e.unchanged(t, before)
	if r.status != c.status {
		t.Fatalf("%s, want %d", r, c.status)
	}
	a := r.err(t)
	if a.Error.Code != c.code {
		t.Errorf("error.code %q, want %q", a.Error.Code, c.code)
	}
	if a.Error.Message == "" || a.Error.RequestID == "" {
		t.Errorf("error without message or request id: %s", r.body)
	}
	if r.status != http.StatusUnprocessableEntity {
		if len(a.Error.Fields) != 0 {
			t.Errorf("fields on a %d: %v", r.status, a.Error.Fields)
		}
		return
	}
	for path, f := range a.Error.Fields {
		if f.Code == "" || f.Message == "" {
			t.Errorf("field %s without code or message: %+v", path, f)
		}
		if strings.Contains(f.Message, "⟦") {
			t.Errorf("field %s: untranslated message %q", path, f.Message)
		}
		if !strings.Contains(f.Message, "：") {
			t.Errorf("field %s: message %q does not name the field", path, f.Message)
		}
	}
	f, ok := a.Error.Fields[c.field]
	if !ok {
		t.Fatalf("no problem reported on %q: %s", c.field, r.body)
	}
	if c.fcode != "" && f.Code != c.fcode {
		t.Errorf("fields[%s].code = %q, want %q", c.field, f.Code, c.fcode)
	}
	if !strings.Contains(f.Message, c.message) {
		t.Errorf("fields[%s].message = %q, want it to contain %q", c.field, f.Message, c.message)
	}
}

// with returns a valid intake body changed by fn.
func with(fn func(m map[string]any)) map[string]any {
	m := intakeBody(apptest.Intake(7))
	fn(m)
	return m
}

func party(m map[string]any, i int) map[string]any { return m["parties"].([]any)[i].(map[string]any) }

// TestIntakeBadInput: every malformed or invalid intake is refused with a
// 4xx and field-level Chinese messages, and writes nothing (no case, party,
// checklist row, event, assignment or number).
func TestIntakeBadInput(t *testing.T) {
	badChecksum := apptest.IDNumber(7)
	last := badChecksum[17]
	for _, c := range "0123456789X" {
		if byte(c) != last {
			badChecksum = badChecksum[:17] + string(c)
			break
		}
	}
	huge := `{"category":"prosecution_review","name":"` + strings.Repeat("案", 400_000) + `"}` // 1.2 MB of UTF-8
	cases := []badCase{
		{name: "truncated JSON", body: `{"category":"prosecution_review",`, status: 400, code: "malformed_json"},
		{name: "not JSON", body: `category=prosecution_review`, status: 400, code: "malformed_json"},
		{name: "empty body", body: ``, status: 400, code: "malformed_json"},
		{name: "two values", body: `{} {}`, status: 400, code: "malformed_json"},
		{name: "trailing garbage", body: `{}x`, status: 400, code: "malformed_json"},
		{name: "body over 1 MiB", body: huge, status: 413, code: "body_too_large"},
		{name: "array instead of object", body: `[]`, status: 422, code: "validation", field: "body",
			fcode: "json_type_object", message: "请求体："},
		{name: "plea as string", body: with(func(m map[string]any) { m["plea"] = "yes" }), status: 422, code: "validation",
			field: "plea", fcode: "json_type_bool", message: "认罪认罚：类型错误，应为布尔值"},
		{name: "parties as object", body: with(func(m map[string]any) { m["parties"] = map[string]any{} }), status: 422,
			code: "validation", field: "parties", fcode: "json_type_array", message: "当事人：类型错误，应为数组"},
		{name: "received_on as number", body: with(func(m map[string]any) { m["received_on"] = 20260101 }), status: 422,
			code: "validation", field: "received_on", fcode: "json_type_string", message: "受理日期：类型错误，应为字符串"},
		{name: "custody of the second party as string",
			body:   with(func(m map[string]any) { party(m, 1)["custody"] = "是" }),
			status: 422, code: "validation", field: "parties[1].custody", fcode: "json_type_bool", message: "当事人2·在押："},
		{name: "charge as number", body: with(func(m map[string]any) { m["charges"] = []any{"盗窃罪", 264} }), status: 422,
			code: "validation", field: "charges[1]", fcode: "json_type_string", message: "涉嫌罪名2：类型错误，应为字符串"},
		{name: "unknown field", body: with(func(m map[string]any) { m["priority"] = "high" }), status: 422,
			code: "validation", field: "priority", fcode: "json_unknown_field", message: "请求体：未知字段“priority”"},
		{name: "unknown party field", body: with(func(m map[string]any) { party(m, 0)["phone"] = "13800000000" }),
			status: 422, code: "validation", field: "parties[0].phone", fcode: "json_unknown_field",
			message: "当事人1：未知字段“phone”"},
		{name: "invalid ID check digit", body: with(func(m map[string]any) { party(m, 0)["id_number"] = badChecksum }),
			status: 422, code: "validation", field: "parties[0].id_number", fcode: "id_checksum",
			message: "身份证号码校验位错误"},
		{name: "ID too short", body: with(func(m map[string]any) { party(m, 0)["id_number"] = "99010119800101" }),
			status: 422, code: "validation", field: "parties[0].id_number", fcode: "id_format", message: "当事人1·证件号码："},
		{name: "February 30", body: with(func(m map[string]any) { m["received_on"] = "2026-02-30" }), status: 422,
			code: "validation", field: "received_on", fcode: "date_invalid", message: "受理日期：不是有效日期"},
		{name: "month 13", body: with(func(m map[string]any) { m["received_on"] = "2026-13-01" }), status: 422,
			code: "validation", field: "received_on", fcode: "date_invalid", message: "受理日期："},
		{name: "date in another format", body: with(func(m map[string]any) { m["received_on"] = "2026/03/02" }),
			status: 422, code: "validation", field: "received_on", fcode: "date_invalid", message: "受理日期："},
		{name: "future date", body: with(func(m map[string]any) { m["received_on"] = "2026-03-17" }), status: 422,
			code: "validation", field: "received_on", fcode: "date_in_future", message: "受理日期：不能晚于今天"},
		{name: "impossible birth date", body: with(func(m map[string]any) { party(m, 1)["birth_date"] = "1990-02-29" }),
			status: 422, code: "validation", field: "parties[1].birth_date", fcode: "date_invalid", message: "当事人2·出生日期："},
		{name: "unknown category", body: with(func(m map[string]any) { m["category"] = "tax_review" }), status: 422,
			code: "validation", field: "category", fcode: "unknown_category", message: "案件类别：案件类别不存在"},
		{name: "missing category", body: with(func(m map[string]any) { delete(m, "category") }), status: 422,
			code: "validation", field: "category", fcode: "required", message: "案件类别：必填"},
		{name: "no parties", body: with(func(m map[string]any) { m["parties"] = []any{} }), status: 422,
			code: "validation", field: "parties", fcode: "parties_required", message: "当事人："},
		{name: "unknown outcome", body: with(func(m map[string]any) { m["outcome"] = "maybe" }), status: 422,
			code: "validation", field: "outcome", fcode: "unknown_value", message: "受理结论："},
		{name: "sealed without minor", body: with(func(m map[string]any) { m["sealed"] = true }), status: 422,
			code: "validation", field: "sealed", fcode: "sealed_needs_minor", message: "封存："},
		{name: "empty object", body: `{}`, status: 422, code: "validation", field: "name", fcode: "required",
			message: "名称：必填"},
	}
	eachEngine(t, nil, func(t *testing.T, e *env) {
		// One accepted case first, so the counts are not trivially zero.
		if r := e.do(t, "a_case_manager", "POST", "/api/v1/cases", intakeBody(apptest.Intake(1))); r.status != 201 {
			t.Fatalf("valid intake: %s", r)
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := e.counts(t)
				r := e.do(t, "a_case_manager", "POST", "/api/v1/cases", c.body)
				checkRefused(t, e, c, r, before)
			})
		}
		// The same valid body still goes through: the refusals left the
		// numbering where it was (no gap).
		r := e.do(t, "a_case_manager", "POST", "/api/v1/cases", intakeBody(apptest.Intake(2)))
		if r.status != 201 {
			t.Fatalf("valid intake after the refusals: %s", r)
		}
		var c struct {
			StageNo string `json:"stage_no"`
		}
		r.decode(t, &c)
		if !strings.HasSuffix(c.StageNo, "000002号") {
			t.Errorf("second accepted case has stage number %s, want sequence 000002 (no gap)", c.StageNo)
		}
	})
}

// TestOtherBodiesBadInput: the token, event and assignment bodies are
// decoded just as strictly.
func TestOtherBodiesBadInput(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		pending := e.register(t, apptest.Intake(1))
		handled := e.inProgress(t, 2, "a_prosecutor")
		for _, c := range []struct {
			user, method, path string
			badCase
		}{
			{"", "POST", "/api/v1/tokens", badCase{name: "token: malformed", body: `{"username":`, status: 400, code: "malformed_json"}},
			{"", "POST", "/api/v1/tokens", badCase{name: "token: password as number",
				body: `{"username":"a_prosecutor","password":12345678}`, status: 422, code: "validation", field: "password",
				fcode: "json_type_string", message: "密码：类型错误，应为字符串"}},
			{"", "POST", "/api/v1/tokens", badCase{name: "token: unknown field",
				body: `{"username":"a_prosecutor","password":"x","otp":"123456"}`, status: 422, code: "validation",
				field: "otp", fcode: "json_unknown_field", message: "未知字段“otp”"}},
			{"", "POST", "/api/v1/tokens", badCase{name: "token: missing password", body: `{"username":"a_prosecutor"}`,
				status: 422, code: "validation", field: "password", fcode: "required", message: "密码：必填"}},
			{"", "POST", "/api/v1/tokens", badCase{name: "token: bad ttl",
				body:   map[string]any{"username": "a_prosecutor", "password": apptest.Password, "ttl": "forever"},
				status: 422, code: "validation", field: "ttl", fcode: "unknown_value", message: "有效期："}},
			{"", "POST", "/api/v1/tokens", badCase{name: "token: ttl over a year",
				body:   map[string]any{"username": "a_prosecutor", "password": apptest.Password, "ttl": "9000h"},
				status: 422, code: "validation", field: "ttl", fcode: "ttl_too_long", message: "有效期：有效期不能超过366天"}},
			{"a_prosecutor", "POST", casePath(handled, "/events"), badCase{name: "event: malformed", body: `{"code":"extended"`,
				status: 400, code: "malformed_json"}},
			{"a_prosecutor", "POST", casePath(handled, "/events"), badCase{name: "event: occurred_on as number",
				body: `{"code":"extended","occurred_on":20260310}`, status: 422, code: "validation", field: "occurred_on",
				fcode: "json_type_string", message: "发生日期：类型错误，应为字符串"}},
			{"a_prosecutor", "POST", casePath(handled, "/events"), badCase{name: "event: unknown field",
				body: `{"code":"extended","occurred_on":"2026-03-10","actor_id":1}`, status: 422, code: "validation",
				field: "actor_id", fcode: "json_unknown_field", message: "未知字段“actor_id”"}},
			{"a_prosecutor", "POST", casePath(handled, "/events"), badCase{name: "event: body over 1 MiB",
				body:   `{"code":"extended","occurred_on":"2026-03-10","note":"` + strings.Repeat("x", 1<<20) + `"}`,
				status: 413, code: "body_too_large"}},
			{"a_case_manager", "POST", casePath(pending, "/assign"), badCase{name: "assign: handler_id as string",
				body: `{"mode":"designated","handler_id":"5","reason":"x"}`, status: 422, code: "validation",
				field: "handler_id", fcode: "json_type_number", message: "承办人：类型错误，应为数字"}},
			{"a_case_manager", "POST", casePath(pending, "/assign"), badCase{name: "assign: handler_id fractional",
				body: `{"mode":"designated","handler_id":5.5,"reason":"x"}`, status: 422, code: "validation",
				field: "handler_id", fcode: "json_type_number", message: "承办人："}},
			{"a_case_manager", "POST", casePath(pending, "/assign"), badCase{name: "assign: designation without reason",
				body: map[string]any{"mode": "designated", "handler_id": e.f.User(t, "a_prosecutor").ID}, status: 422,
				code: "validation", field: "reason", fcode: "required", message: "指定理由：必填"}},
			{"a_case_manager", "POST", casePath(pending, "/assign"), badCase{name: "assign: malformed", body: `{"mode":}`,
				status: 400, code: "malformed_json"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := e.counts(t)
				r := e.do(t, c.user, c.method, c.path, c.body)
				checkRefused(t, e, c.badCase, r, before)
			})
		}
		if s := e.status(t, pending); s != "pending_assignment" {
			t.Errorf("pending case is now %s", s)
		}
	})
}

// TestForbiddenTransitions: events the state machine refuses answer 422
// with a Chinese message on code, occurred_on or outcome, and write
// nothing: no event row, and the case keeps its status and counters.
func TestForbiddenTransitions(t *testing.T) {
	type ev struct{ code, on, outcome string }
	eachEngine(t, nil, func(t *testing.T, e *env) {
		for i, c := range []struct {
			badCase
			category string // default prosecution_review
			history  []ev   // recorded first by the handler
			event    map[string]any
		}{
			{badCase: badCase{name: "third return for supplementary investigation", field: "code", fcode: "return_limit",
				message: "程序事件：退回补充侦查以二次为限"},
				history: []ev{{"returned", "2026-03-03", ""}, {"resubmitted", "2026-03-04", ""},
					{"returned", "2026-03-05", ""}, {"resubmitted", "2026-03-06", ""}},
				event: map[string]any{"code": "returned", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "return while a return is outstanding", field: "code", fcode: "return_outstanding",
				message: "程序事件："},
				history: []ev{{"returned", "2026-03-03", ""}},
				event:   map[string]any{"code": "returned", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "resubmission with no return outstanding", field: "code",
				fcode: "resubmit_without_return", message: "程序事件：没有待重新移送的退回补充侦查"},
				event: map[string]any{"code": "resubmitted", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "event before receipt", field: "occurred_on", fcode: "before_receipt",
				message: "发生日期：不能早于受理日期（2026-03-02）"},
				event: map[string]any{"code": "extended", "occurred_on": "2026-03-01"}},
			{badCase: badCase{name: "event in the future", field: "occurred_on", fcode: "date_in_future",
				message: "发生日期：不能晚于今天"},
				event: map[string]any{"code": "extended", "occurred_on": "2026-03-17"}},
			{badCase: badCase{name: "impossible event date", field: "occurred_on", fcode: "date_invalid",
				message: "发生日期：不是有效日期"},
				event: map[string]any{"code": "extended", "occurred_on": "2026-02-30"}},
			{badCase: badCase{name: "second extension", field: "code", fcode: "extension_limit",
				message: "程序事件：延长审查期限只能一次"},
				history: []ev{{"extended", "2026-03-03", ""}},
				event:   map[string]any{"code": "extended", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "decision of another category", field: "outcome", fcode: "outcome_invalid",
				message: "请选择该类案件的处理决定"},
				event: map[string]any{"code": "decided", "occurred_on": "2026-03-09", "outcome": "approve_arrest"}},
			{badCase: badCase{name: "decision without outcome", field: "outcome", fcode: "outcome_invalid",
				message: "请选择该类案件的处理决定"},
				event: map[string]any{"code": "decided", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "event on a closed case", field: "code", fcode: "case_closed",
				message: "程序事件：案件已结案，不能再登记程序事件"},
				history: []ev{{"decided", "2026-03-05", "prosecute"}, {"closed", "2026-03-06", ""}},
				event:   map[string]any{"code": "jurisdiction_changed", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "closing a closed case", field: "code", fcode: "case_closed", message: "程序事件："},
				history: []ev{{"decided", "2026-03-05", "prosecute"}, {"closed", "2026-03-06", ""}},
				event:   map[string]any{"code": "closed", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "closing before a decision", field: "code", fcode: "close_not_decided",
				message: "程序事件：须先作出处理决定才能结案"},
				event: map[string]any{"code": "closed", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "event the system writes", field: "code", fcode: "event_not_in_procedure",
				message: "程序事件：该类案件没有此程序事件"},
				event: map[string]any{"code": "received", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "return on an arrest review", field: "code", fcode: "event_not_in_procedure",
				message: "程序事件："}, category: "arrest_review",
				event: map[string]any{"code": "returned", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "unknown event", field: "code", fcode: "event_not_in_procedure", message: "程序事件："},
				event: map[string]any{"code": "escalated", "occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "missing code", field: "code", fcode: "required", message: "程序事件：必填"},
				event: map[string]any{"occurred_on": "2026-03-09"}},
			{badCase: badCase{name: "ending an assessment never started", field: "code", fcode: "assessment_not_started",
				message: "程序事件：没有进行中的鉴定"},
				event: map[string]any{"code": "assessment_ended", "occurred_on": "2026-03-09"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := apptest.Intake(10 + i)
				if c.category != "" {
					in.Category = c.category
				}
				id := e.register(t, in)
				e.designate(t, id, "a_prosecutor")
				for _, h := range c.history {
					e.event(t, id, "a_prosecutor", h.code, h.on, h.outcome)
				}
				status := e.status(t, id)
				before := e.counts(t)
				r := e.do(t, "a_prosecutor", "POST", casePath(id, "/events"), c.event)
				c.status, c.code = http.StatusUnprocessableEntity, "validation"
				checkRefused(t, e, c.badCase, r, before)
				if s := e.status(t, id); s != status {
					t.Errorf("status moved from %s to %s", status, s)
				}
			})
		}
	})
}
