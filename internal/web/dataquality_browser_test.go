package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/store"
)

// TestDataBrowser drives a real headless Chromium through business-data
// supervision: the case manager of 甲县院 uploads a file with a date that
// does not exist (the preview names its row and column, and offers no
// confirmation), then a file of the national system's cards with two
// injected errors (the preview lists the rule hits), confirms, and sees
// the problem list; the prosecutor named on the cards opens the card from
// their own list, corrects the decision date in the card's form, and the
// problem shows 已整改 by itself. Any script error fails the test.
//
// Screenshots go to t.TempDir(), or to ANGUAN_SCREENSHOTS when it is set.
func TestDataBrowser(t *testing.T) {
	eachBrowserTab(t, dataScenario)
}

func dataScenario(t *testing.T, tab context.Context, db *store.DB) {
	f := apptest.New(t, db, nil)
	ctx := context.Background()
	if _, err := f.App.Data.InstallRules(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cards := dqCards(1)
	good := filepath.Join(dir, "甲县院案卡.xlsx")
	if err := os.WriteFile(good, cardFile(t, f, cards), 0o600); err != nil {
		t.Fatal(err)
	}
	badCards := dqCards(2)[:1]
	badCards[0].DecidedOn = "2026-02-30"
	bad := filepath.Join(dir, "有误的案卡.xlsx")
	if err := os.WriteFile(bad, cardFile(t, f, badCards), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := f.Server(t)
	shotDir := os.Getenv("ANGUAN_SCREENSHOTS")
	if shotDir == "" {
		shotDir = t.TempDir()
	}
	sh := &shots{dir: shotDir, prefix: "data-" + string(db.Engine())}

	pg := browserPage{t: t, tab: tab}
	do, text, signIn, signOut, flash := pg.do, pg.text, pg.signIn, pg.signOut, pg.flash
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	defer collectScriptErrors(t, tab)()

	// The case manager: the overview, then the import page.
	do("open", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"))
	signIn("a_case_manager")
	do("overview", chromedp.Click(css(`header.top nav a[href="/data"]`)), chromedp.WaitVisible(css("#scan-form")))
	if got := text(`header.top nav a.active`); got != "数据监管" {
		t.Errorf("active navigation entry: %q", got)
	}
	do("import page", chromedp.Click(css(`nav.tabs a[href="/data/import"]`)), chromedp.WaitVisible(css("#upload-form")))
	if got := text("#import-unit"); got != "甲县人民检察院" {
		t.Errorf("import unit %q", got)
	}

	// A file with a date that does not exist: refused, by row and column.
	do("upload the faulty file",
		chromedp.SetUploadFiles(css("#file"), []string{bad}),
		chromedp.Click(css("#upload-submit")),
		chromedp.WaitVisible(css("#preview-errors")),
	)
	errs := text("#preview-errors table")
	for _, w := range []string{"第2行", "决定日期", "2026-02-30", "日期不存在，请检查月和日"} {
		if !strings.Contains(errs, w) {
			t.Errorf("preview errors lack %q: %q", w, errs)
		}
	}
	if got := text(".error"); !strings.Contains(got, "文件存在错误") {
		t.Errorf("page message %q", got)
	}
	if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("#confirm-import").length`)); err != nil || n != 0 {
		t.Errorf("a faulty file offers confirmation (%d, %v)", n, err)
	}
	sh.save(t, tab, "preview-errors")

	// The national system's file: its rule hits, then confirm.
	do("upload again",
		chromedp.Click(css("#upload-again")),
		chromedp.WaitVisible(css("#upload-form")),
		chromedp.SetUploadFiles(css("#file"), []string{good}),
		chromedp.Click(css("#upload-submit")),
		chromedp.WaitVisible(css("#confirm-import")),
	)
	if got := text("#preview-format"); got != "Excel 工作簿（XLSX）" {
		t.Errorf("format %q", got)
	}
	hits := text("#preview-hits table")
	for _, w := range []string{"第3行", cards[1].StageNo, "DQ-001", "决定日期早于受理日期", "决定日期", "严重",
		"第4行", cards[2].StageNo, "DQ-012", "已办结案件未填处理决定"} {
		if !strings.Contains(hits, w) {
			t.Errorf("preview hits lack %q: %q", w, hits)
		}
	}
	if got := text("#confirm-form p"); !strings.Contains(got, "新增 3 张") || !strings.Contains(got, "登记 2 个问题") {
		t.Errorf("confirmation text %q", got)
	}
	sh.save(t, tab, "preview")
	do("confirm", chromedp.Click(css("#confirm-import")), chromedp.WaitVisible(css("table.problems-list")))
	flash("案卡已导入，发现的问题已推送给承办人")
	if got := text("#import-result"); !strings.Contains(got, "甲县院案卡.xlsx") {
		t.Errorf("import result %q", got)
	}
	list := text("table.problems-list tbody")
	for _, w := range []string{cards[1].StageNo, "DQ-001", "测prosecutor", cards[2].StageNo, "DQ-012", "测assistant", "待整改", "2026-03-16"} {
		if !strings.Contains(list, w) {
			t.Errorf("problem list lacks %q: %q", w, list)
		}
	}
	loc, err := chromedp.Run(tab, chromedp.Location())
	if err != nil || !strings.Contains(loc, "status=open") {
		t.Errorf("after confirming: %s %v", loc, err)
	}
	sh.save(t, tab, "problems")
	signOut()

	// The prosecutor named on the card: their list, the card, the fix.
	signIn("a_prosecutor")
	if got := text("#home-data-problems"); !strings.Contains(got, "1") || !strings.Contains(got, "我的案卡问题") {
		t.Errorf("home count %q", got)
	}
	do("my problems", chromedp.Click(css("#home-data-problems")), chromedp.WaitVisible(css("table.problems-list")))
	mine := text("table.problems-list tbody")
	if !strings.Contains(mine, "DQ-001") || strings.Contains(mine, "DQ-012") {
		t.Errorf("the prosecutor's list: %q", mine)
	}
	do("open the card",
		chromedp.Click(css(`table.problems-list a.card-link`)),
		chromedp.WaitVisible(css("#card-form")),
	)
	if got := text("#item-decided_on th"); got != "决定日期" {
		t.Errorf("item header %q", got)
	}
	if got := text("#item-decided_on .item-problem"); !strings.Contains(got, "决定日期早于受理日期") {
		t.Errorf("the item's problem %q", got)
	}
	sh.save(t, tab, "card")
	do("correct the decision date",
		chromedp.Clear(css("#decided_on")),
		chromedp.SendKeys(css("#decided_on"), "2026-02-18"),
		chromedp.Click(css("#card-save")),
		chromedp.WaitVisible(css(".flash")),
	)
	flash("案卡已保存，重新检查后相关问题已整改")
	if got := text("#card-problems"); !strings.Contains(got, "DQ-001") || !strings.Contains(got, "已整改") {
		t.Errorf("the card's problems after the fix: %q", got)
	}
	if got := text("#card-history"); !strings.Contains(got, "在本系统更正") || !strings.Contains(got, "2026-02-18") {
		t.Errorf("history %q", got)
	}
	sh.save(t, tab, "card-fixed")
	do("the list again",
		chromedp.Click(css(`nav.tabs a[href="/data/problems"]`)),
		chromedp.WaitVisible(css("table.problems-list")),
	)
	if got := text("table.problems-list tbody"); !strings.Contains(got, "已整改") || !strings.Contains(got, "2026-03-16") {
		t.Errorf("the prosecutor's list after the fix: %q", got)
	}
	ps, _, err := f.App.Data.Problems(ctx, dataquality.Request(f.Request(t, "a_case_manager")),
		dataquality.ProblemFilter{RuleID: "DQ-001"})
	if err != nil || len(ps) != 1 || ps[0].Status != dataquality.StatusFixed {
		t.Errorf("DQ-001 after the correction: %v %+v", err, ps)
	}
	if os.Getenv("ANGUAN_SCREENSHOTS") != "" {
		t.Logf("screenshots in %s", filepath.Join(shotDir, sh.prefix+"-*"))
	}
}
