package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// intakeForm encodes an intake the way the browser posts the form.
func intakeForm(in casefile.Intake) url.Values {
	v := url.Values{"category": {in.Category}, "name": {in.Name}, "received_on": {in.ReceivedOn},
		"transferring_organ": {in.TransferringOrgan}, "transfer_doc_no": {in.TransferDocNo},
		"charges": {strings.Join(in.Charges, "、")}, "outcome": {in.Outcome}, "outcome_note": {in.OutcomeNote}}
	flag := func(name string, on bool) {
		if on {
			v.Set(name, "1")
		}
	}
	flag("plea", in.Plea)
	flag("fast_track", in.FastTrack)
	flag("minor", in.Minor)
	flag("sealed", in.Sealed)
	for i, p := range in.Parties {
		f := func(name, value string) { v.Set(fmt.Sprintf("parties[%d].%s", i, name), value) }
		f("name", p.Name)
		f("gender", p.Gender)
		f("ethnicity", p.Ethnicity)
		f("id_type", p.IDType)
		f("id_number", p.IDNumber)
		f("birth_date", p.BirthDate)
		f("role", p.Role)
		f("measure", p.Measure)
		if p.Custody {
			f("custody", "1")
		}
	}
	for _, c := range in.Checks {
		pass := "0"
		if c.Passed {
			pass = "1"
		}
		v.Set("check."+c.Item, pass)
		v.Set("check."+c.Item+".note", c.Note)
	}
	return v
}

// fieldError asserts that msg is shown next to the control with the given
// id: after it and before the next field begins.
func fieldError(t *testing.T, body, id, msg string) {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Errorf("no control with id %q", id)
		return
	}
	rest := body[i:]
	end := len(rest)
	for _, stop := range []string{`<div class="field`, `</fieldset>`, `</tr>`, `</form>`} {
		if j := strings.Index(rest[1:], stop); j >= 0 && j+1 < end {
			end = j + 1
		}
	}
	if !strings.Contains(rest[:end], `<div class="ferr">`+html.EscapeString(msg)+`</div>`) {
		t.Errorf("control %q: message %q not shown next to it; near it:\n%s", id, msg, rest[:end])
	}
	tag := rest[:strings.Index(rest, ">")]
	if !strings.Contains(tag, "invalid") {
		t.Errorf("control %q is not marked invalid: %s", id, tag)
	}
}

func TestIntakeFormBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_case_manager")
		before := e.caseCount(t)

		in := apptest.Intake(40)
		good := in.Parties[0].IDNumber
		last := (good[17] - '0' + 1) % 10
		badID := good[:17] + string('0'+last)
		in.Name = ""                        // missing
		in.ReceivedOn = "2026-02-30"        // impossible date
		in.Parties[0].IDNumber = badID      // wrong check digit
		in.Parties[1].Name = "王某某"          // a value that must survive the re-render
		in.Checks[1].Passed = false         // failed, without a note, while accepting
		in.Charges = []string{"盗窃罪", "抢劫罪"} // several charges round-trip
		r := c.post("/cases", intakeForm(in))

		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", r.status, excerpt(r.body))
		}
		noMissingKeys(t, "intake 422", r)
		if !strings.Contains(r.body, "提交的内容有误，请按提示修改") {
			t.Error("no page-level message")
		}
		// The summary lists the messages in the order of the form.
		order := []string{"<li>案件名称：必填</li>", "<li>受理日期：不是有效日期", "<li>当事人1·证件号码：身份证号码校验位错误</li>", "<li>受理审查清单2·说明", "<li>受理结论："}
		for i := 1; i < len(order); i++ {
			a, b := strings.Index(r.body, order[i-1]), strings.Index(r.body, order[i])
			if a < 0 || b < 0 || a > b {
				t.Errorf("summary: %q (at %d) should come before %q (at %d)", order[i-1], a, order[i], b)
			}
		}
		// The page is still the intake form, although the path is POST /cases.
		if !strings.Contains(r.body, `class="active" aria-current="page">受理登记</a>`) {
			t.Error("the navigation does not mark 受理登记 on the re-rendered form")
		}
		fieldError(t, r.body, "name", "案件名称：必填")
		fieldError(t, r.body, "received_on", "受理日期：不是有效日期（格式：YYYY-MM-DD）")
		fieldError(t, r.body, "parties[0].id_number", "当事人1·证件号码：身份证号码校验位错误")
		if !strings.Contains(r.body, `<div class="ferr">受理审查清单2·说明：未通过的审查项须说明情况</div>`) {
			t.Error("failed checklist item: no message in its row")
		}
		if !strings.Contains(r.body, "审查清单有未通过项，不能直接受理") {
			t.Error("accepting with a failed item: no message at the outcome")
		}
		// The typed values are kept.
		for _, want := range []string{
			`value="2026-02-30"`, `value="` + badID + `"`, `value="王某某"`, `value="甲县公安局"`,
			`value="` + html.EscapeString(in.TransferDocNo) + `"`, `value="盗窃罪、抢劫罪"`,
			`name="check.file_complete" value="0" checked`, `name="outcome" value="accept" checked`,
			`<option value="prosecution_review" selected>`, `<option value="victim" selected>`,
			`name="parties[0].custody" value="1" checked`, `name="plea" value="1" checked`,
		} {
			if !strings.Contains(r.body, want) {
				t.Errorf("re-rendered form lacks %s", want)
			}
		}
		if after := e.caseCount(t); after != before {
			t.Errorf("a refused intake wrote a case: %d → %d", before, after)
		}

		// Unknown category and no party at all.
		form := intakeForm(apptest.Intake(41))
		form.Set("category", "tax_review")
		for k := range form {
			if strings.HasPrefix(k, "parties[") {
				form.Del(k)
			}
		}
		r = c.post("/cases", form)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", r.status)
		}
		fieldError(t, r.body, "category", "案件类别：案件类别不存在")
		if !strings.Contains(r.body, "当事人：至少登记一名当事人") {
			t.Error("no message for the missing party")
		}
		if after := e.caseCount(t); after != before {
			t.Errorf("a refused intake wrote a case: %d → %d", before, after)
		}

		// The same form, corrected, goes through and lands on the case.
		r = c.post("/cases", intakeForm(apptest.Intake(42)))
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/cases/") {
			t.Fatalf("valid intake: status %d location %q\n%s", r.status, r.location(), excerpt(r.body))
		}
		r = c.get(r.location())
		if r.status != http.StatusOK || !strings.Contains(r.body, "受理登记已保存") || !strings.Contains(r.body, "测某42盗窃案") {
			t.Errorf("case page after intake: status %d\n%s", r.status, excerpt(r.body))
		}
		if after := e.caseCount(t); after != before+1 {
			t.Errorf("cases: %d → %d, want one more", before, after)
		}
	})
}

func TestPartyRowFragment(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_case_manager")
		r := c.get("/cases/new/party?i=2")
		if r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		if strings.Contains(r.body, "<html") || !strings.Contains(r.body, `name="parties[2].name"`) || !strings.Contains(r.body, "当事人3") {
			t.Errorf("fragment:\n%s", r.body)
		}
		noMissingKeys(t, "party row", r)
		// An out-of-range index falls back to 0 rather than failing.
		if r := c.get("/cases/new/party?i=x"); r.status != http.StatusOK || !strings.Contains(r.body, `name="parties[0].name"`) {
			t.Errorf("bad index: status %d", r.status)
		}
	})
}

func TestEventFormRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		eventsOf := func(id int64) int {
			d, err := e.f.App.Cases.Get(t.Context(), e.f.Request(t, "a_case_manager"), id)
			if err != nil {
				t.Fatal(err)
			}
			return len(d.Events)
		}
		type refusal struct {
			name    string
			user    string
			id      int64
			form    url.Values
			control string
			msg     string
		}
		cases := []refusal{
			{"resubmission without return", "a_prosecutor", e.byProsec,
				url.Values{"code": {"resubmitted"}, "occurred_on": {"2026-03-10"}}, "code", "程序事件：没有待重新移送的退回补充侦查"},
			{"extension while returned", e.rotatedTo, e.assigned,
				url.Values{"code": {"extended"}, "occurred_on": {"2026-03-10"}}, "code", "程序事件：只有办理中的案件才能延长期限"},
			{"return while a return is outstanding", e.rotatedTo, e.assigned,
				url.Values{"code": {"returned"}, "occurred_on": {"2026-03-10"}}, "code", "程序事件：上一次退回补充侦查尚未重新移送，不能再次退回"},
			{"in the future", "a_prosecutor", e.byProsec,
				url.Values{"code": {"extended"}, "occurred_on": {"2026-03-17"}}, "occurred_on", "发生日期：不能晚于今天"},
			{"before receipt", "a_prosecutor", e.byProsec,
				url.Values{"code": {"extended"}, "occurred_on": {"2026-03-01"}}, "occurred_on", "发生日期：不能早于受理日期（2026-03-02）"},
			{"impossible date", "a_prosecutor", e.byProsec,
				url.Values{"code": {"extended"}, "occurred_on": {"2026-02-31"}}, "occurred_on", "发生日期：不是有效日期（格式：YYYY-MM-DD）"},
			{"decision without outcome", "a_prosecutor", e.byProsec,
				url.Values{"code": {"decided"}, "occurred_on": {"2026-03-10"}}, "outcome", "处理决定：请选择该类案件的处理决定"},
		}
		clients := map[string]*client{}
		// A first extension through the form, so that a second one can be
		// refused below.
		clients["a_prosecutor"] = e.login(t, "a_prosecutor")
		if r := clients["a_prosecutor"].post("/cases/"+itoa(e.byProsec)+"/events", url.Values{"code": {"extended"}, "occurred_on": {"2026-03-04"}}); r.status != http.StatusSeeOther {
			t.Fatalf("first extension: status %d\n%s", r.status, excerpt(r.body))
		}
		cases = append(cases, refusal{"second extension", "a_prosecutor", e.byProsec,
			url.Values{"code": {"extended"}, "occurred_on": {"2026-03-10"}}, "code", "程序事件：延长审查期限只能一次"})
		for _, tc := range cases {
			c, ok := clients[tc.user]
			if !ok {
				c = e.login(t, tc.user)
				clients[tc.user] = c
			}
			n := eventsOf(tc.id)
			tc.form.Set("note", "测试备注")
			r := c.post("/cases/"+itoa(tc.id)+"/events", tc.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422\n%s", tc.name, r.status, excerpt(r.body))
				continue
			}
			noMissingKeys(t, tc.name, r)
			fieldError(t, r.body, tc.control, tc.msg)
			if !strings.Contains(r.body, ">测试备注</textarea>") || !strings.Contains(r.body, `value="`+tc.form.Get("occurred_on")+`"`) {
				t.Errorf("%s: the form lost the typed values", tc.name)
			}
			if got := eventsOf(tc.id); got != n {
				t.Errorf("%s: events %d → %d", tc.name, n, got)
			}
		}
		// The resubmission that is due goes through.
		c := clients[e.rotatedTo]
		r := c.post("/cases/"+itoa(e.assigned)+"/events", url.Values{"code": {"resubmitted"}, "occurred_on": {"2026-03-12"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("resubmission: status %d\n%s", r.status, excerpt(r.body))
		}
		r = c.get(r.location())
		if !strings.Contains(r.body, "程序事件已登记") || !strings.Contains(r.body, "补充侦查后重新移送") {
			t.Errorf("case page after the event:\n%s", excerpt(r.body))
		}
	})
}

