package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/xlsx"
)

// CodeChoice is one option of a select: a code and its name.
type CodeChoice struct {
	Code, Label string
}

// ProblemListPage is the problem list (问题清单): the problems in the
// reader's scope, filtered, newest first, a page at a time.
type ProblemListPage struct {
	DataBase
	Filter      dataquality.ProblemFilter
	Rows        []ProblemView
	Total       int
	MultiUnit   bool
	NextURL     string
	ExportURL   string
	Statuses    []CodeChoice
	Kinds       []CodeChoice
	Severities  []CodeChoice
	Rules       []CodeChoice
	Departments []string
	// Imported is the import just confirmed, when the list is shown after
	// it (its counts, since a flash message carries no numbers).
	Imported     *dataquality.ImportInfo
	FilterErrors map[string]string
}

// problemFilter reads the list's query; codes go to the service, which
// names a bad one at its control.
func problemFilter(q url.Values) dataquality.ProblemFilter {
	return dataquality.ProblemFilter{Status: q.Get("status"), Kind: q.Get("kind"), Severity: q.Get("severity"),
		RuleID: q.Get("rule"), Department: strings.TrimSpace(q.Get("department")), After: q.Get("after"), Limit: 50}
}

func (h *Handler) codeChoices(prefix string, codes []string) []CodeChoice {
	out := make([]CodeChoice, len(codes))
	for i, c := range codes {
		out[i] = CodeChoice{Code: c, Label: h.T.T(prefix + c)}
	}
	return out
}

func (h *Handler) problemList(w http.ResponseWriter, r *http.Request, u org.User) error {
	ctx, req := r.Context(), h.dataRequest(r, u)
	q := r.URL.Query()
	p := &ProblemListPage{DataBase: h.dataBase(u, h.T.T("ui.data.problems_title"), "/data/problems"), Filter: problemFilter(q),
		Statuses:   h.codeChoices("dq_status.", []string{dataquality.StatusOpen, dataquality.StatusFixed, dataquality.StatusWaived}),
		Kinds:      h.codeChoices("dq_kind.", dataquality.Kinds),
		Severities: h.codeChoices("dq_severity.", dataquality.Severities)}
	pr := u.Principal()
	p.MultiUnit = access.DataScope(pr).UnitPathPrefix != ""
	rules, err := h.Data.Rules(req)
	if err != nil {
		return err
	}
	for _, rl := range rules {
		p.Rules = append(p.Rules, CodeChoice{Code: rl.ID, Label: rl.ID + " " + rl.Title})
	}
	if !p.MultiUnit {
		deps, err := h.Org.Departments(ctx, u.UnitID)
		if err != nil {
			return err
		}
		for _, d := range deps {
			p.Departments = append(p.Departments, d.Name)
		}
	}
	if id := formID(q.Get("imported")); id != 0 && access.CanImportCards(pr, u.UnitID) {
		imports, err := h.Data.Imports(ctx, req, u.UnitID)
		if err != nil {
			return err
		}
		for i := range imports {
			if imports[i].ID == id {
				p.Imported = &imports[i]
			}
		}
	}
	rows, next, err := h.Data.Problems(ctx, req, p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		p.FilterErrors = errs.byField
		return h.render(w, r, http.StatusUnprocessableEntity, "dataquality_problems", p)
	}
	if err != nil {
		return err
	}
	p.Rows = h.problemViews(rows, h.Data.Today())
	if p.Total, err = h.Data.CountProblems(ctx, req, p.Filter); err != nil {
		return err
	}
	p.NextURL = nextURL("/data/problems", q, next)
	eq := url.Values{}
	for _, k := range []string{"status", "kind", "severity", "rule", "department"} {
		if v := q.Get(k); v != "" {
			eq.Set(k, v)
		}
	}
	p.ExportURL = "/data/problems.xlsx"
	if len(eq) > 0 {
		p.ExportURL += "?" + eq.Encode()
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "problem-table" {
		return h.fragment(w, "dataquality_problems", "problem_table", p)
	}
	return h.render(w, r, http.StatusOK, "dataquality_problems", p)
}

// maxProblemExport bounds one download of the problem list: a unit's list
// is far shorter; a province's whole list is the notification workbook's
// business, month by month.
const maxProblemExport = 10000

// problemExport downloads the problems of the current filter, every page,
// as a workbook. Every text cell is an inline string, which no
// spreadsheet program evaluates, so a value such as a waiver reason that
// starts with "=" stays text.
func (h *Handler) problemExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	ctx, req := r.Context(), h.dataRequest(r, u)
	f := problemFilter(r.URL.Query())
	f.After, f.Limit = "", 500
	today := h.Data.Today()
	multi := access.DataScope(u.Principal()).UnitPathPrefix != ""
	keys := []string{"ui.data.col.stage_no", "ui.data.col.case_name"}
	if multi {
		keys = append(keys, "field.unit")
	}
	keys = append(keys, "ui.data.col.rule_id", "ui.data.col.rule", "field.dq_kind", "field.dq_severity", "ui.data.col.item",
		"ui.data.col.department", "ui.data.col.handler", "ui.data.col.detected_on", "ui.data.col.due_on", "field.dq_status",
		"ui.data.col.fixed_on", "field.waive_reason")
	sheet := xlsx.Sheet{Name: h.T.T("ui.data.problems_sheet"), Title: h.T.T("ui.data.problems_heading", u.UnitName, today),
		Header: h.cols(keys...)}
	for {
		ps, next, err := h.Data.Problems(ctx, req, f)
		if err != nil {
			return err
		}
		for _, p := range h.problemViews(ps, today) {
			row := []xlsx.Cell{xlsx.Str(p.StageNo), xlsx.Str(p.CaseName)}
			if multi {
				row = append(row, xlsx.Str(p.UnitName))
			}
			status := p.Status
			if p.Overdue {
				status = h.T.T("ui.data.overdue_status", p.Status)
			}
			sheet.Rows = append(sheet.Rows, append(row, xlsx.Str(p.RuleID), xlsx.Str(p.Title), xlsx.Str(p.Kind),
				xlsx.Str(p.Severity), xlsx.Str(p.Item), xlsx.Str(p.Department), xlsx.Str(p.Handler), xlsx.Str(p.DetectedOn),
				xlsx.Str(p.DueOn), xlsx.Str(status), xlsx.Str(p.FixedOn), xlsx.Str(p.WaiveReason)))
		}
		if next == "" || len(sheet.Rows) >= maxProblemExport {
			if next != "" {
				sheet.Rows = append(sheet.Rows, []xlsx.Cell{xlsx.Str(h.T.T("ui.data.export_truncated", len(sheet.Rows)))})
			}
			break
		}
		f.After = next
	}
	if err := h.Data.RecordExport(ctx, req, dataquality.ExportProblems, len(sheet.Rows)); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, sheet); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.data.problems_file")+"-"+today+".xlsx", "data-problems-"+today+".xlsx")
}

