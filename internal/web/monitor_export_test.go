package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apptest"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
	"github.com/anguan/anguan/internal/xlsx"
)

const (
	docxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// checkNoticeDocx reads a downloaded notice: its text carries the number,
// the case, its stage number and the reply due date, and its package
// parts are well-formed XML.
func checkNoticeDocx(t *testing.T, body []byte, number, caseName, stageNo, due string) {
	t.Helper()
	text := docText(t, body)
	for _, w := range []string{"案件流程监控通知书", number, caseName, stageNo, due} {
		if !strings.Contains(text, w) {
			t.Errorf("the notice lacks %q:\n%s", w, text)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the notice is not a zip package: %v", err)
	}
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		f, err := zr.Open(name)
		if err != nil {
			t.Fatalf("part %s: %v", name, err)
		}
		dec := xml.NewDecoder(f)
		n := 0
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("part %s is not well-formed XML: %v", name, err)
			}
			n++
		}
		f.Close()
		if n < 3 {
			t.Errorf("part %s holds %d tokens", name, n)
		}
	}
}

var (
	sectionRE = regexp.MustCompile(`(?s)<section class="panel(?: wide)?" id="([a-z-]+)">\s*<h2>(.*?)</h2>\s*<table class="report[a-z ]*" id="t-([a-z-]+)">(.*?)</table>`)
	rowRE     = regexp.MustCompile(`(?s)<tr([^>]*)>(.*?)</tr>`)
	cellRE    = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRE     = regexp.MustCompile(`<[^>]+>`)
	h1RE      = regexp.MustCompile(`(?s)<h1 id="report-heading">(.*?)</h1>`)
)

// pageTable is a report table as the page shows it.
type pageTable struct {
	id, title string
	header    []string
	rows      [][]string
}

// reportTables reads the report tables of a page, in order; the row a
// page shows for an empty table is not a row of data.
func reportTables(t *testing.T, body string) (heading string, out []pageTable) {
	t.Helper()
	m := h1RE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no report heading")
	}
	heading = html.UnescapeString(strings.TrimSpace(m[1]))
	for _, sm := range sectionRE.FindAllStringSubmatch(body, -1) {
		tb := pageTable{id: sm[1], title: html.UnescapeString(sm[2])}
		for _, rm := range rowRE.FindAllStringSubmatch(sm[4], -1) {
			if strings.Contains(rm[1], "empty") {
				continue
			}
			var cells []string
			for _, cm := range cellRE.FindAllStringSubmatch(rm[2], -1) {
				cells = append(cells, html.UnescapeString(strings.TrimSpace(tagRE.ReplaceAllString(cm[1], ""))))
			}
			if tb.header == nil {
				tb.header = cells
			} else {
				tb.rows = append(tb.rows, cells)
			}
		}
		out = append(out, tb)
	}
	return heading, out
}

// trimRow drops trailing empty cells, which a sheet does not store.
func trimRow(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}

