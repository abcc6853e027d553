package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

// sheetXML is the XML of the first worksheet of a workbook.
func sheetXML(t *testing.T, body []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	f, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDataExportsKeepFormulasAsText: text that a spreadsheet program
// would run as a formula (a waiver reason typed by a case manager, a rule
// title written by the system administrator) leaves in the problem list
// and the notification workbook as an inline string: the sheet XML holds
// no formula element, and the text reads back as typed.
func TestDataExportsKeepFormulasAsText(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		df := seedData(t, e)
		ctx := context.Background()
		const reason = `=HYPERLINK("http://x","y")`
		const title = `=CMD|' /C calc'!A0`
		cmReq := dataquality.Request(e.f.Request(t, "a_case_manager"))
		p := problemOf(t, e, df.probAssist)
		if err := e.f.App.Data.WaiveProblem(ctx, cmReq, df.probAssist, p.Version, reason); err != nil {
			t.Fatal(err)
		}
		rule, ok := e.f.App.Data.Library().Rule(ruleDecidedBeforeReceipt)
		if !ok {
			t.Fatal("no DQ-001")
		}
		rule.Title = title
		if _, err := e.f.App.Data.SaveRule(ctx, dataquality.Request(e.f.Request(t, "a_sysadmin")), rule); err != nil {
			t.Fatal(err)
		}
		cm := e.login(t, "a_case_manager")
		for _, dl := range []struct {
			path string
			want []string
		}{
			{"/data/problems.xlsx", []string{reason, title}},
			{"/data/reports/notification.xlsx?month=2026-03", []string{title}},
		} {
			r := cm.get(dl.path)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != xlsxContentType {
				t.Fatalf("%s: %d %s", dl.path, r.status, r.header.Get("Content-Type"))
			}
			sheet := sheetXML(t, []byte(r.body))
			if strings.Contains(sheet, "<f>") || strings.Contains(sheet, "<f ") {
				t.Errorf("%s: the sheet holds a formula element:\n%s", dl.path, sheet)
			}
			rows, err := xlsx.ReadSheet(bytes.NewReader([]byte(r.body)), int64(len(r.body)), 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range dl.want {
				found := false
				for _, row := range rows {
					for _, cell := range row {
						found = found || cell == w
					}
				}
				if !found {
					t.Errorf("%s: no cell reads %q: %q", dl.path, w, rows)
				}
				// Each such cell is an inline string, as typed.
				if !strings.Contains(sheet, `t="inlineStr"><is><t xml:space="preserve">=`) {
					t.Errorf("%s: %q is not an inline string:\n%s", dl.path, w, sheet)
				}
			}
		}
	})
}

// TestDataProblemPaging: the problem list comes a page at a time (next
// cursor), the htmx filter gets the table alone, and the export carries
// every row of the filter, not one page.
func TestDataProblemPaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		seedData(t, e)
		ctx := context.Background()
		cmReq := dataquality.Request(e.f.Request(t, "a_case_manager"))
		var many = dqCards(10)
		for n := 11; n < 40; n++ {
			many = append(many, dqCards(n)...)
		}
		pv, err := e.f.App.Data.PreviewImport(ctx, cmReq, e.f.UnitA.ID, "多.xlsx", cardFile(t, e.f, many))
		if err != nil || !pv.Confirmable {
			t.Fatalf("preview: %v %+v", err, pv.Errors)
		}
		if _, err := e.f.App.Data.ConfirmImport(ctx, cmReq, pv.UploadID); err != nil {
			t.Fatal(err)
		}
		const total = 2 + 2*30
		cm := e.login(t, "a_case_manager")
		r := cm.get("/data/problems")
		if n := strings.Count(r.body, `class="problem-link"`); n != 50 || !strings.Contains(r.body, "共 62 条") {
			t.Fatalf("first page: %d rows\n%s", n, excerpt(r.body))
		}
		next := html.UnescapeString(between(r.body, `<div class="pager"><a href="`, `"`))
		if !strings.HasPrefix(next, "/data/problems?after=") {
			t.Fatalf("next link %q", next)
		}
		seen := map[string]bool{}
		for _, id := range strings.Split(r.body, `href="/data/problems/`)[1:] {
			seen[id[:strings.Index(id, `"`)]] = true
		}
		r = cm.get(next)
		if n := strings.Count(r.body, `class="problem-link"`); n != total-50 || strings.Contains(r.body, `<div class="pager"><a`) {
			t.Errorf("second page: %d rows", n)
		}
		for _, id := range strings.Split(r.body, `href="/data/problems/`)[1:] {
			if seen[id[:strings.Index(id, `"`)]] {
				t.Errorf("problem %s on both pages", id[:strings.Index(id, `"`)])
			}
		}
		// The htmx filter: the table alone, narrowed.
		req, _ := http.NewRequest(http.MethodGet, cm.base+"/data/problems?rule=DQ-012", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "problem-table")
		r = cm.do(req)
		if strings.Contains(r.body, "<html") || !strings.Contains(r.body, "共 31 条") ||
			!strings.Contains(r.body, `href="/data/problems.xlsx?rule=DQ-012"`) {
			t.Errorf("htmx fragment:\n%s", excerpt(r.body))
		}
		// The export: every problem, over the pages.
		r = cm.get("/data/problems.xlsx")
		rows, err := xlsx.ReadSheet(bytes.NewReader([]byte(r.body)), int64(len(r.body)), 0)
		if err != nil || len(rows) != 2+total {
			t.Errorf("export: %v, %d rows, want %d", err, len(rows), 2+total)
		}
		r = cm.get("/data/problems.xlsx?rule=DQ-012")
		if rows, _ := xlsx.ReadSheet(bytes.NewReader([]byte(r.body)), int64(len(r.body)), 0); len(rows) != 2+31 {
			t.Errorf("filtered export: %d rows", len(rows))
		}
	})
}
