package web_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/store"
)

// TestAidBrowser drives a real headless Chromium through the pairing's
// Q&A and talent pipeline: a staff member of the aided 甲县院 asks a
// question, an expert of the aiding 乙县院 answers it, and the answer is
// found by the knowledge-base search; then the aiding mentor confirms the
// pending level change on the talent page and goal (1) on the pairing
// page moves from 0 / 2 to 1 / 2. Any script error fails the test.
//
// Screenshots go to t.TempDir(), or to ANGUAN_SCREENSHOTS when it is set.
func TestAidBrowser(t *testing.T) {
	eachBrowserTab(t, aidScenario)
}

func aidScenario(t *testing.T, tab context.Context, db *store.DB) {
	f := apptest.New(t, db, nil)
	af := seedAid(t, &env{f: f})
	srv := f.Server(t)
	shotDir := os.Getenv("ANGUAN_SCREENSHOTS")
	if shotDir == "" {
		shotDir = t.TempDir()
	}
	sh := &shots{dir: shotDir, prefix: "aid-" + string(db.Engine())}
	pg := browserPage{t: t, tab: tab}
	do, text, signIn, signOut, flash := pg.do, pg.text, pg.signIn, pg.signOut, pg.flash
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	defer collectScriptErrors(t, tab)()
	base := srv.URL + "/aid/pairings/" + itoa(af.pairing)

	// The aided side asks.
	do("open", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/"))
	signIn("a_prosecutor3")
	do("Q&A page", chromedp.Navigate(base+"/qa"), chromedp.WaitVisible(css("#title")))
	do("ask",
		chromedp.SendKeys(css("#title"), "逮捕后侦查羁押期限从何时起算"),
		chromedp.SendKeys(css("#body"), "犯罪嫌疑人被逮捕后，侦查羁押期限从哪一天开始计算？"),
		chromedp.SendKeys(css("#tags"), "期限 羁押"),
		chromedp.Click(css(`form[action$="/questions"] button[type=submit]`)),
		chromedp.WaitVisible(css(".flash")),
	)
	flash("已保存")
	if got := text("main h2"); !strings.Contains(got, "逮捕后侦查羁押期限从何时起算") || !strings.Contains(got, "待答复") {
		t.Errorf("question heading %q", got)
	}
	questionURL, err := chromedp.Run(tab, chromedp.Location())
	if err != nil || !strings.Contains(questionURL, "/aid/questions/") {
		t.Fatalf("after asking: %q %v", questionURL, err)
	}
	questionURL, _, _ = strings.Cut(questionURL, "?") // without the flash, so the next flash is the answer's
	sh.save(t, tab, "asked")
	signOut()

	// The aiding side's expert answers.
	signIn("b_prosecutor")
	do("question page", chromedp.Navigate(questionURL), chromedp.WaitVisible(css("#body")))
	do("answer",
		chromedp.SendKeys(css("#body"), "依刑事诉讼法第一百五十六条，自逮捕之日起计算，不得超过二个月。"),
		chromedp.Click(css(`form[action$="/answers"] button[type=submit]`)),
		chromedp.WaitVisible(css(".post-answer")),
	)
	flash("已保存")
	if got := text(".post-answer"); !strings.Contains(got, "第一百五十六条") {
		t.Errorf("answer shown as %q", got)
	}
	sh.save(t, tab, "answered")

	// The knowledge base finds it by a word of the answer only.
	do("search", chromedp.Navigate(base+"/qa"), chromedp.WaitVisible(css("#q")),
		chromedp.SendKeys(css("#q"), "一百五十六条"),
		chromedp.Click(css(`form[role=search] button[type=submit]`)),
		chromedp.WaitVisible(css("#qa-results")),
	)
	if got := text("#qa-results"); got != "检索“一百五十六条”：1条已答复问题" {
		t.Errorf("search results %q", got)
	}
	if got := text("main table tbody"); !strings.Contains(got, "逮捕后侦查羁押期限从何时起算") || strings.Contains(got, "速裁案件的受理审查要点") {
		t.Errorf("search rows %q", got)
	}
	sh.save(t, tab, "knowledge-base")
	signOut()

	// The aiding mentor confirms the pending level change; goal (1) moves.
	signIn("b_case_manager")
	goal := func() string {
		do("pairing page", chromedp.Navigate(base), chromedp.WaitVisible(css("#goal1")))
		return text("#goal1 tbody tr .goal-count")
	}
	if got := goal(); got != "0 / 2" {
		t.Fatalf("goal (1) before: %q", got)
	}
	row := `tr[data-proposal="` + itoa(af.proposal) + `"]`
	do("talent page", chromedp.Click(css(`nav.tabs a[href$="/talent"]`)), chromedp.WaitVisible(css(row)))
	if got := text(row); !strings.Contains(got, "见习 → 骨干") || !strings.Contains(got, "待导师确认") {
		t.Errorf("proposal row %q", got)
	}
	do("confirm",
		chromedp.SendKeys(css(row+` input[name=note]`), "整改记录完整，同意"),
		chromedp.Click(css(row+` button[value=confirm]`)),
		chromedp.WaitVisible(css(".flash")),
	)
	flash("已保存")
	if got := text(row); !strings.Contains(got, "已确认") {
		t.Errorf("proposal row after confirmation %q", got)
	}
	sh.save(t, tab, "confirmed")
	if got := goal(); got != "1 / 2" {
		t.Errorf("goal (1) after the mentor's confirmation: %q", got)
	}
	if got := text("#goal1 tbody tr"); !strings.Contains(got, "测检察官二") {
		t.Errorf("goal (1) names %q", got)
	}
	sh.save(t, tab, "goal")
}