func TestDesignateForm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_case_manager")
		target := e.f.User(t, "a_prosecutor2").ID
		r := c.post("/cases/"+itoa(e.pending)+"/designate", url.Values{"handler_id": {itoa(target)}, "designated_by": {"测chief"}, "reason": {"  "}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", r.status, excerpt(r.body))
		}
		noMissingKeys(t, "designate 422", r)
		fieldError(t, r.body, "reason", "指定理由：必填")
		if !strings.Contains(r.body, `<details class="designate noprint" open>`) {
			t.Error("the designation form is folded away although it has an error")
		}
		if !strings.Contains(r.body, `<option value="`+itoa(target)+`" selected>`) || !strings.Contains(r.body, `value="测chief"`) {
			t.Error("the designation form lost the chosen handler or the designator")
		}
		d, err := e.f.App.Cases.Get(t.Context(), e.f.Request(t, "a_case_manager"), e.pending)
		if err != nil {
			t.Fatal(err)
		}
		if d.Case.HandlerID != 0 || len(d.Assignments) != 0 {
			t.Fatal("a refused designation assigned the case")
		}
		// No handler chosen.
		r = c.post("/cases/"+itoa(e.pending)+"/designate", url.Values{"reason": {"回避"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", r.status)
		}
		fieldError(t, r.body, "handler_id", "承办人：必填")
		// With a reason it goes through and the page explains it.
		r = c.post("/cases/"+itoa(e.pending)+"/designate", url.Values{"handler_id": {itoa(target)}, "designated_by": {"测chief"}, "reason": {"本案与前案系关联案件"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("designation: status %d\n%s", r.status, excerpt(r.body))
		}
		r = c.get(r.location())
		for _, want := range []string{"分案完成", "指定分案：测chief 指定给 测检察官二，理由：本案与前案系关联案件"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
	})
}

func TestAssignRotation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		c := e.login(t, "a_case_manager")
		r := c.post("/cases/"+itoa(e.pending)+"/assign", nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("assign: status %d\n%s", r.status, excerpt(r.body))
		}
		r = c.get(r.location())
		if !strings.Contains(r.body, "分案完成") || !strings.Contains(r.body, "轮到") {
			t.Errorf("case page after rotation:\n%s", excerpt(r.body))
		}
		// Twice is refused with a message, not an error page.
		r = c.post("/cases/"+itoa(e.pending)+"/assign", nil)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "案件不在待分案状态") {
			t.Errorf("second assignment: status %d\n%s", r.status, excerpt(r.body))
		}
		noMissingKeys(t, "assign twice", r)
	})
}

// clock is a controllable "now" for the fixture.
type clock struct{ off atomic.Int64 }

func (c *clock) now() time.Time          { return apptest.Now().Add(time.Duration(c.off.Load())) }
func (c *clock) advance(d time.Duration) { c.off.Add(int64(d)) }

