package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/store"
)

// TestEvaluationBrowser drives a real headless Chromium through a routine
// evaluation of last quarter's closed prosecution-review cases: the case
// manager plans the activity at 10%, draws the cases (the seed, rate,
// population and digest are shown and the draw repeats from them), assigns
// the evaluators automatically (none handles or touched the case) and
// starts it; the evaluator scores a case and proposes a grade; the
// handling prosecutor objects to one finding; the team leader, for the
// committee, overturns it and decides the final grade; the case report
// downloaded over the session carries it. Any script error fails the test.
//
// Screenshots of the activity, the record and the statistics go to
// t.TempDir(), or to the directory in ANGUAN_SCREENSHOTS when it is set.
func TestEvaluationBrowser(t *testing.T) {
	eachBrowserTab(t, evaluationScenario)
}

// lastQuarterCases registers, in 甲县院, n prosecution-review cases
// received in October and November 2025 and closed in the fourth quarter
// (handlers in turn a_prosecutor, a_prosecutor2, a_prosecutor3), and two
// closed in February 2026 that the activity must not draw. It returns the
// fourth-quarter cases' ids.
func lastQuarterCases(t *testing.T, f *apptest.Fixture, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	cm := f.Request(t, "a_case_manager")
	handlers := []string{"a_prosecutor", "a_prosecutor2", "a_prosecutor3"}
	var q4 []int64
	for i := range n + 2 {
		in := apptest.Intake(700 + i)
		received := deadline.NewDate(2025, time.October, 8).AddDays(4 * i)
		if i >= n {
			received = deadline.NewDate(2026, time.February, 2).AddDays(i - n)
		}
		in.ReceivedOn = received.String()
		id, err := f.App.Cases.Register(ctx, cm, in)
		if err != nil {
			t.Fatalf("intake %d: %v", i, err)
		}
		handler := handlers[i%len(handlers)]
		if _, err := f.App.Assigner.Designate(ctx, cm, id, f.User(t, handler).ID, "测检察长", "专业化办案，指定承办"); err != nil {
			t.Fatal(err)
		}
		for _, ev := range []casefile.Event{
			{Code: casefile.EventRightsNotified, OccurredOn: received.AddDays(1).String()},
			{Code: casefile.EventDecided, OccurredOn: received.AddDays(18).String(), Outcome: "prosecute"},
			{Code: casefile.EventClosed, OccurredOn: received.AddDays(20).String()},
		} {
			if _, err := f.App.Cases.AddEvent(ctx, f.Request(t, handler), id, ev); err != nil {
				t.Fatalf("case %d event %s: %v", i, ev.Code, err)
			}
		}
		if i < n {
			q4 = append(q4, id)
		}
	}
	return q4
}

