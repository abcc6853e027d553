package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// TestEvaluationForms: the steps the browser test does not take, each
// through its form: the handler files a self-check and the head verifies
// it; a template is imported as the next version and edited into another
// (an edit of an old version is a conflict); an activity draws by rule
// and by hand, assigns and starts; a handler agrees; the office follows
// up and closes. Each answers 303 with its message and the page shows the
// new state.
func TestEvaluationForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		ev := seedEvaluation(t, e)
		ctx := context.Background()
		clients := map[string]*client{}
		as := func(u string) *client {
			if c, ok := clients[u]; ok {
				return c
			}
			clients[u] = e.login(t, u)
			return clients[u]
		}
		step := func(user, path string, form url.Values, flash string, want ...string) string {
			t.Helper()
			r := as(user).post(path, form)
			if r.status != http.StatusSeeOther || !strings.Contains(r.location(), "flash="+flash) {
				t.Fatalf("POST %s as %s: %d %s\n%s", path, user, r.status, r.location(), excerpt(r.body))
			}
			page := as(user).get(r.location())
			noMissingKeys(t, path, page)
			for _, w := range want {
				if !strings.Contains(page.body, w) {
					t.Errorf("after POST %s: the page lacks %q", path, w)
				}
			}
			return r.location()
		}

		// Self-check: filed with one flaw, verified with a disagreement
		// and an addition.
		check := "/quality/selfchecks/" + itoa(ev.checkPending)
		step("a_prosecutor", check+"/actions", url.Values{"action": {"submit"}, "opt.PS-PC-02": {"flaw"},
			"note.PS-PC-02": {"受理后第四日告知委托辩护人权利"}, "summary": {"案件已依法起诉，权利告知超期一日"}},
			"flash.evaluation_selfcheck_submitted", "已自查，待核查", "受理后第四日告知委托辩护人权利")
		step("a_dept_head", check+"/actions", url.Values{"action": {"verify"}, "verdict.PS-PC-02": {"disagree"},
			"reason.PS-PC-02": {"第三日已电话告知，有记录"}, "added[0].item_code": {"PS-DC-06"},
			"added[0].option": {"flaw"}, "added[0].note": {"案卡认罪认罚项漏填"}, "note": {"基本同意自查意见"}},
			"flash.evaluation_selfcheck_verified", "已核查", "不同意", "第三日已电话告知，有记录", "核查补充", "案卡认罪认罚项漏填")

		// Templates: import a file as version 2, edit it into version 3;
		// version 1 can no longer be edited.
		cm := evalReq(t, e.f, "a_case_manager")
		file, err := e.f.App.Evaluation.ExportTemplate(ctx, cm, ev.template)
		if err != nil {
			t.Fatal(err)
		}
		var tf map[string]any
		if err := json.Unmarshal(file, &tf); err != nil {
			t.Fatal(err)
		}
		tf["name"] = "审查起诉案件质量评查模板（2026年修订）"
		changed, _ := json.Marshal(tf)
		v2 := step("a_case_manager", "/quality/templates", url.Values{"json": {string(changed)}, "note": {"按2026年规定修订名称"}},
			"flash.evaluation_template_imported", "审查起诉案件质量评查模板（2026年修订）（第2版）", "按2026年规定修订名称")
		v2path, _, _ := strings.Cut(v2, "?")
		form := editForm(t, e, ev.template)
		form.Set("note", "修订")
		if r := as("a_case_manager").post("/quality/templates/"+itoa(ev.template), form); r.status != http.StatusConflict {
			t.Errorf("edit of version 1 after version 2: status %d, want 409", r.status)
		}
		v2id := strings.TrimPrefix(v2path, "/quality/templates/")
		form = editForm(t, e, formID(t, v2id))
		form.Set("note", "补充证据审查项目")
		form.Set("aspects[0].items[0].title", "证据是否确实、充分，达到提起公诉的证明标准（修订）")
		form.Set("aspects[0].items[6].code", "PS-EV-07")
		form.Set("aspects[0].items[6].title", "是否审查同步录音录像")
		form.Set("aspects[0].items[6].standard", "对讯问过程的同步录音录像作出审查")
		form.Set("aspects[0].items[6].basis", "《刑事诉讼法》第一百二十三条")
		form.Set("aspects[0].items[6].guidance", "查阅审查报告对同步录音录像的审查记载")
		form.Set("aspects[7].items[3].remove", "1")
		step("a_case_manager", v2path, form, "flash.evaluation_template_saved", "（第3版）", "补充证据审查项目",
			"（修订）", "PS-EV-07", "是否审查同步录音录像")
		infos, err := e.f.App.Evaluation.Templates(ctx, cm)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range infos {
			if i.Code == "prosecution_review" && i.Version == 3 && i.Items != 47 {
				t.Errorf("version 3 holds %d items, want 47 (one added, one removed)", i.Items)
			}
		}

		// A focused activity: by rule, by hand, assigned, started.
		created, err := e.f.App.Evaluation.CreateActivity(ctx, cm, evaluation.ActivityInput{Name: "存疑不起诉案件重点评查",
			Kind: evaluation.KindFocused, UnitIDs: []int64{e.f.UnitA.ID}, Categories: []string{"prosecution_review"},
			ClosedFrom: "2026-03-01", ClosedTo: "2026-03-16", ScaleCode: "2026", LeaderID: e.f.User(t, "a_chief").ID,
			EvaluatorIDs: []int64{e.f.User(t, "a_prosecutor").ID, e.f.User(t, "a_prosecutor3").ID}, Deadline: "2026-04-30"})
		if err != nil {
			t.Fatal(err)
		}
		act := "/quality/activities/" + itoa(created)
		step("a_case_manager", act+"/actions", url.Values{"action": {"draw_rules"}, "rules": {"np_insufficient"}},
			"flash.evaluation_drawn", "存疑不起诉（证据不足不起诉）", "测某41盗窃案")
		d, err := e.f.App.Cases.Get(ctx, e.f.Request(t, "a_case_manager"), ev.cases["p3"])
		if err != nil {
			t.Fatal(err)
		}
		step("a_case_manager", act+"/actions", url.Values{"action": {"add_case"}, "case": {d.Case.StageNo},
			"reason": {"群众信访反映"}}, "flash.evaluation_case_added", "人工指定1件", "测某43盗窃案")
		step("a_case_manager", act+"/actions", url.Values{"action": {"assign"}}, "flash.evaluation_assigned", "分配说明")
		step("a_case_manager", act+"/actions", url.Values{"action": {"start"}}, "flash.evaluation_started", "评查中")

		// The handler agrees; the office records the follow-up and closes.
		step("a_prosecutor", "/quality/records/"+itoa(ev.recProposed)+"/actions", url.Values{"action": {"agree"},
			"note": {"认可，已整改"}}, "flash.evaluation_agree", "等次已确定，落实整改", "认可，已整改")
		fin := "/quality/records/" + itoa(ev.recFinal) + "/actions"
		step("a_case_manager", fin, url.Values{"action": {"followup"}, "kind": {"feedback"}, "note": {"在部门会议上讲评"}},
			"flash.evaluation_followup", "讲评反馈", "在部门会议上讲评")
		step("a_chief", fin, url.Values{"action": {"close"}, "note": {"办结"}}, "flash.evaluation_close", "已办结")
		// A closed record offers no more steps.
		if page := as("a_case_manager").get("/quality/records/" + itoa(ev.recFinal)); strings.Contains(page.body, `id="form-`) {
			t.Error("a closed record still offers a form")
		}
	})
}

func formID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an id: %q", s)
	}
	return id
}