func TestLogin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clk := &clock{}
		e := newEnv(t, apptest.New(t, db, clk.now))

		t.Run("wrong password", func(t *testing.T) {
			for _, user := range []string{"a_prosecutor", "no_such_user"} {
				c := e.client(t)
				r := c.post("/login", url.Values{"username": {user}, "password": {"Wrong@2026x"}})
				if r.status != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", user, r.status)
				}
				if !strings.Contains(r.body, "用户名或密码错误；连续失败5次账户将被锁定15分钟") {
					t.Errorf("%s: no generic message", user)
				}
				if !strings.Contains(r.body, `value="`+user+`"`) {
					t.Errorf("%s: the username was not kept", user)
				}
				if c.sessionCookie() != nil {
					t.Errorf("%s: a failed login set a session cookie", user)
				}
				noMissingKeys(t, "login 401", r)
			}
		})

		t.Run("lockout", func(t *testing.T) {
			c := e.client(t)
			bad := url.Values{"username": {"a_prosecutor2"}, "password": {"Wrong@2026x"}}
			for range 5 {
				if r := c.post("/login", bad); r.status != http.StatusUnauthorized {
					t.Fatalf("status %d", r.status)
				}
			}
			good := url.Values{"username": {"a_prosecutor2"}, "password": {apptest.Password}}
			r := c.post("/login", good)
			if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "用户名或密码错误") {
				t.Fatalf("locked account: status %d, want 401 with the same message", r.status)
			}
			clk.advance(16 * time.Minute)
			if r := c.post("/login", good); r.status != http.StatusSeeOther {
				t.Fatalf("after the lock: status %d, want 303", r.status)
			}
		})

		t.Run("next", func(t *testing.T) {
			c := e.client(t)
			target := "/cases/" + itoa(e.assigned)
			r := c.get(target)
			if r.status != http.StatusSeeOther || r.location() != "/login?next="+url.QueryEscape(target) {
				t.Fatalf("status %d location %q", r.status, r.location())
			}
			r = c.get(r.location())
			if !strings.Contains(r.body, `name="next" value="`+target+`"`) {
				t.Fatal("the login form does not carry next")
			}
			r = c.post("/login", url.Values{"username": {"a_case_manager"}, "password": {apptest.Password}, "next": {target}})
			if r.status != http.StatusSeeOther || r.location() != target {
				t.Errorf("after login: status %d location %q, want %s", r.status, r.location(), target)
			}
			// No open redirect.
			for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`} {
				r = e.client(t).post("/login", url.Values{"username": {"a_case_manager"}, "password": {apptest.Password}, "next": {next}})
				if r.location() != "/" {
					t.Errorf("next %q: location %q, want /", next, r.location())
				}
			}
		})

		t.Run("htmx signed out", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/cases/new/party?i=1", nil)
			req.Header.Set("HX-Request", "true")
			r := e.client(t).do(req)
			if r.status != http.StatusUnauthorized || r.header.Get("HX-Redirect") != "/login" {
				t.Errorf("status %d HX-Redirect %q", r.status, r.header.Get("HX-Redirect"))
			}
		})

		t.Run("logout", func(t *testing.T) {
			c := e.client(t)
			r := c.post("/login", url.Values{"username": {"a_case_manager"}, "password": {apptest.Password}})
			sc := r.header.Get("Set-Cookie")
			for _, attr := range []string{"anguan_session=", "Path=/", "HttpOnly", "SameSite=Lax"} {
				if !strings.Contains(sc, attr) {
					t.Errorf("session cookie %q lacks %s", sc, attr)
				}
			}
			old := c.sessionCookie()
			if old == nil {
				t.Fatal("no session cookie")
			}
			r = c.post("/logout", nil)
			if r.status != http.StatusSeeOther || r.location() != "/login?flash=flash.logged_out" {
				t.Fatalf("logout: status %d location %q", r.status, r.location())
			}
			if r := c.get(r.location()); !strings.Contains(r.body, "已安全退出") {
				t.Error("no logged-out message")
			}
			// The old cookie, replayed, is worthless.
			replay := e.client(t)
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/cases", nil)
			req.AddCookie(&http.Cookie{Name: old.Name, Value: old.Value})
			r = replay.do(req)
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
				t.Errorf("old cookie after logout: status %d location %q", r.status, r.location())
			}
		})

		t.Run("idle timeout", func(t *testing.T) {
			c := e.login(t, "a_case_manager")
			clk.advance(29 * time.Minute)
			if r := c.get("/"); r.status != http.StatusOK {
				t.Fatalf("after 29 idle minutes: status %d, want 200", r.status)
			}
			clk.advance(29 * time.Minute) // active 29 minutes ago: still signed in
			if r := c.get("/cases"); r.status != http.StatusOK {
				t.Fatalf("29 minutes after the last request: status %d, want 200", r.status)
			}
			clk.advance(31 * time.Minute)
			r := c.get("/cases")
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login?") {
				t.Fatalf("after 31 idle minutes: status %d location %q, want 303 to /login", r.status, r.location())
			}
			if c.sessionCookie() != nil {
				t.Error("the expired session cookie was not cleared")
			}
			r = c.get(r.location())
			if !strings.Contains(r.body, "登录已超时，请重新登录") {
				t.Error("the login page does not say the session timed out")
			}
			noMissingKeys(t, "login after timeout", r)
		})
	})
}