// TestMonitorExports downloads each report as a workbook and the notice as
// a document: every sheet has the report's title row, the page table's
// header and exactly its rows; the document carries the notice number,
// the case and the reply date; each download is audited as one.
func TestMonitorExports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, apptest.New(t, db, nil))
		mon := seedMonitor(t, e)
		ctx := context.Background()
		if _, err := e.f.App.Monitor.AddPatrolNote(ctx, monitor.Request(e.f.Request(t, "a_case_manager")),
			"巡查审查起诉案件5件，重点检查权利告知，发现问题已登记"); err != nil {
			t.Fatal(err)
		}
		c := e.login(t, "a_case_manager")
		for _, rp := range []struct {
			page, export string
			sheets       []string // the tables, in order, that must hold rows
		}{
			{"/monitor/patrol?day=2026-03-16", "/monitor/patrol/export.xlsx?day=2026-03-16",
				[]string{"scans", "findings", "actions", "notes"}},
			{"/monitor/ledger?month=2026-03", "/monitor/ledger/export.xlsx?month=2026-03",
				[]string{"findings", "by-area", "by-department", "by-person"}},
			{"/monitor/quarterly?quarter=2026-Q1", "/monitor/quarterly/export.xlsx?quarter=2026-Q1",
				[]string{"summary", "by-area", "by-severity", "by-step", "by-status"}},
		} {
			page := c.get(rp.page)
			if page.status != http.StatusOK {
				t.Fatalf("%s: status %d", rp.page, page.status)
			}
			if !strings.Contains(page.body, `id="export-xlsx" href="`+html.EscapeString(rp.export)+`"`) {
				t.Errorf("%s: no 导出Excel link to %s", rp.page, rp.export)
			}
			heading, tables := reportTables(t, page.body)
			for _, id := range rp.sheets {
				i := slices.IndexFunc(tables, func(tb pageTable) bool { return tb.id == id })
				if i < 0 || len(tables[i].rows) == 0 {
					t.Errorf("%s: table %s is missing or empty", rp.page, id)
				}
			}
			x := c.get(rp.export)
			if x.status != http.StatusOK || x.header.Get("Content-Type") != xlsxContentType {
				t.Fatalf("%s: %d %s\n%s", rp.export, x.status, x.header.Get("Content-Type"), excerpt(x.body))
			}
			if cd := x.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") ||
				!strings.Contains(cd, "filename*=UTF-8''"+url.QueryEscape("流程监控")) || !strings.Contains(cd, ".xlsx") {
				t.Errorf("%s: Content-Disposition %q", rp.export, cd)
			}
			if x.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q", rp.export, x.header.Get("Cache-Control"))
			}
			book := []byte(x.body)
			for i, tb := range tables {
				rows, err := xlsx.ReadSheet(bytes.NewReader(book), int64(len(book)), i)
				if err != nil {
					t.Fatalf("%s: sheet %d: %v", rp.export, i, err)
				}
				if len(rows) < 2 || len(rows[0]) != 1 || rows[0][0] != heading+" · "+tb.title {
					t.Errorf("%s sheet %d: title row %q, want %q", rp.export, i, rows[0], heading+" · "+tb.title)
					continue
				}
				if !slices.Equal(rows[1], tb.header) {
					t.Errorf("%s sheet %d: header %q, page %q", rp.export, i, rows[1], tb.header)
				}
				if len(rows)-2 != len(tb.rows) {
					t.Errorf("%s sheet %d (%s): %d rows, the page has %d", rp.export, i, tb.id, len(rows)-2, len(tb.rows))
					continue
				}
				for j, want := range tb.rows {
					if got := rows[j+2]; !slices.Equal(trimRow(got), trimRow(want)) {
						t.Errorf("%s sheet %d row %d: %q, page %q", rp.export, i, j, got, want)
					}
				}
			}
			if _, err := xlsx.ReadSheet(bytes.NewReader(book), int64(len(book)), len(tables)); err == nil {
				t.Errorf("%s: the workbook has more sheets than the page has tables", rp.export)
			}
		}
		// The ledger's rows: every finding of March, in the order found.
		_, tables := reportTables(t, c.get("/monitor/ledger?month=2026-03").body)
		all, _, err := e.f.App.Monitor.List(ctx, monitor.Request(e.f.Request(t, "a_case_manager")), monitor.Filter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(tables[0].rows), len(all); got != want || want < 5 {
			t.Errorf("ledger rows %d, want %d findings", got, want)
		}

		// A bad period is refused for the download as for the page.
		for _, p := range []string{"/monitor/ledger/export.xlsx?month=2026-3", "/monitor/quarterly/export.xlsx?quarter=Q1",
			"/monitor/patrol/export.xlsx?day=yesterday"} {
			if r := c.get(p); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "class=\"ferr\"") {
				t.Errorf("%s: status %d", p, r.status)
			}
		}

		// The notice as a document, named by its number.
		d, err := e.f.App.Cases.Get(ctx, e.f.Request(t, "a_case_manager"), e.byProsec)
		if err != nil {
			t.Fatal(err)
		}
		docPath := "/monitor/findings/" + itoa(mon.prosecNtc) + "/notice.docx"
		for _, user := range []string{"a_case_manager", "a_prosecutor", "a_dept_head", "up_upper_supervisor"} {
			r := e.login(t, user).get(docPath)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != docxContentType {
				t.Fatalf("notice as %s: %d %s", user, r.status, r.header.Get("Content-Type"))
			}
			if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd,
				"filename*=UTF-8''"+strings.ReplaceAll(url.QueryEscape(mon.number+".docx"), "+", "%20")) {
				t.Errorf("Content-Disposition %q does not name the notice %s", cd, mon.number)
			}
			checkNoticeDocx(t, []byte(r.body), mon.number, d.Case.Name, d.Case.StageNo, "2026年3月26日")
		}
		// No notice, out of scope, or not the handler: nothing to download.
		for _, ck := range []struct {
			user, path string
			want       int
		}{
			{"a_case_manager", "/monitor/findings/" + itoa(mon.closed) + "/notice.docx", http.StatusNotFound},
			{"b_case_manager", docPath, http.StatusNotFound},
			{"a_prosecutor2", docPath, http.StatusNotFound},
			{"a_sysadmin", docPath, http.StatusForbidden},
			{"a_prosecutor", "/monitor/ledger/export.xlsx", http.StatusForbidden},
		} {
			if r := e.login(t, ck.user).get(ck.path); r.status != ck.want {
				t.Errorf("%s as %s: %d, want %d", ck.path, ck.user, r.status, ck.want)
			}
		}

		// Each download is audited as a download.
		entries, err := e.f.DB.AuditEntries(ctx, audit.Query{Action: "monitor.", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		exports, notices := 0, 0
		for _, en := range entries {
			switch {
			case en.Record.Action == "monitor.report" && strings.HasSuffix(en.Record.Detail, "format=xlsx"):
				exports++
			case en.Record.Action == "monitor.notice_export" && en.Record.ObjectID == itoa(mon.prosecNtc):
				notices++
			}
		}
		if exports != 3 || notices != 4 {
			t.Errorf("audited downloads: %d workbooks (want 3), %d notices (want 4)", exports, notices)
		}
	})
}

// docText reads a document's text, failing the test on a broken file.
func docText(t *testing.T, body []byte) string {
	t.Helper()
	text, err := docx.Text(strings.NewReader(string(body)), int64(len(body)))
	if err != nil {
		t.Fatalf("the notice is not a readable document: %v", err)
	}
	return text
}