func evaluationScenario(t *testing.T, tab context.Context, db *store.DB) {
	f := apptest.New(t, db, nil)
	ctx := context.Background()
	if _, err := f.App.Evaluation.InstallDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	const population = 12
	q4 := lastQuarterCases(t, f, population)
	srv := f.Server(t)
	dir := os.Getenv("ANGUAN_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	sh := &shots{dir: dir, prefix: "evaluation-" + string(db.Engine())}

	pg := browserPage{t: t, tab: tab}
	do, text, signIn, signOut, flash := pg.do, pg.text, pg.signIn, pg.signOut, pg.flash
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	stopErrors := collectScriptErrors(t, tab)
	defer stopErrors()
	// submit clicks a form's button and waits for the page after the
	// redirect: the old page is marked, so its flash does not count, and
	// evaluations that a navigation interrupts are tried again.
	submit := func(what, button string) {
		t.Helper()
		do(what, chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = "1"`), chromedp.Click(css(button)))
		until := time.Now().Add(20 * time.Second)
		for {
			ctx, cancel := context.WithTimeout(tab, 2*time.Second)
			ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
				`document.readyState === "complete" && document.body.dataset.stale !== "1" && !!document.querySelector(".flash")`))
			cancel()
			if err == nil && ready {
				return
			}
			if time.Now().After(until) {
				t.Fatalf("%s: no page with a message after the submission (%v)", what, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	id := func(username string) string { return itoa(f.User(t, username).ID) }

	// The case manager plans the activity from the case-quality landing page.
	do("open", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"))
	signIn("a_case_manager")
	do("plan an activity",
		chromedp.Click(css(`header.top nav a[href="/quality"]`)),
		chromedp.WaitVisible(css("#home-activities")),
		chromedp.Click(css("#new-activity-link")),
		chromedp.WaitVisible(css("#activity-form")),
	)
	for sel, want := range map[string]string{"#closed_from": "2025-10-01", "#closed_to": "2025-12-31"} {
		v, err := chromedp.Run(tab, chromedp.Value(css(sel)))
		if err != nil || v != want {
			t.Errorf("%s defaults to %q (%v), want last quarter's %s", sel, v, err, want)
		}
	}
	do("fill the plan",
		chromedp.SendKeys(css("#name"), "2025年第四季度审查起诉案件常规抽查"),
		chromedp.Click(css(`input[name="categories"][value="prosecution_review"]`)),
		chromedp.SetValue(css("#leader_id"), id("a_chief")),
		chromedp.Click(css(`input[name="evaluator_ids"][value="`+id("a_prosecutor")+`"]`)),
		chromedp.Click(css(`input[name="evaluator_ids"][value="`+id("a_prosecutor2")+`"]`)),
		chromedp.Click(css(`input[name="evaluator_ids"][value="`+id("a_prosecutor3")+`"]`)),
		chromedp.Click(css(`input[name="committee_ids"][value="`+id("a_dept_head")+`"]`)),
	)
	submit("create the activity", "#create-activity")
	flash("评查活动已创建，请抽取案件")

	// Draw at 10% with a seed the system makes; the page shows what lets
	// anyone repeat the draw.
	do("draw", chromedp.Clear(css("#rate")), chromedp.SendKeys(css("#rate"), "10"))
	submit("draw at random", "#submit-draw-random")
	flash("案件已抽取")
	if got := text("#draw-rate"); got != "10%" {
		t.Errorf("rate %q", got)
	}
	if got := text("#draw-population"); got != fmt.Sprintf("%d件", population) {
		t.Errorf("population %q", got)
	}
	wantDrawn := evaluation.SampleSize(population, 10)
	if got := text("#draw-drawn"); got != fmt.Sprintf("%d件", wantDrawn) {
		t.Errorf("drawn %q, want %d", got, wantDrawn)
	}
	seedText := text("#draw-seed")
	if got := text("#draw-digest"); got != evaluation.Digest(q4) {
		t.Errorf("digest %q, want the digest of the fourth quarter's cases", got)
	}
	var seed int64
	if _, err := fmt.Sscan(seedText, &seed); err != nil || seed <= 0 {
		t.Fatalf("seed %q", seedText)
	}

	// Auto-assign, then start.
	submit("assign", "#submit-assign")
	flash("评查员已分配")
	if got := text("#record-table"); !strings.Contains(got, "分配说明") {
		t.Errorf("records without the assignment explanation: %q", got)
	}
	submit("start", "#submit-start")
	flash("评查活动已开始")
	if got := text("#activity-status"); got != "评查中" {
		t.Errorf("activity status %q", got)
	}
	sh.save(t, tab, "activity")

	// The draw repeats from its record, and no evaluator handles the case
	// or recorded an event on it.
	cm := evalReq(t, f, "a_case_manager")
	acts, _, err := f.App.Evaluation.ListActivities(ctx, cm, evaluation.ActivityFilter{})
	if err != nil || len(acts) != 1 {
		t.Fatalf("activities: %v, %v", acts, err)
	}
	act := acts[0]
	recs, _, err := f.App.Evaluation.ListRecords(ctx, cm, evaluation.RecordFilter{ActivityID: act.ID})
	if err != nil {
		t.Fatal(err)
	}
	var drawn []int64
	for _, r := range recs {
		drawn = append(drawn, r.Case.ID)
		d, err := f.App.Cases.Get(ctx, f.Request(t, "a_case_manager"), r.Case.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.EvaluatorID == 0 || r.EvaluatorID == d.Case.HandlerID || r.EvaluatorID == r.HandlerID {
			t.Errorf("case %d: evaluator %d, handler %d", r.Case.ID, r.EvaluatorID, d.Case.HandlerID)
		}
		for _, ev := range d.Events {
			if ev.ActorID == r.EvaluatorID {
				t.Errorf("case %d: the evaluator recorded %s on it", r.Case.ID, ev.Code)
			}
		}
	}
	slices.Sort(drawn)
	if want := evaluation.Sample(q4, seed, 10); !slices.Equal(drawn, want) || act.Draw.Seed != seed {
		t.Errorf("drawn %v with seed %d; the seed repeats to %v", drawn, act.Draw.Seed, want)
	}
	rec := recs[0]
	username := func(uid int64) string {
		for n, u := range f.Users {
			if u.ID == uid {
				return n
			}
		}
		t.Fatalf("no user %d", uid)
		return ""
	}
	evaluator, handler := username(rec.EvaluatorID), username(rec.HandlerID)
	recordPath := "/quality/records/" + itoa(rec.ID)
	signOut()

	// The evaluator scores two findings and proposes 基本合格.
	signIn(evaluator)
	do("open the task",
		chromedp.Click(css(`header.top nav a[href="/quality"]`)),
		chromedp.WaitVisible(css("#my-tasks")),
		chromedp.Click(css(`#my-tasks a[href="`+recordPath+`"]`)),
		chromedp.WaitVisible(css("#form-score")),
		chromedp.Click(css(`input[name="opt.PS-PC-02"][value="flaw"]`)),
		chromedp.SendKeys(css(`input[name="note.PS-PC-02"]`), "受理后第五日才告知犯罪嫌疑人有权委托辩护人"),
		chromedp.Click(css(`input[name="opt.PS-DC-06"][value="flaw"]`)),
		chromedp.SendKeys(css(`input[name="note.PS-DC-06"]`), "案卡“认罪认罚”项填录为“否”"),
	)
	submit("score", "#submit-score")
	flash("评分已保存")
	if got := text("#suggested"); got != "基本合格案件" {
		t.Errorf("suggested grade %q", got)
	}
	do("propose",
		chromedp.Click(css(`#form-propose input[name="grade"][value="basic"]`)),
		chromedp.SendKeys(css("#propose-reasons"), "权利告知超过三日期限，案卡填录错误，属办案瑕疵"),
	)
	submit("propose", "#submit-propose")
	flash("等次已拟定，已送承办人反馈")
	signOut()

	// The handler objects to the data-entry finding, in time.
	signIn(handler)
	do("open the proposal",
		chromedp.Click(css(`header.top nav a[href="/quality"]`)),
		chromedp.WaitVisible(css("#my-responses")),
		chromedp.Click(css(`#my-responses a[href="`+recordPath+`"]`)),
		chromedp.WaitVisible(css("#form-object")),
	)
	if got := text("#response-due"); got != "2026-03-23" {
		t.Errorf("response due %q, want 5 working days after 16 March", got)
	}
	do("object",
		chromedp.Click(css(`#form-object input[name="contest"][value="PS-DC-06"]`)),
		chromedp.SendKeys(css(`input[name="objection.PS-DC-06"]`), "结案前已更正案卡，卷内有更正记录"),
		chromedp.SendKeys(css("#object-reason"), "案卡问题已在结案前更正，不应认定为瑕疵"),
	)
	submit("object", "#submit-object")
	flash("异议已提交，待评查委员会决定")
	signOut()

	// The team leader decides for the committee: the finding is
	// overturned, one flaw remains, the final grade is 基本合格.
	signIn("a_chief")
	do("open the objection",
		chromedp.Click(css(`header.top nav a[href="/quality"]`)),
		chromedp.WaitVisible(css("#to-decide")),
		chromedp.Click(css(`#to-decide a[href="`+recordPath+`"]`)),
		chromedp.WaitVisible(css("#form-decide")),
		chromedp.Click(css(`input[name="overturn.PS-DC-06"][value="1"]`)),
		chromedp.SendKeys(css(`input[name="decision.PS-DC-06"]`), "卷内有结案前的更正记录"),
		chromedp.Click(css(`#form-decide input[name="grade"][value="basic"]`)),
		chromedp.SendKeys(css("#decide-reason"), "撤销案卡问题；权利告知超期的瑕疵成立，维持基本合格"),
	)
	submit("decide", "#submit-decide")
	flash("评查委员会决定已记录，等次已确定")
	if got := text("#final-grade"); got != "基本合格案件" {
		t.Errorf("final grade %q", got)
	}
	if got := text("#record-findings"); !strings.Contains(got, "撤销") || !strings.Contains(got, "卷内有结案前的更正记录") {
		t.Errorf("findings after the decision: %q", got)
	}
	history := text("#history")
	at := 0
	for _, w := range []string{"抽取案件", "分配评查员", "评分", "拟定等次", "承办人提出异议", "评查委员会决定"} {
		i := strings.Index(history[at:], w)
		if i < 0 {
			t.Fatalf("history lacks %q after position %d: %q", w, at, history)
		}
		at += i + len(w)
	}
	sh.save(t, tab, "record")

	// The case report, over the browser's session.
	body := download(t, tab, srv.URL, recordPath+"/report.docx")
	report := docText(t, body)
	for _, w := range []string{"案件质量评查报告", "最终等次", "基本合格案件", "撤销：卷内有结案前的更正记录", rec.Case.Name} {
		if !strings.Contains(report, w) {
			t.Errorf("the case report lacks %q:\n%s", w, report)
		}
	}

	// The statistics count the final grade.
	do("statistics",
		chromedp.Click(css(`nav.tabs a[href="/quality/stats"]`)),
		chromedp.WaitVisible(css("#t-grades")),
	)
	if got := text("#t-grades"); !strings.Contains(got, "甲县人民检察院") || !strings.Contains(got, "基本合格案件") {
		t.Errorf("grade table: %q", got)
	}
	if got := text("#t-calibration"); !strings.Contains(got, f.Users[evaluator].Name) || !strings.Contains(got, "50%") {
		t.Errorf("calibration: %q", got)
	}
	sh.save(t, tab, "stats")
	if dir != "" {
		t.Logf("screenshots in %s", filepath.Join(dir, sh.prefix+"-*"))
	}
}

// download fetches path with the browser's cookies and returns the body
// of a Word document.
func download(t *testing.T, tab context.Context, base, path string) []byte {
	t.Helper()
	cookies, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{base}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != docxContentType {
		t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return body
}
