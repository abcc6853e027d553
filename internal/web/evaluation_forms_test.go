package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// evalClock is a "now" the test moves (an objection after its period).
type evalClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *evalClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *evalClock) setDay(t *testing.T, day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = d.Add(10 * time.Hour)
}

// evalState is everything the case-quality forms can write, as one
// comparable text: per record its status, version, findings, follow-ups
// and history; per self-check its status, version and findings; per
// activity its status, version and record counts; the template versions.
func evalState(t *testing.T, e *env, ef *evalFixture) string {
	t.Helper()
	ctx := context.Background()
	cm := evalReq(t, e.f, "a_case_manager")
	var b strings.Builder
	for _, id := range []int64{ef.recProposed, ef.recScoring, ef.recAid, ef.recObjected, ef.recFinal} {
		d, err := e.f.App.Evaluation.GetRecord(ctx, cm, id)
		if err != nil {
			t.Fatal(err)
		}
		r := d.Record
		fmt.Fprintf(&b, "record %d %s v%d findings=%d followups=%d actions=%d evaluator=%d final=%s\n", id, r.Status,
			r.Version, len(r.Findings), len(r.FollowUps), len(r.Actions), r.EvaluatorID, r.FinalGrade)
	}
	for _, id := range []int64{ef.checkPending, ef.checkSubmitted, ef.checkAssistant} {
		c, err := e.f.App.Evaluation.GetSelfCheck(ctx, cm, id)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "check %d %s v%d findings=%d\n", id, c.Status, c.Version, len(c.Findings))
	}
	acts, _, err := e.f.App.Evaluation.ListActivities(ctx, cm, evaluation.ActivityFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acts {
		fmt.Fprintf(&b, "activity %d %s v%d %v %+v\n", a.ID, a.Status, a.Version, a.Records, a.Draw)
	}
	infos, err := e.f.App.Evaluation.Templates(ctx, cm)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "templates %d\n", len(infos))
	return b.String()
}

// messageNear checks that msg is shown after the element with id, before
// the end of its row or form.
func messageNear(t *testing.T, body, id, msg string) {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Errorf("no element with id %q", id)
		return
	}
	rest := body[i:]
	end := len(rest)
	for _, stop := range []string{`</tr>`, `</form>`} {
		if j := strings.Index(rest, stop); j >= 0 && j < end {
			end = j
		}
	}
	if !strings.Contains(rest[:end], `<div class="ferr">`+html.EscapeString(msg)+`</div>`) {
		t.Errorf("%q: message %q not shown; near it:\n%s", id, msg, rest[:min(end, 1500)])
	}
}

