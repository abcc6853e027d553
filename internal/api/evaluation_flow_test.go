package api_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/evaluation"
)

// TestEvaluationFlow runs case quality end to end over the API: templates
// (read, import as the next version, a file refused with every problem's
// path); a routine activity drawn at random with a seed, the draw repeated
// from what it recorded; evaluators assigned without conflict; one record
// through objection and committee decision to a closed record, another
// agreed; the activity closed; both reports as Word documents carrying the
// final grades; the statistics; a self-check filed and verified.
func TestEvaluationFlow(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		ok := func(r response, status int) response {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s, want %d", r, status)
			}
			return r
		}
		// Templates.
		e.installTemplates(t)
		var tl struct {
			Items []struct {
				ID     int64
				Code   string
				Latest bool
				Items  int
			}
		}
		ok(e.do(t, "a_prosecutor", "GET", "/api/v1/quality/templates", nil), 200).decode(t, &tl)
		if len(tl.Items) != 4 {
			t.Fatalf("templates: %+v", tl.Items)
		}
		var tpl struct {
			ID       int64
			Version  int
			Template map[string]any
		}
		for _, i := range tl.Items {
			if i.Code == "prosecution_review" {
				ok(e.do(t, "a_prosecutor", "GET", qualityPath("templates", i.ID, ""), nil), 200).decode(t, &tpl)
			}
		}
		tpl.Template["name"] = "审查起诉案件质量评查模板（修订）"
		var v2 struct {
			ID      int64
			Version int
			Latest  bool
			Note    string
		}
		r := ok(e.do(t, "a_case_manager", "POST", "/api/v1/quality/templates",
			map[string]any{"note": "修订名称", "template": tpl.Template}), 201)
		r.decode(t, &v2)
		if v2.Version != 2 || !v2.Latest || v2.Note != "修订名称" || r.header.Get("Location") != qualityPath("templates", v2.ID, "") {
			t.Errorf("imported: %+v %s", v2, r.header.Get("Location"))
		}
		tpl.Template["categories"] = []any{"weather"}
		tpl.Template["aspects"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)["title"] = ""
		bad := ok(e.do(t, "a_case_manager", "POST", "/api/v1/quality/templates",
			map[string]any{"note": "x", "template": tpl.Template}), 422).err(t)
		if bad.Error.Fields["template.categories[0]"].Code != "unknown_category" ||
			bad.Error.Fields["template.aspects[0].items[0].title"].Code != "required" {
			t.Errorf("a file with two problems: %+v", bad.Error.Fields)
		}

		// Cases closed in March, an activity at 40% with seed 99.
		var q1 []int64
		for i, h := range []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3", "a_prosecutor", "a_prosecutor2"} {
			q1 = append(q1, e.closedCase(t, 950+i, "a", h))
		}
		body := e.activityBody(t)
		body["evaluator_ids"] = []int64{e.f.User(t, "a_prosecutor").ID, e.f.User(t, "a_prosecutor2").ID,
			e.f.User(t, "a_prosecutor3").ID}
		var act struct {
			ID     int64
			Status string
			Draw   struct {
				Seed, Rate, Population *int64
				Digest                 string
				Drawn                  int
			}
		}
		ok(e.do(t, "a_case_manager", "POST", "/api/v1/quality/activities", body), 201).decode(t, &act)
		ok(e.do(t, "a_case_manager", "POST", qualityPath("activities", act.ID, "/draw"),
			map[string]any{"method": "random", "rate": 40, "seed": 99}), 200).decode(t, &act)
		if act.Draw.Seed == nil || *act.Draw.Seed != 99 || *act.Draw.Rate != 40 || *act.Draw.Population != 5 ||
			act.Draw.Drawn != 2 || act.Draw.Digest != evaluation.Digest(q1) {
			t.Errorf("draw %+v", act.Draw)
		}
		var assigned struct {
			Assigned int
			Records  []struct {
				ID                int64
				CaseID            int64  `json:"case_id"`
				HandlerID         int64  `json:"handler_id"`
				EvaluatorID       int64  `json:"evaluator_id"`
				AssignExplanation string `json:"assign_explanation"`
			}
		}
		ok(e.do(t, "a_case_manager", "POST", qualityPath("activities", act.ID, "/assign"), nil), 200).decode(t, &assigned)
		var drawn []int64
		for _, rec := range assigned.Records {
			drawn = append(drawn, rec.CaseID)
			if rec.EvaluatorID == 0 || rec.EvaluatorID == rec.HandlerID || !strings.Contains(rec.AssignExplanation, "候选") {
				t.Errorf("record %d: %+v", rec.ID, rec)
			}
		}
		slices.Sort(drawn)
		if assigned.Assigned != 2 || !slices.Equal(drawn, evaluation.Sample(q1, 99, 40)) {
			t.Errorf("assigned %d, drawn %v, the seed repeats to %v", assigned.Assigned, drawn, evaluation.Sample(q1, 99, 40))
		}
		ok(e.do(t, "a_case_manager", "POST", qualityPath("activities", act.ID, "/start"), map[string]any{}), 200).decode(t, &act)
		if act.Status != "evaluating" {
			t.Errorf("status %s", act.Status)
		}
		name := func(id int64) string {
			for n, u := range e.f.Users {
				if u.ID == id {
					return n
				}
			}
			t.Fatalf("no user %d", id)
			return ""
		}
		type detail struct {
			Status         string
			FinalGrade     *string  `json:"final_grade"`
			FinalGradeName string   `json:"final_grade_name"`
			ResponseDue    *string  `json:"response_due"`
			Allowed        []string `json:"allowed_actions"`
			Findings       []struct {
				ItemCode   string `json:"item_code"`
				Objected   bool
				Overturned bool
			}
		}
		step := func(user, path string, body any) detail {
			t.Helper()
			var d detail
			ok(e.do(t, user, "POST", path, body), 200).decode(t, &d)
			return d
		}

		// Record 1: two flaws, basic; one contested and overturned; final basic.
		r1 := assigned.Records[0]
		ev1, h1 := name(r1.EvaluatorID), name(r1.HandlerID)
		p1 := func(rest string) string { return qualityPath("records", r1.ID, rest) }
		var d detail
		ok(e.do(t, ev1, "GET", p1(""), nil), 200).decode(t, &d)
		if !slices.Equal(d.Allowed, []string{"score", "propose"}) {
			t.Errorf("the evaluator may %v", d.Allowed)
		}
		step(ev1, p1("/score"), map[string]any{"findings": []any{
			map[string]any{"item_code": "PS-PC-02", "option": "flaw", "note": "第五日才告知委托辩护人权利"},
			map[string]any{"item_code": "PS-DC-06", "option": "flaw", "note": "案卡认罪认罚项错填"}}})
		d = step(ev1, p1("/propose"), map[string]any{"grade": "basic", "reasons": "两处瑕疵"})
		if d.Status != "proposed" || d.ResponseDue == nil || *d.ResponseDue != "2026-03-23" {
			t.Errorf("proposed: %+v", d)
		}
		step(h1, p1("/respond"), map[string]any{"response": "object", "reason": "案卡已更正",
			"items": []any{map[string]any{"item_code": "PS-DC-06", "reason": "结案前已更正"}}})
		d = step("a_chief", p1("/decide"), map[string]any{"items": []any{map[string]any{"item_code": "PS-DC-06",
			"overturn": true, "reason": "卷内有更正记录"}}, "grade": "basic", "reason": "撤销一项，维持基本合格"})
		if d.Status != "final" || d.FinalGrade == nil || *d.FinalGrade != "basic" || d.FinalGradeName != "基本合格案件" {
			t.Errorf("decided: %+v", d)
		}
		step("a_case_manager", p1("/followups"), map[string]any{"kind": "correction", "note": "已补正告知"})
		if d = step("a_case_manager", p1("/close"), map[string]any{"note": "办结"}); d.Status != "closed" {
			t.Errorf("closed: %+v", d)
		}

		// Record 2: no problem, excellent with reasons, agreed.
		r2 := assigned.Records[1]
		p2 := func(rest string) string { return qualityPath("records", r2.ID, rest) }
		step(name(r2.EvaluatorID), p2("/score"), map[string]any{"findings": []any{}})
		step(name(r2.EvaluatorID), p2("/propose"), map[string]any{"grade": "excellent", "reasons": "说理充分，可作范本"})
		step(name(r2.HandlerID), p2("/respond"), map[string]any{"response": "agree", "reason": "认可"})
		step("a_chief", p2("/close"), map[string]any{"note": ""})
		ok(e.do(t, "a_chief", "POST", qualityPath("activities", act.ID, "/close"), nil), 200).decode(t, &act)
		if act.Status != "closed" {
			t.Errorf("activity %s", act.Status)
		}

		// Reports.
		text := func(r response) string {
			t.Helper()
			if r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
				t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
			}
			s, err := docx.Text(bytes.NewReader(r.body), int64(len(r.body)))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		caseReport := text(ok(e.do(t, h1, "GET", p1("/report.docx"), nil), 200))
		for _, w := range []string{"案件质量评查报告", "最终等次", "基本合格案件", "撤销：卷内有更正记录", "已补正告知"} {
			if !strings.Contains(caseReport, w) {
				t.Errorf("case report lacks %q:\n%s", w, caseReport)
			}
		}
		actReport := text(ok(e.do(t, "a_case_manager", "GET", qualityPath("activities", act.ID, "/report.docx"), nil), 200))
		for _, w := range []string{"评查报告", "随机种子99", "本次评查共抽取案件2件，已确定等次2件", "优质案件1件", "基本合格案件1件"} {
			if !strings.Contains(actReport, w) {
				t.Errorf("activity report lacks %q:\n%s", w, actReport)
			}
		}

		// Statistics: by evaluator; the first evaluator's finding overturned.
		var st struct {
			ScaleCode string `json:"scale_code"`
			Rows      []struct {
				Name   string
				Counts map[string]int
				Total  int
			}
			Calibration []struct {
				EvaluatorID     int64 `json:"evaluator_id"`
				Findings        int
				Overturned      int
				OverturnedShare float64 `json:"overturned_share"`
			}
		}
		ok(e.do(t, "a_chief", "GET", "/api/v1/quality/statistics?by=unit", nil), 200).decode(t, &st)
		if st.ScaleCode != "2026" || len(st.Rows) != 1 || st.Rows[0].Total != 2 || st.Rows[0].Counts["basic"] != 1 ||
			st.Rows[0].Counts["excellent"] != 1 {
			t.Errorf("statistics: %+v", st)
		}
		for _, c := range st.Calibration {
			if c.EvaluatorID == r1.EvaluatorID && (c.Findings != 2 || c.Overturned != 1 || c.OverturnedShare != 0.5) {
				t.Errorf("calibration of %s: %+v", ev1, c)
			}
		}

		// A self-check: owed, filed, verified.
		var checks struct {
			Items []struct {
				ID        int64
				CaseID    int64 `json:"case_id"`
				Status    string
				DueOn     string `json:"due_on"`
				HandlerID int64  `json:"handler_id"`
			}
		}
		ok(e.do(t, "a_prosecutor3", "GET", "/api/v1/quality/self-checks?status=pending", nil), 200).decode(t, &checks)
		if len(checks.Items) != 1 || checks.Items[0].DueOn != "2026-03-26" {
			t.Fatalf("a_prosecutor3's self-checks: %+v", checks)
		}
		sc := qualityPath("self-checks", checks.Items[0].ID, "")
		ok(e.do(t, "a_prosecutor3", "POST", sc+"/submit", map[string]any{"summary": "依法起诉", "findings": []any{
			map[string]any{"item_code": "PS-PC-02", "option": "flaw", "note": "告知超期一日"}}}), 200)
		var c struct {
			Status   string
			Findings []struct {
				ItemCode string `json:"item_code"`
				Source   string
				Verdict  string
			}
		}
		ok(e.do(t, "a_dept_head", "POST", sc+"/verify", map[string]any{
			"verdicts": []any{map[string]any{"item_code": "PS-PC-02", "agree": true}},
			"added":    []any{map[string]any{"item_code": "PS-DC-06", "option": "flaw", "note": "案卡漏填"}},
			"note":     "同意"}), 200).decode(t, &c)
		if c.Status != "verified" || len(c.Findings) != 2 {
			t.Errorf("verified: %+v", c)
		}
		if r := e.do(t, "b_case_manager", "GET", sc, nil); r.status != http.StatusNotFound {
			t.Errorf("another unit reads the self-check: %s", r)
		}
	})
}
