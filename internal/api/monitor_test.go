package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/monitor"
)

// findingBody is the part of a finding answer the tests read.
type findingBody struct {
	ID         int64  `json:"id"`
	CaseID     int64  `json:"case_id"`
	CaseName   string `json:"case_name"`
	StageNo    string `json:"stage_no"`
	RuleID     string `json:"rule_id"`
	Manual     bool   `json:"manual"`
	Title      string `json:"title"`
	Detail     string `json:"detail"`
	Area       string `json:"area"`
	Step       string `json:"step"`
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
	Reported   bool   `json:"reported"`
	ClosedOn   string `json:"closed_on"`
	Notice     *struct {
		Number    string `json:"number"`
		ReplyDue  string `json:"reply_due"`
		RepliedOn string `json:"replied_on"`
		ReplyText string `json:"reply_text"`
		ReplyDays int    `json:"reply_days"`
		Overdue   bool   `json:"overdue"`
	} `json:"notice"`
	Rule *struct {
		Basis string `json:"basis"`
	} `json:"rule"`
	Actions []struct {
		Kind      string `json:"kind"`
		Note      string `json:"note"`
		ActorName string `json:"actor_name"`
	} `json:"actions"`
	Allowed []string `json:"allowed_actions"`
}

func (f findingBody) kinds() []string {
	var out []string
	for _, a := range f.Actions {
		out = append(out, a.Kind)
	}
	return out
}

// TestMonitorFindingFlow: a finding recorded by hand goes through the
// graded response over the API — notice, reply, report, close — each
// answer the finding as it stands, with the actions the caller may take;
// the notice downloads as a Word document, audited.
func TestMonitorFindingFlow(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		caseID := e.inProgress(t, 1, "a_prosecutor")
		r := e.do(t, "a_case_manager", "POST", "/api/v1/monitor/findings", map[string]any{"case_id": caseID,
			"area": "coercive_measures", "severity": "serious", "description": "逮捕后未在24小时内通知家属"})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %s", r)
		}
		var f findingBody
		r.decode(t, &f)
		if r.header.Get("Location") != findingPath(f.ID, "") || !f.Manual || f.RuleID != "" || f.Title != "强制措施" ||
			f.Detail != "逮捕后未在24小时内通知家属" || f.Status != "open" || f.Notice != nil || f.Rule != nil ||
			!slices.Equal(f.kinds(), []string{"detect"}) ||
			!slices.Equal(f.Allowed, []string{"prompt", "notice", "transfer", "close"}) {
			t.Fatalf("created finding: %s", r)
		}
		get := func(user string) findingBody {
			t.Helper()
			r := e.do(t, user, "GET", findingPath(f.ID, ""), nil)
			if r.status != http.StatusOK {
				t.Fatalf("get as %s: %s", user, r)
			}
			var out findingBody
			r.decode(t, &out)
			return out
		}
		if got := get("a_prosecutor"); len(got.Allowed) != 0 {
			t.Errorf("the handler may %v before any notice", got.Allowed)
		}
		act := func(user string, body map[string]any) findingBody {
			t.Helper()
			r := e.do(t, user, "POST", findingPath(f.ID, "/actions"), body)
			if r.status != http.StatusOK {
				t.Fatalf("%v as %s: %s", body["action"], user, r)
			}
			var out findingBody
			r.decode(t, &out)
			return out
		}
		f = act("a_case_manager", map[string]any{"action": "notice", "requested_action": "立即通知家属并书面说明"})
		if f.Status != "awaiting_reply" || f.Step != "notified" || f.Notice == nil || f.Notice.Number != "甲检检案管监〔2026〕1号" ||
			f.Notice.ReplyDue != "2026-03-26" || f.Notice.RepliedOn != "" || f.Notice.Overdue {
			t.Fatalf("after the notice: %+v", f)
		}
		if got := get("a_prosecutor"); !slices.Equal(got.Allowed, []string{"reply"}) {
			t.Errorf("the handler may %v once the notice is out", got.Allowed)
		}
		if got := get("a_dept_head"); !slices.Equal(got.Allowed, []string{"reply"}) {
			t.Errorf("the department head may %v", got.Allowed)
		}
		if got := get("a_chief"); len(got.Allowed) != 0 {
			t.Errorf("the chief may %v", got.Allowed)
		}
		f = act("a_case_manager", map[string]any{"action": "report_chief", "note": "情节严重，已报告检察长"})
		if !f.Reported || f.Step != "reported" {
			t.Errorf("after the report: %+v", f)
		}
		f = act("a_prosecutor", map[string]any{"action": "reply", "reply": "已通知家属，今后逮捕当日通知"})
		if f.Status != "replied" || f.Notice.RepliedOn != "2026-03-16" || f.Notice.ReplyDays != 0 ||
			f.Notice.ReplyText != "已通知家属，今后逮捕当日通知" {
			t.Errorf("after the reply: %+v", f.Notice)
		}
		f = act("a_case_manager", map[string]any{"action": "close", "rectified": true, "note": "核查通知记录，已整改"})
		if f.Status != "rectified" || f.StatusName != "已整改办结" || f.ClosedOn != "2026-03-16" || len(f.Allowed) != 0 ||
			!slices.Equal(f.kinds(), []string{"detect", "notice", "report_chief", "reply", "close_rectified"}) {
			t.Errorf("after closing: %+v", f)
		}

		// The notice as a Word document, for everyone who can read it.
		for _, user := range []string{"a_case_manager", "a_prosecutor", "up_upper_supervisor"} {
			r := e.do(t, user, "GET", findingPath(f.ID, "/notice.docx"), nil)
			if r.status != http.StatusOK {
				t.Fatalf("notice as %s: %d", user, r.status)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd,
				"filename*=UTF-8''"+url.QueryEscape("甲检检案管监〔2026〕1号.docx")) {
				t.Errorf("Content-Disposition %q", cd)
			}
			text, err := docx.Text(strings.NewReader(string(r.body)), int64(len(r.body)))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{"甲检检案管监〔2026〕1号", f.CaseName, f.StageNo, "2026年3月26日", "立即通知家属并书面说明"} {
				if !strings.Contains(text, w) {
					t.Errorf("the notice lacks %q", w)
				}
			}
		}
		entries, err := e.f.DB.AuditEntries(context.Background(), audit.Query{Action: "monitor.notice_export", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Errorf("%d notice downloads audited, want 3", len(entries))
		}

		// Out of scope reads like missing; a finding without a notice has
		// no document.
		for _, c := range []struct {
			user, path string
			want       int
		}{
			{"b_case_manager", findingPath(f.ID, ""), http.StatusNotFound},
			{"a_prosecutor2", findingPath(f.ID, ""), http.StatusNotFound},
			{"b_case_manager", findingPath(f.ID, "/notice.docx"), http.StatusNotFound},
			{"a_case_manager", findingPath(e.monitorFinding(t, 2, "a_prosecutor", false), "/notice.docx"), http.StatusNotFound},
			{"a_case_manager", findingPath(987654, ""), http.StatusNotFound},
			{"a_case_manager", "/api/v1/monitor/findings/abc", http.StatusNotFound},
		} {
			if r := e.do(t, c.user, "GET", c.path, nil); r.status != c.want || r.err(t).Error.Code != "not_found" {
				t.Errorf("GET %s as %s: %s, want %d", c.path, c.user, r, c.want)
			}
		}
		// Acting on a visible finding without the right answers 403.
		for _, c := range []struct {
			user string
			body map[string]any
		}{
			{"a_prosecutor", map[string]any{"action": "prompt"}},
			{"a_dept_head", map[string]any{"action": "transfer", "note": "移送"}},
		} {
			if r := e.do(t, c.user, "POST", findingPath(f.ID, "/actions"), c.body); r.status != http.StatusForbidden {
				t.Errorf("%v as %s: %s", c.body["action"], c.user, r)
			}
		}
	})
}