// TestEvaluationFormsBadInput: each refused case-quality form answers 422
// with its messages in Chinese at their controls, keeps what was typed,
// and writes nothing: an item not in the template, a grade not in the
// scale, a recused evaluator, an objection after its period, and the
// other forms' mistakes.
func TestEvaluationFormsBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &evalClock{t: apptest.Now()}
		e := newEnv(t, apptest.New(t, db, clk.now))
		ev := seedEvaluation(t, e)
		ctx := context.Background()
		// A second activity still in planning, to draw in.
		cm := evalReq(t, e.f, "a_case_manager")
		planning, err := e.f.App.Evaluation.CreateActivity(ctx, cm, evaluation.ActivityInput{Name: "专项评查（不起诉）",
			Kind: evaluation.KindThematic, UnitIDs: []int64{e.f.UnitA.ID}, Categories: []string{"prosecution_review"},
			ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: e.f.User(t, "a_chief").ID,
			EvaluatorIDs: []int64{e.f.User(t, "a_prosecutor").ID}, Deadline: "2026-04-30"})
		if err != nil {
			t.Fatal(err)
		}
		exported, err := e.f.App.Evaluation.ExportTemplate(ctx, cm, ev.template)
		if err != nil {
			t.Fatal(err)
		}
		var file map[string]any
		if err := json.Unmarshal(exported, &file); err != nil {
			t.Fatal(err)
		}
		file["categories"] = []any{"weather"}
		item := file["aspects"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)
		item["title"] = ""
		broken, _ := json.Marshal(file)

		before := evalState(t, e, ev)
		rec := func(id int64) string { return "/quality/records/" + itoa(id) + "/actions" }
		clients := map[string]*client{}
		as := func(u string) *client {
			if c, ok := clients[u]; ok {
				return c
			}
			clients[u] = e.login(t, u)
			return clients[u]
		}
		long := strings.Repeat("瑕", 501)
		checks := []struct {
			name  string
			user  string
			path  string
			form  url.Values
			near  map[string]string // element id → message shown after it
			field map[string]string // control id → message at the control (marked invalid)
			alert []string          // messages of the summary
			kept  []string
		}{
			{name: "score an item not in the template", user: "a_prosecutor", path: rec(ev.recScoring),
				form: url.Values{"action": {"score"}, "opt.ZZ-99": {"flaw"}, "note.ZZ-99": {"不存在的项目"},
					"opt.PS-EV-01": {"flaw"}, "opt.PS-PC-08": {"flaw"}, "note.PS-PC-08": {"具结书无值班律师签字"}},
				alert: []string{"评查项目：评查模板中没有项目“ZZ-99”", "说明：必填", "评查结论：该项目没有评查结论选项“flaw”"},
				near:  map[string]string{"item-PS-EV-01": "说明：必填", "item-PS-PC-08": "评查结论：该项目没有评查结论选项“flaw”"},
				kept:  []string{`name="opt.PS-EV-01" value="flaw" checked`, `value="具结书无值班律师签字"`}},
			{name: "a note too long", user: "a_prosecutor", path: rec(ev.recScoring),
				form: url.Values{"action": {"score"}, "opt.PS-EV-02": {"serious"}, "note.PS-EV-02": {long}},
				near: map[string]string{"item-PS-EV-02": "说明：不能超过500个字"}},
			{name: "a grade not in the scale", user: "a_prosecutor", path: rec(ev.recScoring),
				form:  url.Values{"action": {"propose"}, "grade": {"flawed"}, "reasons": {"存在瑕疵"}},
				field: map[string]string{"propose-grade": "等次：不是本次评查所用等次标准中的等次（按所列问题建议等次为“合格案件”）"},
				kept:  []string{">存在瑕疵</textarea>"}},
			{name: "excellent without reasons", user: "a_prosecutor", path: rec(ev.recScoring),
				form:  url.Values{"action": {"propose"}, "grade": {"excellent"}},
				field: map[string]string{"propose-reasons": "理由：必填"}, kept: []string{`value="excellent" checked`}},
			{name: "a recused evaluator", user: "a_case_manager", path: rec(ev.recScoring),
				form:  url.Values{"action": {"assign"}, "evaluator_id": {itoa(e.f.User(t, "a_prosecutor2").ID)}},
				field: map[string]string{"evaluator_id": "评查员：测检察官二是本案承办人，应当回避"}},
			{name: "an evaluator not of the activity", user: "a_case_manager", path: rec(ev.recScoring),
				form:  url.Values{"action": {"assign"}, "evaluator_id": {itoa(e.f.User(t, "a_dept_head").ID)}},
				field: map[string]string{"evaluator_id": "评查员：该人员不是本次评查活动的评查员"}},
			{name: "an objection to a finding not made", user: "a_prosecutor", path: rec(ev.recProposed),
				form: url.Values{"action": {"object"}, "reason": {"不服"}, "contest": {"PS-EV-01"},
					"objection.PS-EV-01": {"无此问题"}},
				alert: []string{"评查项目：“PS-EV-01”不是本案的评查问题"}, kept: []string{">不服</textarea>"}},
			{name: "an objection without reasons", user: "a_prosecutor", path: rec(ev.recProposed),
				form:  url.Values{"action": {"object"}, "contest": {"PS-PC-02"}},
				field: map[string]string{"object-reason": "理由：必填"},
				near:  map[string]string{"contest-PS-PC-02": "理由：必填"}, kept: []string{`value="PS-PC-02" checked`}},
			{name: "a decision left open", user: "a_chief", path: rec(ev.recObjected),
				form:  url.Values{"action": {"decide"}, "contested": {"PS-DC-06"}, "grade": {"qualified"}, "reason": {"维持"}},
				alert: []string{"问题项：异议问题“PS-DC-06”尚未作出决定"},
				field: map[string]string{"decide-grade": "等次：等次不能高于所列问题对应的等次“基本合格案件”"}},
			{name: "a referral of a grade that does not fail", user: "a_case_manager", path: rec(ev.recFinal),
				form:  url.Values{"action": {"followup"}, "kind": {"referral"}, "note": {"移送"}},
				field: map[string]string{"followup-kind": "类型：只有不合格案件才能移送追责（本案最终等次为“合格案件”）"},
				kept:  []string{">移送</textarea>"}},
			{name: "an unknown action", user: "a_case_manager", path: rec(ev.recFinal), form: url.Values{"action": {"forgive"}},
				alert: []string{"操作：取值无效"}},
			{name: "a self-check without its report", user: "a_prosecutor",
				path:  "/quality/selfchecks/" + itoa(ev.checkPending) + "/actions",
				form:  url.Values{"action": {"submit"}, "opt.PS-EV-03": {"flaw"}, "note.PS-EV-03": {"未听取被害人意见"}},
				field: map[string]string{"summary": "自查报告：必填"},
				kept:  []string{`name="opt.PS-EV-03" value="flaw" checked`, `value="未听取被害人意见"`}},
			{name: "a verification without verdicts", user: "a_dept_head",
				path: "/quality/selfchecks/" + itoa(ev.checkSubmitted) + "/actions",
				form: url.Values{"action": {"verify"}, "added[1].item_code": {"ZZ-01"}, "added[1].option": {"flaw"},
					"added[1].note": {"补充"}},
				alert: []string{"核查意见：自查问题“PS-DC-02”尚未给出核查意见"},
				near:  map[string]string{"added-1": "评查项目：评查模板中没有项目“ZZ-01”"}, kept: []string{`value="补充"`}},
			{name: "a disagreement without reasons", user: "a_dept_head",
				path: "/quality/selfchecks/" + itoa(ev.checkSubmitted) + "/actions",
				form: url.Values{"action": {"verify"}, "verdict.PS-DC-02": {"disagree"}},
				near: map[string]string{"verdict-PS-DC-02": "理由：必填"},
				kept: []string{`name="verdict.PS-DC-02" value="disagree" checked`}},
			{name: "a plan with mistakes", user: "a_case_manager", path: "/quality/activities",
				form: url.Values{"name": {"测试活动"}, "kind": {"routine"}, "unit_ids": {itoa(e.f.UnitB.ID)},
					"closed_from": {"2026-03-01"}, "closed_to": {"2026-12-31"}, "scale_code": {"2026"},
					"deadline": {"2026-04-30"}, "response_days": {"40"}},
				field: map[string]string{"closed_to": "办结日期止：不能晚于今天", "response_days": "反馈期限（工作日）：反馈期限须为1至30个工作日",
					"leader_id": "评查组长：必填", "evaluator_ids": "评查员：必填", "categories": "案件类别：必填",
					"unit_ids": "评查范围（单位）：只能评查本院及下级院的案件"},
				kept: []string{`value="测试活动"`, `value="2026-12-31"`}},
			{name: "a draw at a rate out of range", user: "a_case_manager",
				path:  "/quality/activities/" + itoa(planning) + "/actions",
				form:  url.Values{"action": {"draw_random"}, "rate": {"150"}, "seed": {"-5"}},
				field: map[string]string{"rate": "抽取比例：抽取比例须在1%至100%之间", "seed": "随机种子：不能为负数"},
				kept:  []string{`value="150"`, `value="-5"`}},
			{name: "a seed that is not a number", user: "a_case_manager",
				path:  "/quality/activities/" + itoa(planning) + "/actions",
				form:  url.Values{"action": {"draw_random"}, "rate": {"10"}, "seed": {"abc"}},
				field: map[string]string{"seed": "随机种子：应为整数"}, kept: []string{`value="abc"`}},
			{name: "a case of another unit", user: "a_case_manager",
				path:  "/quality/activities/" + itoa(planning) + "/actions",
				form:  url.Values{"action": {"add_case"}, "case": {itoa(e.caseB)}, "reason": {"群众信访反映"}},
				field: map[string]string{"case": "案件：案件不在本次评查范围内（须为评查单位、案件类别内已办结且未封存的案件）"},
				kept:  []string{`value="群众信访反映"`}},
			{name: "a case added by hand without a reason", user: "a_case_manager",
				path:  "/quality/activities/" + itoa(planning) + "/actions",
				form:  url.Values{"action": {"add_case"}, "case": {itoa(e.pending)}},
				field: map[string]string{"reason": "理由：必填"}},
			{name: "start without cases", user: "a_case_manager", path: "/quality/activities/" + itoa(planning) + "/actions",
				form: url.Values{"action": {"start"}}, alert: []string{"评查案件：尚未抽取评查案件"}},
			{name: "close with open records", user: "a_chief", path: "/quality/activities/" + itoa(ev.activity) + "/actions",
				form: url.Values{"action": {"close"}}, alert: []string{"评查案件：还有5件评查记录未办结"}},
			{name: "a template file with problems", user: "a_sysadmin", path: "/quality/templates",
				form:  url.Values{"json": {string(broken)}, "note": {"调整"}},
				alert: []string{}, kept: []string{"categories[0]", "适用案件类别：案件类别不存在",
					"aspects[0].items[0].title", "评查项目：必填", "模板文件有2处问题，未作任何改动"}},
			{name: "an empty template file", user: "a_case_manager", path: "/quality/templates", form: url.Values{},
				kept: []string{"模板文件：必填", "说明：必填"}},
			{name: "an edit without a title or a note", user: "a_case_manager", path: "/quality/templates/" + itoa(ev.template),
				form: url.Values{"name": {"审查起诉案件质量评查模板"}, "aspects[0].items[1].title": {""},
					"aspects[1].items[5].code": {"ps-fa-99"}, "aspects[1].items[5].title": {"新增项目"}},
				field: map[string]string{"aspects[0].items[1].title": "评查项目：必填",
					"aspects[1].items[5].code": "编码：项目编码只能使用大写字母、数字和连字符，2至20位"},
				kept: []string{`value="新增项目"`}},
			{name: "an edit without a note", user: "a_case_manager", path: "/quality/templates/" + itoa(ev.template),
				form: editForm(t, e, ev.template), field: map[string]string{"note": "版本说明：必填"}},
		}
		for _, ck := range checks {
			r := as(ck.user).post(ck.path, ck.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422\n%s", ck.name, r.status, excerpt(r.body))
				continue
			}
			noMissingKeys(t, ck.name, r)
			for id, msg := range ck.field {
				fieldError(t, r.body, id, msg)
			}
			for id, msg := range ck.near {
				messageNear(t, r.body, id, msg)
			}
			for _, a := range ck.alert {
				if !strings.Contains(r.body, "<li>"+html.EscapeString(a)+"</li>") {
					t.Errorf("%s: summary lacks %q\n%s", ck.name, a, excerpt(r.body))
				}
			}
			for _, k := range ck.kept {
				if !strings.Contains(r.body, k) {
					t.Errorf("%s: the page lost %.80q", ck.name, k)
				}
			}
		}
		if after := evalState(t, e, ev); after != before {
			t.Errorf("refused forms wrote:\nbefore\n%s\nafter\n%s", before, after)
		}

		// An objection after the response period (five working days from
		// 16 March: 23 March) is refused, the reason kept.
		clk.setDay(t, "2026-03-24")
		late := e.login(t, "a_prosecutor")
		before = evalState(t, e, ev)
		r := late.post(rec(ev.recProposed), url.Values{"action": {"object"}, "reason": {"告知时间记录有误"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("late objection: status %d\n%s", r.status, excerpt(r.body))
		}
		if !strings.Contains(r.body, "<li>反馈期限：反馈期限已于2026-03-23届满，不能再提出异议</li>") ||
			!strings.Contains(r.body, ">告知时间记录有误</textarea>") {
			t.Errorf("late objection: page\n%s", excerpt(r.body))
		}
		if after := evalState(t, e, ev); after != before {
			t.Errorf("a late objection wrote:\nbefore\n%s\nafter\n%s", before, after)
		}
	})
}

// editForm is the edit form of a template version as it is, unchanged and
// without a note.
func editForm(t *testing.T, e *env, id int64) url.Values {
	t.Helper()
	tpl, err := e.f.App.Evaluation.Template(context.Background(), evalReq(t, e.f, "a_case_manager"), id)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"name": {tpl.Name}, "basis": {tpl.Basis}}
	for a, s := range tpl.Sections {
		for j, it := range s.Items {
			p := fmt.Sprintf("aspects[%d].items[%d].", a, j)
			form.Set(p+"title", it.Title)
			form.Set(p+"standard", it.Standard)
			form.Set(p+"basis", it.Basis)
			form.Set(p+"guidance", it.Guidance)
			form.Set(p+"verify", it.Verify)
		}
	}
	return form
}
