package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// monitorState counts what the monitoring forms write: findings, and the
// actions on one finding.
func monitorState(t *testing.T, e *env, findingID int64) (findings, actions int) {
	t.Helper()
	ctx := context.Background()
	cm := monitor.Request(e.f.Request(t, "a_case_manager"))
	all, _, err := e.f.App.Monitor.List(ctx, cm, monitor.Filter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.f.App.Monitor.Get(ctx, cm, findingID)
	if err != nil {
		t.Fatal(err)
	}
	return len(all), len(d.Actions)
}

// TestMonitorFormsBadInput: each refused form answers 422 with the message
// at its control in Chinese, keeps what was typed, and writes nothing.
func TestMonitorFormsBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		mon := seedMonitor(t, e)
		cm := e.login(t, "a_case_manager")
		pros := e.login(t, "a_prosecutor")
		findingsBefore, actionsBefore := monitorState(t, e, mon.prosecNtc)
		actions := "/monitor/findings/" + itoa(mon.prosecNtc) + "/actions"
		long := strings.Repeat("整", 2001)

		checks := []struct {
			name  string
			c     *client
			path  string
			form  url.Values
			field map[string]string // control id → message
			kept  []string
			alert string // a message of the summary only (no control)
		}{
			{name: "manual finding, everything wrong", c: cm, path: "/monitor/findings",
				form: url.Values{"case": {"甲检起诉受[2026]99019999999999号"}, "area": {"weather"}, "severity": {""},
					"description": {"  "}},
				field: map[string]string{"case": "案件：找不到该案件，请核对案件编号或受案号", "new-area": "监控范围：取值无效",
					"new-severity": "情节：取值无效", "description": "问题描述：必填"},
				kept: []string{`value="甲检起诉受[2026]99019999999999号"`}},
			{name: "manual finding on another unit's case", c: cm, path: "/monitor/findings",
				form:  url.Values{"case": {itoa(e.caseB)}, "area": {"files_out"}, "severity": {"minor"}, "description": {"卷宗未移送"}},
				field: map[string]string{"case": "案件：找不到该案件，请核对案件编号或受案号"},
				kept:  []string{`<option value="files_out" selected>`, `<option value="minor" selected>`, ">卷宗未移送</textarea>"}},
			{name: "manual finding without a case", c: cm, path: "/monitor/findings",
				form:  url.Values{"area": {"risk"}, "severity": {"serious"}, "description": {"未做风险评估"}},
				field: map[string]string{"case": "案件：必填"}, kept: []string{">未做风险评估</textarea>"}},
			{name: "transfer without a note", c: cm, path: actions, form: url.Values{"action": {"transfer"}, "note": {" "}},
				field: map[string]string{"transfer-note": "说明：必填"}},
			{name: "close without choosing", c: cm, path: actions, form: url.Values{"action": {"close"}, "note": {"已核查"}},
				field: map[string]string{"close-rectified": "整改情况：必填"}, kept: []string{">已核查</textarea>"}},
			{name: "close as rectified before the reply", c: cm, path: actions,
				form:  url.Values{"action": {"close"}, "rectified": {"1"}, "note": {"已核查"}},
				alert: "书面回复：通知书尚待书面回复，不能按已整改办结", kept: []string{">已核查</textarea>"}},
			{name: "close without a note", c: cm, path: actions, form: url.Values{"action": {"close"}, "rectified": {"0"}},
				field: map[string]string{"close-note": "核查情况：必填"}, kept: []string{`name="rectified" value="0" checked`}},
			{name: "a second notice", c: cm, path: actions, form: url.Values{"action": {"notice"}},
				alert: "流程监控通知书：该问题已发出流程监控通知书"},
			{name: "unknown action", c: cm, path: actions, form: url.Values{"action": {"forgive"}}, alert: "处置：取值无效"},
			{name: "reply too long", c: pros, path: actions, form: url.Values{"action": {"reply"}, "reply": {long}},
				field: map[string]string{"reply-reply": "书面回复：不能超过2000个字"}, kept: []string{">" + long + "</textarea>"}},
			{name: "empty reply", c: pros, path: actions, form: url.Values{"action": {"reply"}, "reply": {""}},
				field: map[string]string{"reply-reply": "书面回复：必填"}},
			{name: "empty patrol note", c: cm, path: "/monitor/patrol", form: url.Values{"note": {"\n"}},
				field: map[string]string{"note": "巡查情况：必填"}},
		}
		for _, ck := range checks {
			r := ck.c.post(ck.path, ck.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422\n%s", ck.name, r.status, excerpt(r.body))
				continue
			}
			noMissingKeys(t, ck.name, r)
			if !strings.Contains(r.body, "提交的内容有误，请按提示修改") {
				t.Errorf("%s: no page-level message", ck.name)
			}
			for id, msg := range ck.field {
				fieldError(t, r.body, id, msg)
			}
			for _, k := range ck.kept {
				if !strings.Contains(r.body, k) {
					t.Errorf("%s: the form lost %.60q", ck.name, k)
				}
			}
			if ck.alert != "" && !strings.Contains(r.body, "<li>"+html.EscapeString(ck.alert)+"</li>") {
				t.Errorf("%s: summary lacks %q\n%s", ck.name, ck.alert, excerpt(r.body))
			}
		}
		// A message of one form is not shown at another's control.
		r := cm.post(actions, url.Values{"action": {"transfer"}})
		if strings.Count(r.body, `class="ferr"`) != 1 {
			t.Errorf("a refused transfer marks %d controls", strings.Count(r.body, `class="ferr"`))
		}
		if f, a := monitorState(t, e, mon.prosecNtc); f != findingsBefore || a != actionsBefore {
			t.Errorf("refused forms wrote: findings %d → %d, actions %d → %d", findingsBefore, f, actionsBefore, a)
		}

		// Refused for who is asking: other units see nothing, only the
		// office acts, only the handler (or the department head) replies.
		for _, ck := range []struct {
			user, path string
			form       url.Values
			want       int
		}{
			{"b_case_manager", actions, url.Values{"action": {"prompt"}}, http.StatusNotFound},
			{"b_case_manager", "/monitor/findings/" + itoa(mon.prosecNtc), nil, http.StatusNotFound},
			{"a_prosecutor2", "/monitor/findings/" + itoa(mon.prosecNtc), nil, http.StatusNotFound},
			{"a_prosecutor", actions, url.Values{"action": {"report_chief"}}, http.StatusForbidden},
			{"a_assistant", actions, url.Values{"action": {"reply"}, "reply": {"已整改"}}, http.StatusNotFound},
			{"a_dept_head", actions, url.Values{"action": {"transfer"}, "note": {"移送"}}, http.StatusForbidden},
			{"a_chief", actions, url.Values{"action": {"reply"}, "reply": {"已整改"}}, http.StatusForbidden},
			{"up_upper_supervisor", "/monitor/findings/" + itoa(mon.prosecNtc), nil, http.StatusOK},
			{"up_case_manager", "/monitor/findings/" + itoa(mon.prosecNtc), nil, http.StatusNotFound},
			{"a_case_manager", "/monitor/findings/999999", nil, http.StatusNotFound},
			{"a_case_manager", "/monitor/findings/abc/actions", url.Values{"action": {"prompt"}}, http.StatusNotFound},
		} {
			c := e.login(t, ck.user)
			var r response
			if ck.form != nil {
				r = c.post(ck.path, ck.form)
			} else {
				r = c.get(ck.path)
			}
			if r.status != ck.want {
				t.Errorf("%s %s: status %d, want %d", ck.user, ck.path, r.status, ck.want)
			}
		}
		if f, a := monitorState(t, e, mon.prosecNtc); f != findingsBefore || a != actionsBefore {
			t.Errorf("refused requests wrote: findings %d → %d, actions %d → %d", findingsBefore, f, actionsBefore, a)
		}
	})
}

