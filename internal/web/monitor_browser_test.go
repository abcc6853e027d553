package web_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/store"
)

// TestMonitorBrowser drives a real headless Chromium through the graded
// response to an overdue case: the case manager sees the red row on the
// board, opens the finding the scan made and issues a monitoring notice;
// the prosecutor replies; the case manager closes it as rectified. The
// finding page then shows 已整改 and every step, and the notice downloads
// as a Word document over the session. Any script error fails the test.
//
// Screenshots of the board and the finding go to t.TempDir(), or to the
// directory in ANGUAN_SCREENSHOTS when it is set (to look at them).
func TestMonitorBrowser(t *testing.T) {
	eachBrowserTab(t, monitorScenario)
}

// overdueCase registers, in 甲县院, a case received on 10 February with its
// suspect in custody and designates it to a_prosecutor: its one-month
// prosecution review ended on 10 March (custody: no holiday extension), so
// on the fixture's 16 March it is red, and the scan reports it.
func overdueCase(t *testing.T, f *apptest.Fixture) (int64, casefile.Case) {
	t.Helper()
	ctx := context.Background()
	cm := f.Request(t, "a_case_manager")
	in := apptest.Intake(500)
	in.Name, in.ReceivedOn = "测某超期盗窃案", "2026-02-10"
	id, err := f.App.Cases.Register(ctx, cm, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.App.Assigner.Designate(ctx, cm, id, f.User(t, "a_prosecutor").ID, "测检察长", "在押案件，指定承办"); err != nil {
		t.Fatal(err)
	}
	// Some cases in time, so the board and the list are not trivially one row.
	for i := range 4 {
		other, err := f.App.Cases.Register(ctx, cm, apptest.Intake(510+i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.App.Assigner.Rotate(ctx, cm, other); err != nil {
			t.Fatal(err)
		}
	}
	d, err := f.App.Cases.Get(ctx, cm, id)
	if err != nil {
		t.Fatal(err)
	}
	return id, d.Case
}

func monitorScenario(t *testing.T, tab context.Context, db *store.DB) {
	f := apptest.New(t, db, nil)
	ctx := context.Background()
	caseID, kase := overdueCase(t, f)
	if _, err := f.App.Monitor.Scan(ctx, "2026-03-16"); err != nil {
		t.Fatal(err)
	}
	// The finding the scan made of the overdue review.
	var findingID int64
	list, _, err := f.App.Monitor.List(ctx, monitor.Request(f.Request(t, "a_case_manager")),
		monitor.Filter{RuleID: monitor.RuleDeadlineOverdue})
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range list {
		if fd.Case.ID == caseID {
			findingID = fd.ID
		}
	}
	if findingID == 0 {
		t.Fatalf("the scan did not report the overdue review: %+v", list)
	}
	findingPath := "/monitor/findings/" + itoa(findingID)
	srv := f.Server(t)
	dir := os.Getenv("ANGUAN_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	sh := &shots{dir: dir, prefix: "monitor-" + string(db.Engine())}

	pg := browserPage{t: t, tab: tab}
	do, text, signIn, signOut, flash := pg.do, pg.text, pg.signIn, pg.signOut, pg.flash
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	stopErrors := collectScriptErrors(t, tab)
	defer stopErrors()
	openFinding := func() {
		t.Helper()
		do("open the finding from the list",
			chromedp.Click(css(`header.top nav a[href="/monitor/findings"]`)),
			chromedp.WaitVisible(css("table.findings")),
			chromedp.Click(css(`table.findings a[href="`+findingPath+`"]`)),
			chromedp.WaitVisible(css("#history")),
		)
	}

	// The case manager: the red row on the board.
	do("open", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"))
	signIn("a_case_manager")
	do("board", chromedp.Click(css(`header.top nav a[href="/board"]`)), chromedp.WaitVisible(css("table.board")))
	red, err := chromedp.Run(tab, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll("table.board tr.row-red")).map(r => r.innerText).join("\n")`))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"测某超期盗窃案", "2026-03-10", "审查起诉期限", "测prosecutor", "已超期"} {
		if !strings.Contains(red, w) {
			t.Errorf("red row of the board lacks %q: %q", w, red)
		}
	}
	sh.save(t, tab, "board")

	// The finding, from the monitoring list; issue the notice.
	openFinding()
	if got := text("h1"); !strings.Contains(got, "办案期限已超期") || !strings.Contains(got, "待处置") {
		t.Errorf("finding heading %q", got)
	}
	if got := text("#rule-basis"); !strings.Contains(got, "第六百六十五条") {
		t.Errorf("legal basis %q", got)
	}
	if got := text("#finding-detail"); !strings.Contains(got, "2026-03-10") || !strings.Contains(got, "超期6日") {
		t.Errorf("finding detail %q", got)
	}
	do("issue the notice",
		chromedp.SendKeys(css("#notice-requested_action"), "立即审查并作出决定，三日内书面说明超期原因"),
		chromedp.Click(css("#submit-notice")),
		chromedp.WaitVisible(css("#notice-number")),
	)
	flash("案件流程监控通知书已发出")
	number := text("#notice-number")
	if want := "甲检检案管监〔2026〕1号"; number != want {
		t.Errorf("notice number %q, want %q", number, want)
	}
	// R665: 10 days from 16 March is Thursday 26 March.
	if got := text("#reply-due"); got != "2026-03-26" {
		t.Errorf("reply due %q", got)
	}
	signOut()

	// The prosecutor replies.
	signIn("a_prosecutor")
	if got := text("#home-monitor"); !strings.Contains(got, "待书面回复") {
		t.Errorf("the prosecutor's home page: %q", got)
	}
	openFinding()
	do("reply",
		chromedp.SendKeys(css("#reply-reply"), "已于3月17日作出起诉决定，超期系卷宗移送延误，已整改"),
		chromedp.Click(css("#submit-reply")),
		chromedp.WaitVisible(css(".flash")),
	)
	flash("书面回复已提交")
	if got := text("#notice-reply"); !strings.Contains(got, "已于3月17日作出起诉决定") || !strings.Contains(got, "测prosecutor") {
		t.Errorf("reply on the notice: %q", got)
	}
	signOut()

	// The case manager closes it as rectified.
	signIn("a_case_manager")
	openFinding()
	do("close",
		chromedp.Click(css(`#form-close input[name="rectified"][value="1"]`)),
		chromedp.SendKeys(css("#close-note"), "核查起诉决定书，已整改"),
		chromedp.Click(css("#submit-close")),
		chromedp.WaitVisible(css(".flash")),
	)
	flash("问题已办结")
	if got := text("#finding-status"); !strings.Contains(got, "已整改") {
		t.Errorf("status after closing: %q", got)
	}
	history := text("#history")
	at := 0
	for _, w := range []string{"发现问题", "系统（流程监控）", "发出案件流程监控通知书", "立即审查并作出决定", "书面回复",
		"已于3月17日作出起诉决定", "核查已整改，办结", "核查起诉决定书"} {
		i := strings.Index(history[at:], w)
		if i < 0 {
			t.Fatalf("history lacks %q after position %d: %q", w, at, history)
		}
		at += i + len(w)
	}
	sh.save(t, tab, "finding")

	// The notice as Word, over the browser's session.
	cookies, err := chromedp.Call(tab, network.GetCookies, network.GetCookiesParams{URLs: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, srv.URL+findingPath+"/notice.docx", nil)
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
		t.Fatalf("notice download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	checkNoticeDocx(t, body, number, kase.Name, kase.StageNo, "2026年3月26日")
	if dir != "" {
		t.Logf("screenshots in %s", filepath.Join(dir, sh.prefix+"-*"))
	}
}
