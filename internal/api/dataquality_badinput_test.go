package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
)

// dqBad is one refused data-quality request. A body of type upload is
// sent raw to the import route; anything else goes through do. field is
// the error.fields key of a 422 validation; message is a substring of its
// message, or of error.message when there is no field.
type dqBad struct {
	name, user, method, path string
	body                     any
	status                   int
	code                     string
	field, fcode, message    string
}

func (e *env) sendBad(t *testing.T, c dqBad) response {
	t.Helper()
	if u, ok := c.body.(upload); ok {
		return e.upload(t, c.user, u.ctype, u.name, u.data)
	}
	return e.do(t, c.user, c.method, c.path, c.body)
}

// checkDQRefused asserts the answer of a refused request: status, code, a
// Chinese message with the request id, and for a field the field's code
// and message (each field's message naming its field).
func checkDQRefused(t *testing.T, c dqBad, r response) {
	t.Helper()
	if r.status != c.status {
		t.Fatalf("%s, want %d", r, c.status)
	}
	a := r.err(t)
	if a.Error.Code != c.code {
		t.Errorf("error.code %q, want %q", a.Error.Code, c.code)
	}
	if a.Error.Message == "" || a.Error.RequestID == "" || strings.Contains(string(r.body), "⟦") {
		t.Errorf("error without message or request id, or untranslated: %s", r.body)
	}
	for path, f := range a.Error.Fields {
		if f.Code == "" || !strings.Contains(f.Message, "：") {
			t.Errorf("field %s: %+v does not name the field", path, f)
		}
	}
	if c.field == "" {
		if len(a.Error.Fields) != 0 {
			t.Errorf("fields on %s: %v", c.code, a.Error.Fields)
		}
		if !strings.Contains(a.Error.Message, c.message) {
			t.Errorf("error.message %q, want it to contain %q", a.Error.Message, c.message)
		}
		return
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

// gb18030 re-encodes a UTF-8 CSV (its byte order mark dropped) as Excel
// on Chinese Windows saves it.
func gb18030(t *testing.T, utf8CSV []byte) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes(bytes.TrimPrefix(utf8CSV, []byte("\xEF\xBB\xBF")))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDataQualityBadInput: every refused data-quality request answers with
// its status, a stable error code and a Chinese message (for 422 the field
// with its code); none writes a card, an import, an upload, a change, a
// problem, a rule version or a scan, nor bumps a version. Among them the
// files a user really uploads: not a spreadsheet, a GB18030 CSV with the
// wrong headers, a truncated workbook, a 50 MB body, a formula planted in
// a cell.
func TestDataQualityBadInput(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		e.installRules(t)
		early := cleanCard("2")
		early.ReceivedOn, early.DecidedOn = "2026-02-10", "2026-02-05"
		late := cleanCard("4")
		late.EnteredOn = "2026-03-10"
		cards := e.importCards(t, early, late)
		wrong := e.problemOf(t, "a_case_manager", cards[early.StageNo], "DQ-001")
		card := cards[early.StageNo]
		var cardVersion int
		if err := e.raw.QueryRow(`SELECT version FROM case_cards WHERE id = $1`, card).Scan(&cardVersion); err != nil {
			t.Fatal(err)
		}
		// A problem of 乙县院.
		other := cleanCard("7")
		other.StageNo, other.DecidedOn = "乙检刑诉受〔2026〕7号", "2026-01-05"
		pb := e.f.User(t, "b_case_manager").Principal()
		if _, _, err := e.f.App.Data.ImportFile(context.Background(), audit.ActorOf(pb, "127.0.0.1", "test"),
			e.f.UnitB.ID, "b.csv", e.cardsCSV(t, other), false); err != nil {
			t.Fatal(err)
		}
		var otherCard int64
		if err := e.raw.QueryRow(`SELECT id FROM case_cards WHERE stage_no = $1`, other.StageNo).Scan(&otherCard); err != nil {
			t.Fatal(err)
		}
		otherProblem := e.problemOf(t, "b_case_manager", otherCard, "DQ-001")

		// A case registered in anguan: its card follows the case.
		caseID := e.inProgress(t, 1, "a_prosecutor")
		var caseCard int64
		if err := e.raw.QueryRow(`SELECT id FROM case_cards WHERE case_id = $1`, caseID).Scan(&caseCard); err != nil {
			t.Fatalf("the card of case %d: %v", caseID, err)
		}

		waive := dataPath("problems", wrong.ID, "/waive")
		cardPath := dataPath("cards", card, "")
		patch := func(values map[string]any) map[string]any {
			return map[string]any{"version": cardVersion, "values": values}
		}
		rule := map[string]any{"version": 1, "title": "填录日期晚于当前日期", "kind": "wrong", "severity": "normal",
			"sources": []string{"import"}, "item": "entered_on", "when": "before(today, card.EnteredOn)",
			"reference": "案件信息填录规范", "hint": "请核对填录日期", "fix_days": 5}
		ruleWith := func(k string, v any) map[string]any {
			m := map[string]any{}
			for kk, vv := range rule {
				m[kk] = vv
			}
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
			return m
		}
		newRule := ruleWith("version", nil)
		newRule["id"] = "DQ-001"
		badID := ruleWith("version", nil)
		badID["id"] = "dq1"

		// Files.
		csvFile := e.cardsCSV(t, cleanCard("5"))
		wrongHeaders := gb18030(t, bytes.Replace(csvFile, []byte("案件名称"), []byte("案件名字"), 1))
		noCategory := gb18030(t, []byte("部门受案号,案件名称\r\n甲检刑诉受〔2026〕9号,李某盗窃案\r\n"))
		workbook := e.cardsXLSX(t, cleanCard("6"))
		formula := bytes.Replace(csvFile, []byte("张某5盗窃案"), []byte(`"=HYPERLINK(""http://example.invalid/"",""点此查看"")"`), 1)
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
		huge := make([]byte, 50<<20)
		ole := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), bytes.Repeat([]byte{0}, 512)...)

		for _, c := range []dqBad{
			// Waivers.
			{name: "waive: malformed", user: "a_case_manager", method: "POST", path: waive, body: `{"version":`,
				status: 400, code: "malformed_json", message: "JSON"},
			{name: "waive: unknown field", user: "a_case_manager", method: "POST", path: waive,
				body: map[string]any{"version": wrong.Version, "reason": "系统限制", "note": "x"}, status: 422, code: "validation",
				field: "note", fcode: "json_unknown_field", message: "未知字段“note”"},
			{name: "waive: version as string", user: "a_case_manager", method: "POST", path: waive,
				body: map[string]any{"version": "1", "reason": "系统限制"}, status: 422, code: "validation",
				field: "version", fcode: "json_type_number", message: "类型错误"},
			{name: "waive: no reason", user: "a_case_manager", method: "POST", path: waive,
				body: map[string]any{"version": wrong.Version, "reason": "  "}, status: 422, code: "validation",
				field: "reason", fcode: "required", message: "豁免理由：必填"},
			{name: "waive: reason too long", user: "a_case_manager", method: "POST", path: waive,
				body: map[string]any{"version": wrong.Version, "reason": strings.Repeat("由", 501)}, status: 422,
				code: "validation", field: "reason", fcode: "too_long", message: "豁免理由：不能超过500个字"},
			{name: "waive: no version", user: "a_case_manager", method: "POST", path: waive,
				body: map[string]any{"reason": "系统限制"}, status: 422, code: "validation", field: "version",
				fcode: "required", message: "版本号：必填"},
			{name: "waive: stale version", user: "a_case_manager", method: "POST", path: waive,
				body: map[string]any{"version": wrong.Version + 1, "reason": "系统限制"}, status: 409, code: "conflict",
				message: "已被他人修改"},
			{name: "waive: another unit's problem", user: "a_case_manager", method: "POST",
				path: dataPath("problems", otherProblem.ID, "/waive"), body: map[string]any{"version": 1, "reason": "系统限制"},
				status: 404, code: "not_found", message: "不存在"},
			{name: "waive: no such problem", user: "a_case_manager", method: "POST", path: dataPath("problems", 987654, "/waive"),
				body: map[string]any{"version": 1, "reason": "系统限制"}, status: 404, code: "not_found", message: "不存在"},
			{name: "waive: the chief", user: "a_chief", method: "POST", path: waive,
				body: map[string]any{"version": wrong.Version, "reason": "系统限制"}, status: 403, code: "forbidden", message: "权限"},
			{name: "problem: another unit's", user: "b_case_manager", method: "GET", path: dataPath("problems", wrong.ID, ""),
				status: 404, code: "not_found", message: "不存在"},
			{name: "problem: another unit's, to 甲县院", user: "a_case_manager", method: "GET",
				path: dataPath("problems", otherProblem.ID, ""), status: 404, code: "not_found", message: "不存在"},
			{name: "problem: not the handler's", user: "a_prosecutor2", method: "GET", path: dataPath("problems", wrong.ID, ""),
				status: 404, code: "not_found", message: "不存在"},
			{name: "problem: id not a number", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems/abc",
				status: 404, code: "not_found", message: "不存在"},
			// Corrections.
			{name: "card: malformed", user: "a_case_manager", method: "PATCH", path: cardPath, body: `{"values":{`,
				status: 400, code: "malformed_json", message: "JSON"},
			{name: "card: unknown item", user: "a_case_manager", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"judge": "王某"}), status: 422, code: "validation", field: "values.judge",
				fcode: "json_unknown_field", message: "案卡项目：未知字段“judge”"},
			{name: "card: item as number", user: "a_case_manager", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"returns": 1}), status: 422, code: "validation", field: "values.returns",
				fcode: "json_type_string", message: "退回补充侦查次数：类型错误"},
			{name: "card: bad date", user: "a_case_manager", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"decided_on": "下周一"}), status: 422, code: "validation",
				field: "values.decided_on", fcode: "casecard.date", message: "决定日期：不是有效日期"},
			{name: "card: formula", user: "a_prosecutor", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"name": "=1+1"}), status: 422, code: "validation", field: "values.name",
				fcode: "casecard.formula_injection", message: "案件名称："},
			{name: "card: another stage number", user: "a_case_manager", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"stage_no": "甲检刑诉受〔2026〕99号"}), status: 422, code: "validation",
				field: "values.stage_no", fcode: "dq_api_stage_no_fixed", message: "部门受案号：部门受案号是案卡的标识"},
			{name: "card: nothing to correct", user: "a_case_manager", method: "PATCH", path: cardPath,
				body: patch(map[string]any{}), status: 422, code: "validation", field: "values", fcode: "required",
				message: "案卡项目：必填"},
			{name: "card: stale version", user: "a_case_manager", method: "PATCH", path: cardPath,
				body:   map[string]any{"version": cardVersion + 1, "values": map[string]any{"decided_on": "2026-02-25"}},
				status: 409, code: "conflict", message: "已被他人修改"},
			{name: "card: not the handler", user: "a_prosecutor2", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"decided_on": "2026-02-25"}), status: 404, code: "not_found", message: "不存在"},
			{name: "card: another unit's", user: "b_case_manager", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"decided_on": "2026-02-25"}), status: 404, code: "not_found", message: "不存在"},
			{name: "card: a case's card", user: "a_case_manager", method: "PATCH", path: dataPath("cards", caseCard, ""),
				body: map[string]any{"version": 1, "values": map[string]any{"name": "改名"}}, status: 403, code: "forbidden",
				message: "权限"},
			{name: "card: the department head", user: "a_dept_head", method: "PATCH", path: cardPath,
				body: patch(map[string]any{"decided_on": "2026-02-25"}), status: 403, code: "forbidden", message: "权限"},
			// Rules.
			{name: "rule: malformed", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010", body: `{"title"`,
				status: 400, code: "malformed_json", message: "JSON"},
			{name: "rule: unknown field", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("priority", 1), status: 422, code: "validation", field: "priority",
				fcode: "json_unknown_field", message: "未知字段“priority”"},
			{name: "rule: kind as a number", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("kind", 3), status: 422, code: "validation", field: "kind", fcode: "json_type_string",
				message: "错误类型：类型错误"},
			{name: "rule: categories not a list", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("categories", "prosecution_review"), status: 422, code: "validation", field: "categories",
				fcode: "json_type_array", message: "适用案件类别：类型错误"},
			{name: "rule: unknown kind", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("kind", "typo"), status: 422, code: "validation", field: "kind", fcode: "unknown_value",
				message: "错误类型：取值无效"},
			{name: "rule: expression does not compile", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("when", "before(today, card.EnteredOn"), status: 422, code: "validation", field: "when",
				fcode: "dq_rule_when", message: "检查表达式：检查表达式无法编译"},
			{name: "rule: expression not a boolean", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("when", "card.EnteredOn"), status: 422, code: "validation", field: "when",
				fcode: "dq_rule_when", message: "检查表达式："},
			{name: "rule: unknown item", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("item", "judge"), status: 422, code: "validation", field: "item", fcode: "dq_rule_item",
				message: "案卡项目："},
			{name: "rule: unknown category", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("categories", []string{"weather"}), status: 422, code: "validation", field: "categories[0]",
				fcode: "unknown_category", message: "适用案件类别："},
			{name: "rule: stale version", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("version", 2), status: 409, code: "conflict", message: "已被他人修改"},
			{name: "rule: no version", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: ruleWith("version", nil), status: 422, code: "validation", field: "version", fcode: "required",
				message: "版本：必填"},
			{name: "rule: no such rule", user: "a_sysadmin", method: "PUT", path: "/api/v1/data/rules/DQ-999",
				body: rule, status: 404, code: "not_found", message: "不存在"},
			{name: "rule: the case manager", user: "a_case_manager", method: "PUT", path: "/api/v1/data/rules/DQ-010",
				body: rule, status: 403, code: "forbidden", message: "权限"},
			{name: "rule: add an existing id", user: "a_sysadmin", method: "POST", path: "/api/v1/data/rules",
				body: newRule, status: 422, code: "validation", field: "id", fcode: "duplicate", message: "规则编号：与已有记录重复"},
			{name: "rule: add a bad id", user: "a_sysadmin", method: "POST", path: "/api/v1/data/rules",
				body: badID, status: 422, code: "validation", field: "id", fcode: "dq_rule_id", message: "规则编号："},
			{name: "rule: add with a version", user: "a_sysadmin", method: "POST", path: "/api/v1/data/rules",
				body: ruleWith("version", 3), status: 422, code: "validation", field: "version", fcode: "json_unknown_field",
				message: "未知字段“version”"},
			// Query parameters.
			{name: "problems: unknown status", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?status=lost",
				status: 422, code: "validation", field: "status", fcode: "dq_status", message: "问题状态："},
			{name: "problems: month 2026-13", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?month=2026-13",
				status: 422, code: "validation", field: "month", fcode: "dq_month", message: "月份："},
			{name: "problems: unknown kind", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?kind=typo",
				status: 422, code: "validation", field: "kind", fcode: "dq_kind", message: "错误类型："},
			{name: "problems: unknown severity", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?severity=grave",
				status: 422, code: "validation", field: "severity", fcode: "dq_severity", message: "严重程度："},
			{name: "problems: unknown rule", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?rule=XX-9",
				status: 422, code: "validation", field: "rule", fcode: "unknown_value", message: "规则编号：取值无效"},
			{name: "problems: card_id", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?card_id=abc",
				status: 422, code: "validation", field: "card_id", fcode: "id_invalid", message: "案卡编号：编号无效"},
			{name: "problems: limit", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?limit=0",
				status: 422, code: "validation", field: "limit", fcode: "unknown_value", message: "每页条数："},
			{name: "problems: cursor", user: "a_case_manager", method: "GET", path: "/api/v1/data/problems?next=%25%25",
				status: 422, code: "validation", field: "next", fcode: "cursor_invalid", message: "分页："},
			{name: "cards: unknown source", user: "a_case_manager", method: "GET", path: "/api/v1/data/cards?source=web",
				status: 422, code: "validation", field: "source", fcode: "unknown_value", message: "数据来源："},
			{name: "cards: unknown category", user: "a_case_manager", method: "GET", path: "/api/v1/data/cards?category=weather",
				status: 422, code: "validation", field: "category", fcode: "unknown_category", message: "案件类别："},
			{name: "cards: problems=yes", user: "a_case_manager", method: "GET", path: "/api/v1/data/cards?problems=yes",
				status: 422, code: "validation", field: "problems", fcode: "unknown_value", message: "仅列有待整改问题的案卡："},
			{name: "accuracy: unknown by", user: "a_case_manager", method: "GET", path: "/api/v1/data/reports/accuracy?by=court",
				status: 422, code: "validation", field: "by", fcode: "dq_by", message: "统计维度："},
			{name: "counts: unknown by", user: "a_case_manager", method: "GET", path: "/api/v1/data/reports/problems?by=unit",
				status: 422, code: "validation", field: "by", fcode: "dq_by", message: "统计维度："},
			{name: "trend: weeks=0", user: "a_case_manager", method: "GET", path: "/api/v1/data/reports/trend?weeks=0",
				status: 422, code: "validation", field: "weeks", fcode: "dq_weeks", message: "周数："},
			{name: "trend: weeks=abc", user: "a_case_manager", method: "GET", path: "/api/v1/data/reports/trend?weeks=abc",
				status: 422, code: "validation", field: "weeks", fcode: "dq_weeks", message: "周数："},
			{name: "notification: month 2026-13", user: "a_case_manager", method: "GET",
				path: "/api/v1/data/reports/notification?month=2026-13", status: 422, code: "validation", field: "month",
				fcode: "dq_month", message: "月份："},
			{name: "notification: no month", user: "a_case_manager", method: "GET", path: "/api/v1/data/reports/notification",
				status: 422, code: "validation", field: "month", fcode: "dq_month", message: "月份："},
			{name: "publish: month 2026-3", user: "a_case_manager", method: "POST", path: "/api/v1/data/reports/notification",
				body: map[string]any{"month": "2026-3"}, status: 422, code: "validation", field: "month", fcode: "dq_month",
				message: "月份："},
			{name: "publish: the chief", user: "a_chief", method: "POST", path: "/api/v1/data/reports/notification",
				body: map[string]any{"month": "2026-03"}, status: 403, code: "forbidden", message: "权限"},
			{name: "look-back: month", user: "a_case_manager", method: "GET", path: "/api/v1/data/reports/lookback?month=03-2026",
				status: 422, code: "validation", field: "month", fcode: "dq_month", message: "月份："},
			{name: "look-back: limit", user: "a_case_manager", method: "GET",
				path: "/api/v1/data/reports/lookback?month=2026-03&limit=501", status: 422, code: "validation", field: "limit",
				fcode: "dq_limit", message: "每页条数："},
			{name: "reports: a prosecutor", user: "a_prosecutor", method: "GET", path: "/api/v1/data/reports/accuracy",
				status: 403, code: "forbidden", message: "权限"},
			{name: "scan: a prosecutor", user: "a_prosecutor", method: "POST", path: "/api/v1/data/scans",
				status: 403, code: "forbidden", message: "权限"},
			{name: "scan: a body", user: "a_case_manager", method: "POST", path: "/api/v1/data/scans",
				body: map[string]any{"unit_id": 1}, status: 422, code: "validation", field: "unit_id", fcode: "json_unknown_field",
				message: "未知字段“unit_id”"},
			{name: "confirm: no such upload", user: "a_case_manager", method: "POST",
				path: dataPath("imports", 987654, "/confirm"), status: 404, code: "not_found", message: "不存在"},
			// Uploads.
			{name: "upload: a prosecutor", user: "a_prosecutor", body: upload{csvType, "cards.csv", bytes.NewReader(csvFile)},
				status: 403, code: "forbidden", message: "权限"},
			{name: "upload: JSON media type", user: "a_case_manager",
				body: upload{"application/json", "cards.csv", bytes.NewReader(csvFile)}, status: 415,
				code: "unsupported_media_type", message: "XLSX"},
			{name: "upload: not a spreadsheet", user: "a_case_manager", body: upload{csvType, "photo.csv", bytes.NewReader(png)},
				status: 422, code: "file_not_spreadsheet", message: "不是可以导入的表格文件"},
			{name: "upload: text named .xlsx", user: "a_case_manager",
				body: upload{xlsxType, "cards.xlsx", bytes.NewReader(csvFile)}, status: 422, code: "file_not_spreadsheet",
				message: "不是可以导入的表格文件"},
			{name: "upload: legacy xls", user: "a_case_manager", body: upload{xlsxType, "cards.xls", bytes.NewReader(ole)},
				status: 422, code: "file_legacy_xls", message: ".xlsx"},
			{name: "upload: empty", user: "a_case_manager", body: upload{csvType, "cards.csv", bytes.NewReader(nil)},
				status: 422, code: "file_empty", message: "文件是空的"},
			{name: "upload: GB18030 with a wrong header", user: "a_case_manager",
				body: upload{csvType, "案卡.csv", bytes.NewReader(wrongHeaders)}, status: 422, code: "file_unknown_column",
				message: "表头“案件名字”不是案卡项目"},
			{name: "upload: GB18030 without the category column", user: "a_case_manager",
				body: upload{csvType, "案卡.csv", bytes.NewReader(noCategory)}, status: 422, code: "file_missing_column",
				message: "案件类别"},
			{name: "upload: truncated workbook", user: "a_case_manager",
				body: upload{xlsxType, "案卡.xlsx", bytes.NewReader(workbook[:len(workbook)/2])}, status: 422,
				code: "file_truncated", message: "XLSX 文件不完整"},
			{name: "upload: 50 MB", user: "a_case_manager", body: upload{xlsxType, "案卡.xlsx", bytes.NewReader(huge)},
				status: 413, code: "file_too_large", message: "文件大小为 50 MB，超过了 40 MB 的上限"},
			{name: "upload: 50 MB without a length", user: "a_case_manager",
				body: upload{csvType, "案卡.csv", io.MultiReader(bytes.NewReader(huge))}, status: 413, code: "file_too_large",
				message: "超过了 40 MB 的上限"},
			{name: "upload: formula injection", user: "a_case_manager", body: upload{csvType, "案卡.csv", bytes.NewReader(formula)},
				status: 422, code: "formula_injection", field: "rows[2].name", fcode: "casecard.formula_injection",
				message: "第2行“案件名称”：内容以“=”开头"},
			{name: "upload: file name too long", user: "a_case_manager",
				body: upload{csvType, strings.Repeat("案", 256) + ".csv", bytes.NewReader(csvFile)}, status: 422,
				code: "validation", field: "file_name", fcode: "too_long", message: "文件名："},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, dq := e.counts(t), e.dqCounts(t)
				r := e.sendBad(t, c)
				checkDQRefused(t, c, r)
				e.unchanged(t, before)
				e.dqUnchanged(t, dq)
			})
		}

		// A GB18030 file that is fine previews like its UTF-8 twin: only
		// the upload is kept, for confirmation.
		t.Run("upload: GB18030 that is fine", func(t *testing.T) {
			before, dq := e.counts(t), e.dqCounts(t)
			r := e.upload(t, "a_case_manager", csvType, "案卡.csv", bytes.NewReader(gb18030(t, csvFile)))
			if r.status != http.StatusOK {
				t.Fatalf("%s", r)
			}
			var pv struct {
				UploadID    *int64 `json:"upload_id"`
				Format      string `json:"format"`
				New         int    `json:"new"`
				Confirmable bool   `json:"confirmable"`
			}
			r.decode(t, &pv)
			if pv.Format != casecard.FormatCSVGB18030 || !pv.Confirmable || pv.UploadID == nil || pv.New != 1 {
				t.Errorf("preview: %s", r.body)
			}
			e.unchanged(t, before)
			e.dqUnchanged(t, dq, "card_uploads")
		})

		// A file with cell errors previews them by row and column, keeps
		// nothing, and cannot be confirmed.
		t.Run("upload: cell errors", func(t *testing.T) {
			bad := bytes.Replace(csvFile, []byte("2026-02-25"), []byte("2026-02-30"), 1)
			before, dq := e.counts(t), e.dqCounts(t)
			r := e.upload(t, "a_case_manager", csvType, "案卡.csv", bytes.NewReader(bad))
			if r.status != http.StatusOK {
				t.Fatalf("%s", r)
			}
			var pv struct {
				UploadID    *int64 `json:"upload_id"`
				Confirmable bool   `json:"confirmable"`
				Errors      []struct {
					Row       int    `json:"row"`
					Column    string `json:"column"`
					ColumnKey string `json:"column_key"`
					Code      string `json:"code"`
					Message   string `json:"message"`
					Value     string `json:"value"`
				} `json:"errors"`
			}
			r.decode(t, &pv)
			if pv.Confirmable || pv.UploadID != nil || len(pv.Errors) != 1 {
				t.Fatalf("preview: %s", r.body)
			}
			if got := pv.Errors[0]; got.Row != 2 || got.Column != "决定日期" || got.ColumnKey != "decided_on" ||
				got.Code != "casecard.date_not_exist" || got.Value != "2026-02-30" || got.Message == "" {
				t.Errorf("cell error: %+v", got)
			}
			e.unchanged(t, before)
			e.dqUnchanged(t, dq)
		})
	})
}