// TestMonitorFormsFlow: a finding typed by stage number, then the graded
// response through the forms, each answered with a redirect and a flash.
func TestMonitorFormsFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		cm := e.login(t, "a_case_manager")
		handler := e.login(t, e.rotatedTo)
		r := cm.post("/monitor/findings", url.Values{"case": {e.stageAssig}, "area": {"coercive_measures"},
			"severity": {"serious"}, "description": {"逮捕后未通知家属"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/monitor/findings/") {
			t.Fatalf("create: %d %s\n%s", r.status, r.location(), excerpt(r.body))
		}
		path, _, _ := strings.Cut(r.location(), "?")
		page := cm.get(r.location())
		for _, w := range []string{"问题已登记", "强制措施", "逮捕后未通知家属", "情节严重", "发出案件流程监控通知书、报告检察长",
			"口头提示", "发出通知书", "移送检务督察"} {
			if !strings.Contains(page.body, w) {
				t.Errorf("new finding page lacks %q", w)
			}
		}
		noMissingKeys(t, "new finding", page)
		steps := []struct {
			c     *client
			form  url.Values
			flash string
			shows []string
		}{
			{cm, url.Values{"action": {"prompt"}, "note": {"电话提示承办人"}}, "已记录口头提示", []string{"已口头提示", "电话提示承办人"}},
			{cm, url.Values{"action": {"notice"}, "requested_action": {""}}, "案件流程监控通知书已发出",
				[]string{"甲检检案管监〔2026〕1号", "请依法纠正并书面回复整改情况", "2026-03-26"}},
			{cm, url.Values{"action": {"report_chief"}, "note": {"已呈报检察长"}}, "已记录报告检察长", []string{"已报告检察长", "已呈报检察长"}},
			{handler, url.Values{"action": {"reply"}, "reply": {"已补发通知家属"}}, "书面回复已提交", []string{"已补发通知家属", "用时0日"}},
			{cm, url.Values{"action": {"transfer"}, "note": {"移送检务督察部门核查"}}, "已记录移送检务督察", []string{"移送检务督察部门核查"}},
			{cm, url.Values{"action": {"close"}, "rectified": {"1"}, "note": {"核查通知记录"}}, "问题已办结", []string{"已整改办结", "核查已整改，办结"}},
		}
		for _, s := range steps {
			r := s.c.post(path+"/actions", s.form)
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), path+"?flash=") {
				t.Fatalf("%s: %d %s\n%s", s.form.Get("action"), r.status, r.location(), excerpt(r.body))
			}
			page := s.c.get(r.location())
			for _, w := range append([]string{s.flash}, s.shows...) {
				if !strings.Contains(page.body, w) {
					t.Errorf("after %s: page lacks %q", s.form.Get("action"), w)
				}
			}
		}
		// Closed: no form is offered any more.
		if page := cm.get(path); strings.Contains(page.body, `id="actions"`) {
			t.Error("a closed finding still offers actions")
		}
		// The patrol note, on today's log.
		r = cm.post("/monitor/patrol", url.Values{"note": {"巡查案件5件，登记问题1个"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("patrol note: %d", r.status)
		}
		if page := cm.get(r.location()); !strings.Contains(page.body, "巡查记录已保存") ||
			!strings.Contains(page.body, "巡查案件5件，登记问题1个") {
			t.Error("the patrol note is not on today's log")
		}
		// A finding typed by uniform number and by case id also resolves.
		d, err := e.f.App.Cases.Get(context.Background(), e.f.Request(t, "a_case_manager"), e.byProsec)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{d.Case.UniformNo, itoa(e.byProsec)} {
			r := cm.post("/monitor/findings", url.Values{"case": {ref}, "area": {"risk"}, "severity": {"minor"},
				"description": {"未做风险评估"}})
			if r.status != http.StatusSeeOther {
				t.Errorf("case %s: status %d\n%s", ref, r.status, excerpt(r.body))
			}
		}
	})
}
