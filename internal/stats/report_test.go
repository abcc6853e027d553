package stats_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/store"
	"github.com/anguan/anguan/internal/testdb"
)

// reportFile writes the report as a .docx and checks the package: every
// XML part parses. It returns the document text and the number of
// pictures.
func reportFile(t *testing.T, d docx.Document) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	pics := 0
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(f.Name, "word/media/") && strings.HasSuffix(f.Name, ".png"):
			if !bytes.HasPrefix(data, []byte("\x89PNG")) {
				t.Errorf("%s is not a PNG", f.Name)
			}
			pics++
		case strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels"):
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
			}
		}
	}
	text, err := docx.Text(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "⟦") {
		t.Errorf("untranslated key in the report:\n%s", text)
	}
	return text, pics
}

// TestMonthlyReport builds the March report of unit A on the hand-built
// dataset, as A's case manager (no other unit visible) and as the upper
// supervisor (U, A and B compared), and checks who may not have it.
func TestMonthlyReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		handBuilt(t, w)
		handCards(t, w)
		if _, err := w.svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		tr := i18n.MustLoad(i18n.DefaultLang).T
		d, err := w.svc.MonthlyReport(ctx, w.req(t, "a_cm"), w.A.ID, "2026-03", tr)
		if err != nil {
			t.Fatal(err)
		}
		const title = "甲县人民检察院业务数据分析研判（2026年3月）"
		if d.Title != title {
			t.Errorf("title = %q", d.Title)
		}
		text, pics := reportFile(t, d)
		if pics != 4 {
			t.Errorf("%d pictures, want the 4 trend charts", pics)
		}
		for _, want := range []string{title, "2026年2月", "2025年3月", "2025年4月至2026年3月",
			// 案件比 went from 1 : 1.00 in February (AR3 alone) to 1 : 1.60.
			"1 : 1.60", "1 : 1.00", "较上月上升0.60，需关注", "去年同月无可比数据",
			"只有甲县人民检察院，不作对比", "附件：指标计算口径", "受理审查逮捕案件数", "按人计"} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		for _, in := range w.svc.Catalogue().Indicators {
			if !strings.Contains(text, in.Name) {
				t.Errorf("report lacks indicator %s", in.Name)
			}
			if !in.Available && !strings.Contains(text, in.UnavailableReason) {
				t.Errorf("report lacks the reason %s is unavailable", in.Name)
			}
		}

		// The upper supervisor sees U, A and B: five comparison charts,
		// A highlighted.
		d, err = w.svc.MonthlyReport(ctx, w.req(t, "up_sup"), w.A.ID, "2026-03", tr)
		if err != nil {
			t.Fatal(err)
		}
		text, pics = reportFile(t, d)
		if pics != 9 {
			t.Errorf("%d pictures, want 4 trends and 5 comparisons", pics)
		}
		for _, want := range []string{"甲县人民检察院（报告单位）", "乙县人民检察院", "测试市人民检察院", "合计",
			"可查看其汇总数据的3个单位"} {
			if !strings.Contains(text, want) {
				t.Errorf("supervisor's report lacks %q", want)
			}
		}

		// Who may not have it, and which months are refused.
		for _, u := range []string{"b_cm", "a_sys"} {
			if _, err := w.svc.MonthlyReport(ctx, w.req(t, u), w.A.ID, "2026-03", tr); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("%s: err = %v, want forbidden", u, err)
			}
		}
		for month, want := range map[string]string{"2026-04": "period:err.stats_report_future",
			"2026-13": "period:err.stats_period_month", "": "period:err.stats_period_month"} {
			if _, err := w.svc.MonthlyReport(ctx, w.req(t, "a_cm"), w.A.ID, month, tr); fieldOf(err) != want {
				t.Errorf("month %q: err = %v, want %s", month, err, want)
			}
		}
		// January 2000 has no previous month within the statistics' years.
		if _, err := w.svc.MonthlyReport(ctx, w.req(t, "a_cm"), w.A.ID, "2000-01", tr); err != nil {
			t.Errorf("2000-01: %v", err)
		}
	})
}
