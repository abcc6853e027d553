package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives a real headless Chromium through the case manager's
// day: sign in through the form, register a case (adding a second party
// with the htmx button), assign it by rotation, and find the stage number,
// the timeline and the assignment explanation on the case page.
//
// Screenshots (full page, PNG, 1280×800 viewport) go to the directory in
// ANGUAN_SCREENSHOTS when it is set.
func TestBrowser(t *testing.T) {
	eachBrowserTab(t, browserScenario)
}

// eachBrowserTab starts one headless Chromium and runs scenario on every
// engine in a fresh browser context (no shared cookies). A missing Chromium
// skips the test, except in CI, where it fails.
func eachBrowserTab(t *testing.T, scenario func(t *testing.T, tab context.Context, db *store.DB)) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s is missing: install Debian's chromium", chromiumPath)
		}
		t.Skipf("%s is missing (install Debian's chromium and fonts-noto-cjk)", chromiumPath)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 800),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	// The first Do starts the browser and binds it to this context, which
	// therefore has no timeout (timeouts go on the actions).
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		defer cancel()
		if err := chromedp.Do(tab); err != nil {
			t.Fatal(err)
		}
		scenario(t, tab, db)
	})
}

// browserPage is a tab with the steps every browser scenario takes:
// actions with a deadline (a missing element fails the test instead of
// hanging it; waiting for elements is not a timing assertion), reading a
// text, signing in and out, the flash.
type browserPage struct {
	t   *testing.T
	tab context.Context
}

func (p browserPage) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

func (p browserPage) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab, 20*time.Second)
	defer cancel()
	// A page whose DOM is replaced between the query and the read (a
	// script redrawing a chart, a late swap) leaves a stale node id; the
	// query is then run again on the new node.
	for attempt := 0; ; attempt++ {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		if err == nil {
			return s
		}
		if attempt < 3 && strings.Contains(err.Error(), "No node with given id") {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		p.t.Fatalf("text of %s: %v", sel, err)
	}
}

func (p browserPage) signIn(username string) {
	p.t.Helper()
	p.do("sign in as "+username,
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), apptest.Password),
		chromedp.Click(chromedp.CSS(".login button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("header.top nav")),
	)
}

func (p browserPage) signOut() {
	p.t.Helper()
	p.do("sign out", chromedp.Click(chromedp.CSS("header.top .who button")), chromedp.WaitVisible(chromedp.CSS("#username")))
}

func (p browserPage) flash(want string) {
	p.t.Helper()
	if got := p.text(".flash"); got != want {
		p.t.Errorf("flash %q, want %q", got, want)
	}
}

// collectScriptErrors fails the test for every script exception or
// console error in the tab, when the returned func runs.
func collectScriptErrors(t *testing.T, tab context.Context) func() {
	var mu sync.Mutex
	var errs []string
	if err := chromedp.Listen(tab, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
				msg += " " + ex.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError {
				return
			}
			msg = "console.error"
			for _, a := range ev.Args {
				msg += " " + string(a.Value)
			}
		default:
			return
		}
		mu.Lock()
		errs = append(errs, msg)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range errs {
			t.Errorf("script error in the browser: %s", m)
		}
	}
}

// shots saves screenshots when ANGUAN_SCREENSHOTS names a directory.
type shots struct {
	dir, prefix string
	n           int
}

