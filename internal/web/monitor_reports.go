package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
)

// ReportPage is one of the office's routine reports (DOMAIN §6): the daily
// patrol log, the monthly ledger or the quarterly analysis. Its tables are
// built once and either rendered or written as a workbook, so the page and
// its export always hold the same rows.
type ReportPage struct {
	MonitorBase
	Kind      string // patrol, ledger or quarterly: the path segment
	Param     string // the period's query parameter: day, month or quarter
	InputType string // the period control's type
	Value     string // the period as asked for (kept when refused)
	Heading   string // scope, report and period; also the workbook's title rows
	FileName  string
	Notes     []string
	PrevURL   string
	NextURL   string
	ExportURL string
	Quarters  []string // suggestions for the quarter control
	Tables    []ReportTable
	// CanNote shows the patrol note form (the office, on today's log);
	// Note keeps a refused note.
	CanNote bool
	Note    string
}

var (
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRE = regexp.MustCompile(`^(\d{4})-[Qq]([1-4])$`)
)

// reportKinds maps a report to its period parameter and control.
var reportKinds = map[string][2]string{
	"patrol": {"day", "date"}, "ledger": {"month", "month"}, "quarterly": {"quarter", "text"},
}

func (h *Handler) patrolPage(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showReport(w, r, u, "patrol", false, http.StatusOK, nil)
}

func (h *Handler) patrolExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showReport(w, r, u, "patrol", true, http.StatusOK, nil)
}

func (h *Handler) ledgerPage(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showReport(w, r, u, "ledger", false, http.StatusOK, nil)
}

func (h *Handler) ledgerExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showReport(w, r, u, "ledger", true, http.StatusOK, nil)
}

func (h *Handler) quarterlyPage(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showReport(w, r, u, "quarterly", false, http.StatusOK, nil)
}

func (h *Handler) quarterlyExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showReport(w, r, u, "quarterly", true, http.StatusOK, nil)
}

