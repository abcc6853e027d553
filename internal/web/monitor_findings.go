package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
)

// FindingListPage is the list of monitoring findings (问题清单) with the
// counts by status and, for the office, the form to record a finding by
// hand.
type FindingListPage struct {
	MonitorBase
	Filter      monitor.Filter
	Rows        []FindingView
	Counts      monitor.Counts
	Today       string
	MultiUnit   bool
	NextURL     string
	Statuses    []monitor.Status
	Areas       []monitor.Area
	Severities  []monitor.Severity
	Rules       []monitor.Rule
	Departments []org.Department
	Handlers    []casefile.Load
	// CanCreate shows the form to record a finding by hand; New keeps what
	// was typed into it when it was refused.
	CanCreate bool
	New       NewFindingForm
	// The messages of a refused filter and of a refused new finding, at
	// their own controls (both forms have an area and a severity).
	FilterErrors map[string]string
	NewErrors    map[string]string
}

// NewFindingForm is the form of a finding recorded by hand.
type NewFindingForm struct {
	Case        string // case id or stage number, as typed
	Area        string
	Severity    string
	Description string
}

// findingFilter reads the list's query. Numbers that do not parse are
// ignored, as on the board; codes go to the service, which names a bad
// one at its control.
func findingFilter(q url.Values) monitor.Filter {
	f := monitor.Filter{Status: monitor.Status(q.Get("status")), OpenOnly: q.Get("open") == "1",
		Area: monitor.Area(q.Get("area")), Severity: monitor.Severity(q.Get("severity")), RuleID: q.Get("rule"),
		From: q.Get("from"), To: q.Get("to"), After: q.Get("after"), Limit: 50}
	if id, err := strconv.ParseInt(q.Get("department"), 10, 64); err == nil && id > 0 {
		f.DepartmentID = id
	}
	if id, err := strconv.ParseInt(q.Get("handler_id"), 10, 64); err == nil && id > 0 {
		f.HandlerID = id
	}
	return f
}

func (h *Handler) findingList(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showFindings(w, r, u, http.StatusOK, nil)
}

// showFindings renders the list; fill adjusts the page (a refused form).
func (h *Handler) showFindings(w http.ResponseWriter, r *http.Request, u org.User, status int, fill func(*FindingListPage)) error {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = url.Values{} // a refused form shows the unfiltered list under it
	}
	p := &FindingListPage{MonitorBase: h.monitorBase(u, h.T.T("ui.monitor.findings_title"), "/monitor/findings"),
		Filter: findingFilter(q), Today: h.Monitor.Today(), Statuses: monitor.Statuses(), Areas: monitor.Areas(),
		Severities: monitor.Severities(), Rules: h.Monitor.Rules()}
	req := h.monitorRequest(r, u)
	pr := u.Principal()
	p.MultiUnit = access.MonitorScope(pr).UnitPathPrefix != ""
	p.CanCreate = access.CanMonitor(pr, u.UnitID)
	var err error
	if !p.MultiUnit {
		if p.Departments, err = h.Org.Departments(r.Context(), u.UnitID); err != nil {
			return err
		}
		if access.CanSeeWorkload(pr) {
			if p.Handlers, err = h.Pools.Workload(r.Context(), h.request(r, u)); err != nil {
				return err
			}
		}
	}
	if fill != nil {
		fill(p)
	}
	rows, next, err := h.Monitor.List(r.Context(), req, p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.FilterErrors = errs.byField
		return h.render(w, r, http.StatusUnprocessableEntity, "monitor_findings", p)
	}
	if err != nil {
		return err
	}
	rules := p.Rules
	for _, f := range rows {
		p.Rows = append(p.Rows, h.findingView(f, rules, p.Today))
	}
	if p.Counts, err = h.Monitor.Counts(r.Context(), req); err != nil {
		return err
	}
	if next != "" {
		nq := url.Values{}
		for k, v := range q {
			if k != "after" {
				nq[k] = v
			}
		}
		nq.Set("after", next)
		p.NextURL = "/monitor/findings?" + nq.Encode()
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "finding-table" {
		return h.fragment(w, "monitor_findings", "finding_table", p)
	}
	return h.render(w, r, status, "monitor_findings", p)
}

// createFinding records a finding by hand and opens it.
func (h *Handler) createFinding(w http.ResponseWriter, r *http.Request, u org.User) error {
	form := NewFindingForm{Case: trimmed(r, "case"), Area: r.PostFormValue("area"), Severity: r.PostFormValue("severity"),
		Description: r.PostFormValue("description")}
	id, err := h.createFindingFrom(r, u, form)
	if errs, ok := h.formErrors(err); ok {
		return h.showFindings(w, r, u, http.StatusUnprocessableEntity, func(p *FindingListPage) {
			p.invalid(errs, h.T.T("err.validation"))
			p.New, p.NewErrors = form, errs.byField
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/monitor/findings/"+strconv.FormatInt(id, 10)+"?flash=flash.monitor_finding_created")
}

func (h *Handler) createFindingFrom(r *http.Request, u org.User, form NewFindingForm) (int64, error) {
	in := monitor.ManualFinding{Area: monitor.Area(form.Area), Severity: monitor.Severity(form.Severity),
		Description: form.Description}
	caseID, err := h.resolveCase(r.Context(), h.request(r, u), form.Case)
	if v, ok := apperr.AsValidation(err); ok {
		// Name the other fields' problems too, in the form's order.
		if rest, ok := apperr.AsValidation(in.Check()); ok {
			v.Fields = append(v.Fields, rest.Fields...)
		}
		return 0, v
	}
	if err != nil {
		return 0, err
	}
	in.CaseID = caseID
	id, err := h.Monitor.Create(r.Context(), h.monitorRequest(r, u), in)
	if errors.Is(err, apperr.ErrNotFound) {
		// The case typed is not one the office can see: a typing error to
		// show at the field, not a missing page.
		return 0, caseUnknown()
	}
	return id, err
}

func caseUnknown() error {
	v := &apperr.Validation{}
	v.AddLabeled("case", "ui.monitor.case_ref", "err.monitor_case_unknown")
	return v
}

// resolveCase finds the case a case manager names by its id, or by its
// stage or uniform number as printed on the file (what they have at hand
// on patrol). The lookup is the audited case search, within their scope;
// a number that matches no case exactly is a field error.
func (h *Handler) resolveCase(ctx context.Context, req casefile.Request, ref string) (int64, error) {
	if ref == "" {
		v := &apperr.Validation{}
		v.AddLabeled("case", "ui.monitor.case_ref", "err.required")
		return 0, v
	}
	// Case ids are short; uniform numbers are 18 digits and go to search.
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && len(ref) <= 12 {
		if id <= 0 {
			return 0, caseUnknown()
		}
		return id, nil
	}
	if len([]rune(ref)) > 50 {
		return 0, caseUnknown()
	}
	cases, _, err := h.Cases.List(ctx, req, casefile.Filter{Query: ref, Limit: 20})
	if err != nil {
		return 0, err
	}
	for _, c := range cases {
		if strings.EqualFold(c.StageNo, ref) || c.UniformNo == ref {
			return c.ID, nil
		}
	}
	return 0, caseUnknown()
}
