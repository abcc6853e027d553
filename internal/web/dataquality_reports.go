package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/xlsx"
)

// The data reports (统计与通报): the data accuracy rate (cards without an
// open problem ÷ cards checked) by unit, department and handler, the
// problems by rule and by kind, the weekly trend, and the monthly
// notification list (通报数据清单) with its look-back (回头看).

// trendWeeks is how many weeks the trend shows: a quarter.
const trendWeeks = 12

// pageListLimit bounds the lists the page shows in full; the workbook
// carries the whole notification list.
const pageListLimit = 200

// DataReportsPage is the reports page.
type DataReportsPage struct {
	DataBase
	Scope     string
	MultiUnit bool
	Accuracy  []AccuracyTable
	ByRule    []RuleCount
	ByKind    []KindCount
	Trend     []AccuracyView
	// The month of the notification list and the look-back.
	Month        string
	MonthOK      bool
	Notification []ProblemView
	NotifyTotal  int
	ExportURL    string
	CanPublish   bool
	LookBack     []ProblemView
	Summary      dataquality.LookBackSummary
	FixedRate    string
	LookBackMore bool
}

// AccuracyTable is the accuracy by one grouping.
type AccuracyTable struct {
	ID, Title, Column string
	Rows              []AccuracyView
}

// RuleCount is the problems of one rule by status.
type RuleCount struct {
	RuleID, Title       string
	Open, Fixed, Waived int
}

func (h *Handler) dataReports(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showDataReports(w, r, u, r.URL.Query().Get("month"), http.StatusOK, nil)
}

// showDataReports renders the reports with the notification of month
// ("" for this month); refused is a refused publication's error.
func (h *Handler) showDataReports(w http.ResponseWriter, r *http.Request, u org.User, month string, status int, refused error) error {
	ctx, req := r.Context(), h.dataRequest(r, u)
	pr := u.Principal()
	p := &DataReportsPage{DataBase: h.dataBase(u, h.T.T("ui.data.reports_title"), "/data/reports"), Month: month,
		MultiUnit: access.DataScope(pr).UnitPathPrefix != "", CanPublish: access.CanImportCards(pr, u.UnitID)}
	p.Scope = u.UnitName
	if p.MultiUnit {
		p.Scope = h.T.T("ui.monitor.scope_subtree", u.UnitName)
	}
	if p.Month == "" {
		p.Month = h.Data.Today()[:7]
	}
	for _, by := range []struct{ by, col string }{{dataquality.ByUnit, "field.unit"},
		{dataquality.ByDepartment, "ui.data.col.department"}, {dataquality.ByHandler, "ui.data.col.handler"}} {
		rows, err := h.Data.Accuracy(ctx, req, by.by)
		if err != nil {
			return err
		}
		tb := AccuracyTable{ID: "by-" + by.by, Title: h.T.T("ui.data.by_" + by.by), Column: h.T.T(by.col)}
		for _, a := range rows {
			v := accuracyView(a)
			if v.Key == "" {
				v.Key = h.T.T("ui.data.not_filled")
			}
			tb.Rows = append(tb.Rows, v)
		}
		p.Accuracy = append(p.Accuracy, tb)
	}
	rules, err := h.Data.ProblemCounts(ctx, req, dataquality.ByRule)
	if err != nil {
		return err
	}
	for _, c := range rules {
		p.ByRule = append(p.ByRule, RuleCount{RuleID: c.Key, Title: c.Title, Open: c.Open, Fixed: c.Fixed, Waived: c.Waived})
	}
	if p.ByKind, err = h.kindCounts(ctx, req); err != nil {
		return err
	}
	trend, err := h.Data.Trend(ctx, req, trendWeeks)
	if err != nil {
		return err
	}
	for _, a := range trend {
		p.Trend = append(p.Trend, accuracyView(a))
	}
	today := h.Data.Today()
	list, err := h.Data.NotificationList(ctx, req, p.Month)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "dataquality_reports", p)
	}
	if err != nil {
		return err
	}
	p.MonthOK = true
	p.NotifyTotal = len(list)
	p.Notification = h.problemViews(list[:min(len(list), pageListLimit)], today)
	p.ExportURL = "/data/reports/notification.xlsx?" + url.Values{"month": {p.Month}}.Encode()
	back, sum, err := h.Data.LookBack(ctx, req, p.Month, pageListLimit)
	if err != nil {
		return err
	}
	p.LookBack, p.Summary, p.FixedRate = h.problemViews(back, today), sum, percent(sum.FixedRate())
	p.LookBackMore = sum.Open+sum.Fixed+sum.Waived > len(back)
	if refused != nil {
		errs, ok := h.formErrors(refused)
		if !ok {
			return refused
		}
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "dataquality_reports", p)
}

// notificationExport downloads the month's notification list.
func (h *Handler) notificationExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = h.Data.Today()[:7]
	}
	list, err := h.Data.NotificationList(r.Context(), h.dataRequest(r, u), month)
	if err != nil {
		return err
	}
	multi := access.DataScope(u.Principal()).UnitPathPrefix != ""
	keys := []string{"ui.monitor.col.seq", "ui.data.col.stage_no", "ui.data.col.case_name"}
	if multi {
		keys = append(keys, "field.unit")
	}
	keys = append(keys, "ui.data.col.rule_id", "ui.data.col.rule", "field.dq_kind", "field.dq_severity", "ui.data.col.item",
		"ui.data.col.department", "ui.data.col.handler", "ui.data.col.detected_on", "ui.data.col.due_on")
	scope := u.UnitName
	if multi {
		scope = h.T.T("ui.monitor.scope_subtree", u.UnitName)
	}
	sheet := xlsx.Sheet{Name: h.T.T("ui.data.notification_sheet"), Title: h.T.T("ui.data.notification_heading", scope, month),
		Header: h.cols(keys...)}
	for i, p := range h.problemViews(list, h.Data.Today()) {
		row := []xlsx.Cell{xlsx.Int(i + 1), xlsx.Str(p.StageNo), xlsx.Str(p.CaseName)}
		if multi {
			row = append(row, xlsx.Str(p.UnitName))
		}
		sheet.Rows = append(sheet.Rows, append(row, xlsx.Str(p.RuleID), xlsx.Str(p.Title), xlsx.Str(p.Kind),
			xlsx.Str(p.Severity), xlsx.Str(p.Item), xlsx.Str(p.Department), xlsx.Str(p.Handler), xlsx.Str(p.DetectedOn),
			xlsx.Str(p.DueOn)))
	}
	if err := h.Data.RecordExport(r.Context(), h.dataRequest(r, u), dataquality.ExportNotification, len(list)); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, sheet); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.data.notification_file")+"-"+month+".xlsx",
		"data-notification-"+month+".xlsx")
}

// publishNotification marks the unit's problems open at the end of the
// month as notified, for the look-back.
func (h *Handler) publishNotification(w http.ResponseWriter, r *http.Request, u org.User) error {
	month := r.PostFormValue("month")
	n, err := h.Data.PublishNotification(r.Context(), h.dataRequest(r, u), u.UnitID, month)
	if _, ok := apperr.AsValidation(err); ok {
		return h.showDataReports(w, r, u, month, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	flash := "flash.data_published"
	if n == 0 {
		flash = "flash.data_published_none"
	}
	return seeOther(w, r, fmt.Sprintf("/data/reports?%s#notification", url.Values{"month": {month}, "flash": {flash}}.Encode()))
}