// addPatrolNote adds a note to today's patrol log of the user's unit.
func (h *Handler) addPatrolNote(w http.ResponseWriter, r *http.Request, u org.User) error {
	note := r.PostFormValue("note")
	_, err := h.Monitor.AddPatrolNote(r.Context(), h.monitorRequest(r, u), note)
	if v, ok := apperr.AsValidation(err); ok {
		errs := h.messages(v, map[string]string{"note": "ui.monitor.col.patrol_note"})
		return h.showReport(w, r, u, "patrol", false, http.StatusUnprocessableEntity, func(p *ReportPage) {
			p.invalid(errs, h.T.T("err.validation"))
			p.Note = note
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/monitor/patrol?flash=flash.monitor_patrol_note")
}

// showReport loads a report for the period asked for and renders it, or
// writes it as a workbook (export). A period that does not parse is shown
// at its control (422), for the page and the download alike.
func (h *Handler) showReport(w http.ResponseWriter, r *http.Request, u org.User, kind string, export bool, status int,
	fill func(*ReportPage)) error {
	k := reportKinds[kind]
	p := &ReportPage{MonitorBase: h.monitorBase(u, h.T.T("ui.monitor.tab."+kind), "/monitor/"+kind), Kind: kind,
		Param: k[0], InputType: k[1]}
	if r.Method == http.MethodGet {
		p.Value = r.URL.Query().Get(p.Param)
	}
	scope := u.UnitName
	if access.MonitorScope(u.Principal()).UnitPathPrefix != "" {
		scope = h.T.T("ui.monitor.scope_subtree", u.UnitName)
	}
	req := h.monitorRequest(r, u)
	var err error
	switch kind {
	case "patrol":
		err = h.patrolReport(r.Context(), req, u, p, export)
	case "ledger":
		err = h.ledgerReport(r.Context(), req, p, export)
	default:
		err = h.quarterlyReport(r.Context(), req, p, export)
	}
	if fill != nil {
		fill(p)
	}
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.Tables = nil
		return h.render(w, r, http.StatusUnprocessableEntity, "monitor_report", p)
	}
	if err != nil {
		return err
	}
	p.Heading = h.T.T("ui.monitor."+kind+".heading", scope, p.Heading)
	p.FileName = h.T.T("ui.monitor."+kind+".file") + "-" + p.Value
	p.ExportURL = "/monitor/" + kind + "/export.xlsx?" + p.Param + "=" + p.Value
	if export {
		return sendWorkbook(w, p)
	}
	return h.render(w, r, status, "monitor_report", p)
}

// periodError is a period that does not parse, at its control.
func periodError(field, key string) error {
	v := &apperr.Validation{}
	v.AddLabeled(field, "monitor.field."+field, key)
	return v
}

// patrolReport fills the patrol log of the day asked for (today by
// default). p.Heading is set to the period; showReport completes it.
func (h *Handler) patrolReport(ctx context.Context, req monitor.Request, u org.User, p *ReportPage, export bool) error {
	today := h.Monitor.Today()
	if p.Value == "" {
		p.Value = today
	}
	day, err := deadline.ParseDate(p.Value)
	if err != nil {
		return periodError("day", "err.date_invalid")
	}
	load := h.Monitor.PatrolLog
	if export {
		load = h.Monitor.ExportPatrolLog
	}
	log, err := load(ctx, req, p.Value)
	if err != nil {
		return err
	}
	p.Heading = h.T.T("deadline.date.ymd", day.Y, int(day.M), day.D)
	p.PrevURL = "/monitor/patrol?day=" + day.AddDays(-1).String()
	if p.Value < today {
		p.NextURL = "/monitor/patrol?day=" + day.AddDays(1).String()
	}
	p.CanNote = p.Value == today && access.CanMonitor(req.P, u.UnitID)
	p.Notes = []string{h.T.T("ui.monitor.patrol.intro")}
	p.Tables = h.patrolTables(log)
	return nil
}

// ledgerReport fills the monthly ledger of the month asked for (this
// month by default).
func (h *Handler) ledgerReport(ctx context.Context, req monitor.Request, p *ReportPage, export bool) error {
	today, _ := deadline.ParseDate(h.Monitor.Today())
	if p.Value == "" {
		p.Value = fmt.Sprintf("%04d-%02d", today.Y, int(today.M))
	}
	m := monthRE.FindStringSubmatch(p.Value)
	if m == nil {
		return periodError("month", "err.monitor_month_format")
	}
	year, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	if year < 2000 || month < 1 || month > 12 {
		return periodError("month", "err.monitor_month_format")
	}
	load := h.Monitor.MonthlyLedger
	if export {
		load = h.Monitor.ExportMonthlyLedger
	}
	l, err := load(ctx, req, year, month)
	if err != nil {
		return err
	}
	p.Heading = h.T.T("ui.monitor.ledger.period", year, month)
	first := deadline.NewDate(year, time.Month(month), 1)
	p.PrevURL = "/monitor/ledger?month=" + first.AddDays(-1).String()[:7]
	if after := deadline.NewDate(year, time.Month(month)+1, 1); after.String() <= today.String() {
		p.NextURL = "/monitor/ledger?month=" + after.String()[:7]
	}
	p.Notes = []string{h.T.T("ui.monitor.ledger.range", l.Range.From, l.Range.To),
		h.T.T("ui.monitor.ledger.recurring_range", l.RecurringRange.From, l.RecurringRange.To)}
	p.Tables = h.ledgerTables(l, access.MonitorScope(req.P).UnitPathPrefix != "")
	return nil
}

// quarterlyReport fills the quarterly analysis of the quarter asked for
// (this quarter by default) with the previous quarter beside it.
func (h *Handler) quarterlyReport(ctx context.Context, req monitor.Request, p *ReportPage, export bool) error {
	today, _ := deadline.ParseDate(h.Monitor.Today())
	cy, cq := today.Y, (int(today.M)+2)/3
	for i := range 8 {
		y, q := cy, cq-i
		for q < 1 {
			y, q = y-1, q+4
		}
		p.Quarters = append(p.Quarters, fmt.Sprintf("%d-Q%d", y, q))
	}
	if p.Value == "" {
		p.Value = p.Quarters[0]
	}
	m := quarterRE.FindStringSubmatch(p.Value)
	if m == nil {
		return periodError("quarter", "err.monitor_quarter_format")
	}
	year, _ := strconv.Atoi(m[1])
	quarter, _ := strconv.Atoi(m[2])
	if year < 2000 {
		return periodError("quarter", "err.monitor_quarter_format")
	}
	p.Value = fmt.Sprintf("%d-Q%d", year, quarter)
	load := h.Monitor.QuarterlyAnalysis
	if export {
		load = h.Monitor.ExportQuarterlyAnalysis
	}
	qa, err := load(ctx, req, year, quarter)
	if err != nil {
		return err
	}
	p.Heading = h.T.T("ui.monitor.quarter", year, quarter)
	py, pq := year, quarter-1
	if pq == 0 {
		py, pq = year-1, 4
	}
	p.PrevURL = fmt.Sprintf("/monitor/quarterly?quarter=%d-Q%d", py, pq)
	ny, nq := year, quarter+1
	if nq == 5 {
		ny, nq = year+1, 1
	}
	if ny < cy || ny == cy && nq <= cq {
		p.NextURL = fmt.Sprintf("/monitor/quarterly?quarter=%d-Q%d", ny, nq)
	}
	p.Notes = []string{h.T.T("ui.monitor.quarterly.range", qa.Current.Range.From, qa.Current.Range.To,
		qa.Previous.Range.From, qa.Previous.Range.To)}
	p.Tables = h.quarterlyTables(qa)
	return nil
}
