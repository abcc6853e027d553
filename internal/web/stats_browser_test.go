package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/seed"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/xlsx"
)

// TestStatsBrowser drives a real headless Chromium through analysis over
// the demo organisation: the chief of 疏勒县院 opens the dashboard (every
// indicator with its sparkline), compares the unit with 喀什市院 and
// 株洲市石峰区院 (which share their figures with it) on five indicators
// (the table and a bar chart per indicator), downloads the table (a
// workbook with the definitions sheet), and drills into the denominator
// of 案件比: the cases listed are 疏勒县院's own, every one. Any script
// error fails the test.
//
// Screenshots go to t.TempDir(), or to ANGUAN_SCREENSHOTS when it is set.
func TestStatsBrowser(t *testing.T) {
	eachBrowserTab(t, statsScenario)
}

// statsCompared are the five indicators the chief compares.
var statsCompared = []string{"case_ratio", "non_arrest_rate", "non_prosecution_rate", "pretrial_detention_rate", "plea_rate"}

func statsScenario(t *testing.T, tab context.Context, db *store.DB) {
	f := apptest.New(t, db, nil)
	ctx := context.Background()
	k := f.App.Cases.Clocker()
	if _, err := seed.Demo(ctx, seed.Deps{Org: f.App.Org, Store: db, T: f.App.T.T, Clocker: &k, Now: apptest.Now},
		seed.Options{Cases: 400, Seed: 1, Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.StatsShares(ctx, db); err != nil {
		t.Fatal(err)
	}
	unitID := func(code string) string {
		u, err := db.UnitByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return itoa(u.ID)
	}
	shule, kashi, shifeng := unitID("65312200"), unitID("65310100"), unitID("43020400")
	srv := f.Server(t)
	shotDir := os.Getenv("ANGUAN_SCREENSHOTS")
	if shotDir == "" {
		shotDir = t.TempDir()
	}
	sh := &shots{dir: shotDir, prefix: "stats-" + string(db.Engine())}

	pg := browserPage{t: t, tab: tab}
	do, text, signIn := pg.do, pg.text, pg.signIn
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	defer collectScriptErrors(t, tab)()

	// The dashboard of the unit.
	do("open", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"))
	signIn("shule_chief")
	do("dashboard", chromedp.Click(css(`header.top nav a[href="/stats"]`)), chromedp.WaitVisible(css("#t-indicators")))
	if got := text(`header.top nav a.active`); got != "统计分析" {
		t.Errorf("active navigation entry: %q", got)
	}
	if got := text("#stats-heading"); !strings.Contains(got, "疏勒县人民检察院") || !strings.Contains(got, "2026年") {
		t.Errorf("heading %q", got)
	}
	ratio := text("#ind-case_ratio")
	for _, w := range []string{"案件比", "1:", "越低越好"} {
		if !strings.Contains(ratio, w) {
			t.Errorf("案件比 line lacks %q: %q", w, ratio)
		}
	}
	if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("#t-indicators svg.spark").length`)); err != nil || n < 10 {
		t.Errorf("%d sparklines (%v)", n, err)
	}
	if got := text("#unavailable"); !strings.Contains(got, "撤回起诉率") {
		t.Errorf("unavailable indicators %q", got)
	}
	sh.save(t, tab, "dashboard")

	// The comparison: five indicators, three units.
	do("compare page", chromedp.Click(css(`nav.tabs a[href="/stats/compare"]`)), chromedp.WaitVisible(css("#compare-form")))
	for _, u := range []string{kashi, shifeng} {
		if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('#compare-form input[name=unit][value="`+u+`"]').length`)); err != nil || n != 1 {
			t.Fatalf("unit %s is not offered for comparison (%d, %v)", u, n, err)
		}
	}
	do("clear the choices", chromedp.Evaluate[chromedp.Void](
		`document.querySelectorAll('#compare-form input[type=checkbox]').forEach(function (i) { i.checked = false; })`))
	var clicks []chromedp.Action[chromedp.Void]
	for _, id := range statsCompared {
		clicks = append(clicks, chromedp.Click(css(`#compare-form input[name=indicator][value="`+id+`"]`)))
	}
	for _, u := range []string{shule, kashi, shifeng} {
		clicks = append(clicks, chromedp.Click(css(`#compare-form input[name=unit][value="`+u+`"]`)))
	}
	do("choose", clicks...)
	do("compare", chromedp.Click(css("#compare-submit")), chromedp.WaitVisible(css("#t-compare")),
		chromedp.WaitVisible(css("#chart-plea_rate svg")))
	table := text("#t-compare")
	for _, w := range []string{"疏勒县人民检察院（本院）", "喀什市人民检察院", "株洲市石峰区人民检察院", "案件比", "不捕率", "不起诉率",
		"诉前羁押率", "认罪认罚适用率"} {
		if !strings.Contains(table, w) {
			t.Errorf("comparison lacks %q: %q", w, table)
		}
	}
	if got := text("#t-compare tr.own td"); !strings.Contains(got, "疏勒县人民检察院") {
		t.Errorf("highlighted row %q", got)
	}
	if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("#t-compare tbody tr").length`)); err != nil || n != 3 {
		t.Errorf("%d rows (%v), want 3", n, err)
	}
	if n, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("#charts .chart svg").length`)); err != nil || n != 5 {
		t.Errorf("%d charts drawn (%v), want 5", n, err)
	}
	// The chart names the units it compares.
	if got := text("#chart-case_ratio"); !strings.Contains(got, "喀什市院") {
		t.Errorf("案件比 chart text %q", got)
	}
	sh.save(t, tab, "compare")

	// The table as a workbook, fetched with the session.
	href, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("compare-xlsx").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	book := fetchWorkbook(t, tab, srv.URL, href)
	first, err := xlsx.ReadSheet(bytes.NewReader(book), int64(len(book)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := flatten(first); !strings.Contains(got, "疏勒县人民检察院（本院）") || !strings.Contains(got, "株洲市石峰区人民检察院") ||
		!strings.Contains(got, "认罪认罚适用率") {
		t.Errorf("comparison sheet:\n%s", got)
	}
	defs, err := xlsx.ReadSheet(bytes.NewReader(book), int64(len(book)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := flatten(defs); !strings.Contains(got, "指标定义") || !strings.Contains(got, "案件比") || !strings.Contains(got, "分母") {
		t.Errorf("definitions sheet:\n%s", got)
	}

	// The cases behind 案件比's denominator (案): 疏勒县院's only.
	do("back to the dashboard", chromedp.Click(css(`nav.tabs a[href="/stats"]`)), chromedp.WaitVisible(css("#t-indicators")))
	den := text("#ind-case_ratio a.den-link")
	do("drill", chromedp.Click(css("#ind-case_ratio a.den-link")), chromedp.WaitVisible(css("#t-drill")))
	if got := text("#drill-heading"); !strings.Contains(got, "疏勒县人民检察院") || !strings.Contains(got, "案") {
		t.Errorf("drill heading %q", got)
	}
	stagesJSON, err := chromedp.Run(tab, chromedp.Evaluate[string](
		`JSON.stringify(Array.from(document.querySelectorAll("#t-drill tbody td:first-child")).map(function (td) { return td.textContent; }))`))
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	if err := json.Unmarshal([]byte(stagesJSON), &stages); err != nil {
		t.Fatal(err)
	}
	if len(stages) == 0 || den == "0" {
		t.Fatalf("no case behind 案 = %s", den)
	}
	for _, s := range stages {
		if !strings.Contains(s, "65312200") {
			t.Errorf("the drill-down lists %q, not a case of 疏勒县院", s)
		}
	}
	sh.save(t, tab, "drill")
	do("a case", chromedp.Click(css("#t-drill tbody a")), chromedp.WaitVisible(css("h1")))
	if loc, err := chromedp.Run(tab, chromedp.Location()); err != nil || !strings.Contains(loc, "/cases/") {
		t.Errorf("the drill-down's link leads to %s (%v)", loc, err)
	}

	// The case-management dashboard, for the look of it.
	do("case management", chromedp.Navigate(srv.URL+"/stats/case-management"), chromedp.WaitVisible(css("#chart-intake svg")))
	sh.save(t, tab, "casemgmt")
	if os.Getenv("ANGUAN_SCREENSHOTS") != "" {
		t.Logf("screenshots in %s", filepath.Join(shotDir, sh.prefix+"-*"))
	}
}

// fetchWorkbook downloads path with the browser's session cookie and
// returns the workbook.
func fetchWorkbook(t *testing.T, tab context.Context, base, path string) []byte {
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
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	return body
}