// TestMonitorFindingList: the list filters in SQL, pages by cursor and
// shows each caller only their scope.
func TestMonitorFindingList(t *testing.T) {
	eachEngine(t, nil, func(t *testing.T, e *env) {
		mine := e.monitorFinding(t, 1, "a_prosecutor", true)
		other := e.monitorFinding(t, 2, "a_prosecutor2", false)
		if _, err := e.f.App.Monitor.Scan(context.Background(), "2026-03-16"); err != nil {
			t.Fatal(err)
		}
		list := func(user, query string) []findingBody {
			t.Helper()
			r := e.do(t, user, "GET", "/api/v1/monitor/findings"+query, nil)
			if r.status != http.StatusOK {
				t.Fatalf("list %s as %s: %s", query, user, r)
			}
			var out struct {
				Items []findingBody `json:"items"`
				Next  *string       `json:"next"`
			}
			r.decode(t, &out)
			return out.Items
		}
		ids := func(fs []findingBody) []int64 {
			out := []int64{}
			for _, f := range fs {
				out = append(out, f.ID)
			}
			return out
		}
		all := list("a_case_manager", "?limit=200")
		scanned := 0
		for _, f := range all {
			if f.RuleID == monitor.RuleRightsNoticeLate {
				scanned++
			}
		}
		if len(all) != 2+scanned || scanned != 2 || all[len(all)-1].ID != mine {
			t.Fatalf("case manager's list: %v (%d by the scan)", ids(all), scanned)
		}
		for _, c := range []struct {
			user, query string
			want        []int64
		}{
			{"a_case_manager", "?status=awaiting_reply", []int64{mine}},
			{"a_case_manager", "?area=files_out&severity=fairly_serious", []int64{other, mine}},
			{"a_case_manager", "?handler_id=" + itoa(e.f.User(t, "a_prosecutor2").ID) + "&area=files_out", []int64{other}},
			{"a_case_manager", "?from=2026-03-17", []int64{}},
			{"a_prosecutor", "?area=files_out", []int64{mine}},
			{"a_prosecutor2", "?area=files_out&open=true", []int64{other}},
			{"b_case_manager", "", []int64{}},
			{"up_upper_supervisor", "?area=files_out", []int64{other, mine}},
		} {
			if got := ids(list(c.user, c.query)); !slices.Equal(got, c.want) {
				t.Errorf("%s as %s: %v, want %v", c.query, c.user, got, c.want)
			}
		}
		if got := list("a_case_manager", "?rule="+monitor.RuleRightsNoticeLate); len(got) != scanned {
			t.Errorf("by rule: %d findings", len(got))
		}
		// Pages of one, by cursor, give each finding once.
		var paged []int64
		next := ""
		for range 10 {
			r := e.do(t, "a_case_manager", "GET", "/api/v1/monitor/findings?limit=1"+next, nil)
			var page struct {
				Items []findingBody `json:"items"`
				Next  *string       `json:"next"`
			}
			r.decode(t, &page)
			paged = append(paged, ids(page.Items)...)
			if page.Next == nil {
				break
			}
			next = "&next=" + url.QueryEscape(*page.Next)
		}
		if !slices.Equal(paged, ids(all)) {
			t.Errorf("paged %v, listed %v", paged, ids(all))
		}
	})
}