func (s *shots) save(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if s.dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	s.n++
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.dir, fmt.Sprintf("%s-%02d-%s.png", s.prefix, s.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func browserScenario(t *testing.T, tab context.Context, db *store.DB) {
	f := apptest.New(t, db, nil)
	// Some earlier cases, so the list looks like a working day and the new
	// case's number is not trivially the first.
	cm := f.Request(t, "a_case_manager")
	const earlier = 6
	for i := range earlier {
		id, err := f.App.Cases.Register(t.Context(), cm, apptest.Intake(100+i))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := f.App.Assigner.Rotate(t.Context(), cm, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	srv := f.Server(t)
	sh := &shots{dir: os.Getenv("ANGUAN_SCREENSHOTS"), prefix: string(db.Engine())}

	pg := browserPage{t: t, tab: tab}
	do, text := pg.do, pg.text
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Script errors on any page fail the test (a broken htmx attribute
	// shows up here, not as a missing element later).
	defer collectScriptErrors(t, tab)()

	// Sign in through the form.
	do("open", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css("#username")))
	sh.save(t, tab, "login")
	do("sign in",
		chromedp.SendKeys(css("#username"), "a_case_manager"),
		chromedp.SendKeys(css("#password"), apptest.Password),
		chromedp.Click(css(".login button[type=submit]")),
		chromedp.WaitVisible(css("header.top nav")),
	)
	if got := text("header.top .who"); !strings.Contains(got, "甲县人民检察院") {
		t.Errorf("header after sign-in: %q", got)
	}

	// 受理登记 through the navigation.
	do("open intake", chromedp.Click(css(`header.top nav a[href="/cases/new"]`)), chromedp.WaitVisible(css("#intake-submit")))
	id1, id2 := apptest.IDNumber(61), apptest.IDNumber(62)
	gender := func(id string) string {
		if (id[16]-'0')%2 == 0 {
			return "female"
		}
		return "male"
	}
	p := func(i int, name string) chromedp.CSS { return css(fmt.Sprintf(`[name="parties[%d].%s"]`, i, name)) }
	do("fill the case",
		chromedp.SetValue(css("#category"), "prosecution_review"),
		chromedp.SendKeys(css("#name"), "测某浏览器盗窃案"),
		chromedp.SetValue(css("#received_on"), "2026-03-10"),
		chromedp.SendKeys(css("#transferring_organ"), "甲县公安局"),
		chromedp.SendKeys(css("#transfer_doc_no"), "甲公诉字〔2026〕61号"),
		chromedp.SendKeys(css("#charges"), "盗窃罪、诈骗罪"),
		chromedp.Click(css(`input[name="plea"]`)),
		chromedp.SendKeys(p(0, "name"), "测某甲"),
		chromedp.SetValue(p(0, "gender"), gender(id1)),
		chromedp.SetValue(p(0, "ethnicity"), "汉族"),
		chromedp.SendKeys(p(0, "id_number"), id1),
	)
	// The htmx button fetches a second party fieldset.
	do("add a party",
		chromedp.Click(css(`button[hx-get="/cases/new/party"]`)),
		chromedp.WaitVisible(p(1, "name")),
	)
	if got := text("#parties fieldset:nth-of-type(2) legend"); got != "当事人2" {
		t.Errorf("second party legend %q, want 当事人2", got)
	}
	do("fill the second party",
		chromedp.SendKeys(p(1, "name"), "被害人乙"),
		chromedp.SetValue(p(1, "role"), "victim"),
		chromedp.SetValue(p(1, "gender"), gender(id2)),
		chromedp.SetValue(p(1, "ethnicity"), "维吾尔族"),
		chromedp.SendKeys(p(1, "id_number"), id2),
	)
	sh.save(t, tab, "intake")
	do("submit the intake", chromedp.Click(css("#intake-submit")), chromedp.WaitVisible(css("#stage-no")))

	// The case page, then assignment by rotation.
	if got := text(".flash"); got != "受理登记已保存" {
		t.Errorf("flash after intake: %q", got)
	}
	wantNo := fmt.Sprintf("甲检起诉受[2026]99010000%06d号", earlier+1)
	if got := text("#stage-no"); got != wantNo {
		t.Errorf("stage number %q, want %q", got, wantNo)
	}
	do("assign", chromedp.Click(css("#assign-rotation")), chromedp.WaitVisible(css("#assignment-explanation")))
	if got := text(".flash"); got != "分案完成" {
		t.Errorf("flash after assignment: %q", got)
	}
	if got := text("#stage-no"); got != wantNo {
		t.Errorf("stage number after assignment %q, want %q", got, wantNo)
	}
	timeline := text("#timeline ol.timeline")
	for _, w := range []string{"受理", "分案", "2026-03-10", "2026-03-16"} {
		if !strings.Contains(timeline, w) {
			t.Errorf("timeline lacks %q: %q", w, timeline)
		}
	}
	explain := text("#assignment-explanation")
	if !strings.Contains(explain, "第") || !strings.Contains(explain, "轮：") || !strings.Contains(explain, "轮到") {
		t.Errorf("assignment explanation %q, want 第N轮：…轮到", explain)
	}
	if got := text("#handler"); !strings.HasPrefix(got, "测") {
		t.Errorf("handler %q", got)
	}
	parties := text("#parties-table")
	for _, w := range []string{"测某甲", "被害人乙", "维吾尔族", id1, id2} {
		if !strings.Contains(parties, w) {
			t.Errorf("parties table lacks %q", w)
		}
	}
	sh.save(t, tab, "case")

	// The case list, searched with the htmx filter.
	do("open the list", chromedp.Click(css(`header.top nav a[href="/cases"]`)), chromedp.WaitVisible(css("#case-table table")))
	if got := text("#case-table"); !strings.Contains(got, wantNo) || !strings.Contains(got, fmt.Sprintf("共 %d 件", earlier+1)) {
		t.Errorf("case list: %q", got)
	}
	sh.save(t, tab, "cases")
	do("search",
		chromedp.SendKeys(css("#q"), "浏览器"),
		chromedp.Click(css(`form.filters button[type=submit]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#case-table").textContent.includes("共 1 件")`,
			chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(15*time.Second)),
	)
	if got := text("#case-table tbody"); !strings.Contains(got, "测某浏览器盗窃案") {
		t.Errorf("search result: %q", got)
	}
	loc, err := chromedp.Run(tab, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "q=") {
		t.Errorf("the search did not push its URL: %s", loc)
	}
	do("home", chromedp.Click(css(`header.top nav a[href="/"]`)), chromedp.WaitVisible(css(".stats")))
	sh.save(t, tab, "home")

	// A refused intake re-renders the form with the messages at the fields.
	do("intake with errors",
		chromedp.Navigate(srv.URL+"/cases/new"),
		chromedp.WaitVisible(css("#intake-submit")),
		chromedp.SendKeys(p(0, "id_number"), id1[:17]+"0"),
		chromedp.Click(css(`input[name="check.file_complete"][value="0"]`)),
		chromedp.Click(css("#intake-submit")),
		chromedp.WaitVisible(css(".error")),
	)
	if got := text(`[id="parties[0].id_number"] + .ferr`); !strings.Contains(got, "校验位") {
		t.Errorf("message next to the ID number: %q", got)
	}
	sh.save(t, tab, "intake-errors")

	// The other pages of the case manager, then of each administrator,
	// signing out through the header button in between.
	for _, pg := range []struct{ nav, name string }{{"/pools", "pools"}, {"/workload", "workload"}} {
		do(pg.name, chromedp.Click(css(`header.top nav a[href="`+pg.nav+`"]`)), chromedp.WaitVisible(css("main h1")))
		sh.save(t, tab, pg.name)
	}
	do("a pending case from the home queue",
		chromedp.Click(css(`header.top nav a[href="/"]`)),
		chromedp.WaitVisible(css(".stats")),
		chromedp.Click(css(`.panel table a[href^="/cases/"]`)),
		chromedp.WaitVisible(css("#assign-rotation")),
		chromedp.Click(css("details summary")),
		chromedp.WaitVisible(css("#reason")),
	)
	if got := text(`header.top nav a.active`); got != "案件" {
		t.Errorf("active navigation entry on a case page: %q", got)
	}
	sh.save(t, tab, "case-pending")
	do("sign out", chromedp.Click(css("header.top .who button")), chromedp.WaitVisible(css("#username")))
	do("the handler's case",
		chromedp.SendKeys(css("#username"), "a_prosecutor"),
		chromedp.SendKeys(css("#password"), apptest.Password),
		chromedp.Click(css(".login button[type=submit]")),
		chromedp.WaitVisible(css(".stats")),
		chromedp.Click(css(`.panel table a[href^="/cases/"]`)),
		chromedp.WaitVisible(css("#occurred_on")),
	)
	sh.save(t, tab, "case-handler")
	for _, pg := range []struct{ user, nav, name string }{
		{"a_sysadmin", "/admin/units", "units"},
		{"a_secadmin", "/admin/users", "users"},
		{"a_auditadmin", "/audit", "audit"},
	} {
		do("sign out", chromedp.Click(css("header.top .who button")), chromedp.WaitVisible(css("#username")))
		if got := text(".flash"); got != "已安全退出" {
			t.Errorf("flash after sign-out: %q", got)
		}
		do("sign in as "+pg.user,
			chromedp.SendKeys(css("#username"), pg.user),
			chromedp.SendKeys(css("#password"), apptest.Password),
			chromedp.Click(css(".login button[type=submit]")),
			chromedp.WaitVisible(css("header.top nav")),
			chromedp.Click(css(`header.top nav a[href="`+pg.nav+`"]`)),
			chromedp.WaitVisible(css("main h1")),
		)
		sh.save(t, tab, pg.name)
	}
}