// ProblemPage is one problem: the card it is on, the rule with its
// reference and fix hint, its dates and status, and for the office the
// waiver form.
type ProblemPage struct {
	DataBase
	P ProblemView
	// Rule is the rule as it is now (nil when it left the library);
	// RuleChanged when the problem was found by an earlier version.
	Rule        *dataquality.Rule
	RuleKind    string
	RuleChanged bool
	// Value is the item on the card now; HasCard when the card could be
	// read.
	Value   string
	HasCard bool
	// CanWaive shows the waiver form; Reason keeps a refused reason.
	CanWaive bool
	Reason   string
}

func (h *Handler) problemDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showProblem(w, r, u, http.StatusOK, "", fieldErrors{})
}

func (h *Handler) showProblem(w http.ResponseWriter, r *http.Request, u org.User, status int, reason string, errs fieldErrors) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.dataRequest(r, u)
	pb, err := h.Data.GetProblem(ctx, req, id)
	if err != nil {
		return err
	}
	v := h.problemView(pb, h.Data.Today())
	p := &ProblemPage{DataBase: h.dataBase(u, v.Title, "/data/problems"), P: v, Reason: reason,
		CanWaive: pb.Status == dataquality.StatusOpen && access.CanWaiveProblem(u.Principal(), pb.UnitID)}
	if rule, ok := h.Data.Library().Rule(pb.RuleID); ok {
		p.Rule, p.RuleKind = &rule, h.T.T("dq_kind."+rule.Kind)
		p.RuleChanged = rule.Version != pb.RuleVersion
	}
	// The item as the card holds it now, so the handler sees what to
	// correct without leaving the page. The card read is audited.
	view, err := h.Data.GetCard(ctx, req, pb.CardID)
	switch {
	case err == nil:
		p.HasCard = true
		p.Value = view.Card.Value(pb.Item)
		if pb.Item == "category" {
			vocab, err := h.Data.Vocabulary(ctx)
			if err != nil {
				return err
			}
			p.Value = vocab.Name(p.Value)
		}
	case !errors.Is(err, apperr.ErrNotFound):
		return err
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "dataquality_problem", p)
}

// waiveProblem waives an open problem with the reason given.
func (h *Handler) waiveProblem(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	err = h.Data.WaiveProblem(r.Context(), h.dataRequest(r, u), id, formInt(r.PostFormValue("version")), reason)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showProblem(w, r, u, http.StatusUnprocessableEntity, reason, h.messages(v, nil))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/data/problems/"+strconv.FormatInt(id, 10)+"?flash=flash.data_waived")
}
