package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// The case-quality pages (案件质量): self-checks and their verification,
// evaluation templates, activities, records and statistics. This file
// holds what they share: the roles of the route table, the tabs, and the
// views that render the domain's codes in the reader's language.

// qualityNav is the navigation entry every case-quality page marks.
const qualityNav = "/quality"

var (
	// qualityRoles may open activities and records: the service narrows
	// to their view (an evaluator sees only the cases given to them, so
	// an aid partner may be one when the activity allows it).
	qualityRoles = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
		access.Chief, access.UpperSupervisor, access.AidPartner}
	// qualityUsers add the system administrator, who keeps the templates
	// (rule data) without seeing any case.
	qualityUsers = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
		access.Chief, access.UpperSupervisor, access.AidPartner, access.SysAdmin}
	// activityReaders may open activities: members (evaluators, leaders,
	// committee members, aid partners among them), the organising unit's
	// office and leaders, upper supervisors. Assistants are never members.
	activityReaders = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief,
		access.UpperSupervisor, access.AidPartner}
	// templateManagers import and edit templates
	// (access.CanManageEvaluationTemplates).
	templateManagers = []access.Role{access.CaseManager, access.SysAdmin}
	// statsReaders read the statistics (access.CanReadEvaluationStats).
	statsReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
	// checkActors file (the handler) or verify (the department head, the
	// chief) a self-check; the service decides per self-check.
	checkActors = []access.Role{access.Prosecutor, access.Assistant, access.DeptHead, access.Chief}
	// activityActors act on an activity: the office organises it, the team
	// leader (a chief, head, prosecutor or case manager) may close it.
	activityActors = []access.Role{access.CaseManager, access.Chief, access.DeptHead, access.Prosecutor}
	// recordActors take a step on a record in some capacity (organiser,
	// evaluator, handler, committee); the service decides per record.
	recordActors = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
		access.Chief, access.AidPartner}
)

func (h *Handler) evalRequest(r *http.Request, u org.User) evaluation.Request {
	return evaluation.Request(h.request(r, u))
}

// QualityBase is what every case-quality page carries: the tabs between
// its parts that the user may open.
type QualityBase struct {
	Base
	Tabs []NavItem
}

// qualityBase starts a case-quality page: its title, the navigation entry
// marked whatever the path, and the tabs of the user's roles.
func (h *Handler) qualityBase(u org.User, title, current string) QualityBase {
	b := QualityBase{Base: Base{Title: title, NavPath: qualityNav}}
	p := u.Principal()
	business := p.HasAny(qualityRoles...)
	var tabs [][2]string
	if business {
		tabs = append(tabs, [2]string{"/quality", "ui.evaluation.tab.home"})
	}
	if !access.QualityReadScope(p).None() {
		tabs = append(tabs, [2]string{"/quality/selfchecks", "ui.evaluation.tab.selfchecks"})
	}
	if p.HasAny(activityReaders...) {
		tabs = append(tabs, [2]string{"/quality/activities", "ui.evaluation.tab.activities"})
	}
	if business {
		tabs = append(tabs, [2]string{"/quality/records", "ui.evaluation.tab.records"})
	}
	if access.CanReadEvaluationStats(p) {
		tabs = append(tabs, [2]string{"/quality/stats", "ui.evaluation.tab.stats"})
	}
	tabs = append(tabs, [2]string{"/quality/templates", "ui.evaluation.tab.templates"})
	for _, tb := range tabs {
		b.Tabs = append(b.Tabs, NavItem{Href: tb[0], Label: h.T.T(tb[1]), Active: tb[0] == current})
	}
	return b
}

// scales caches the grade scale of each template version a page shows
// (versions never change, and the service caches the parsed templates).
type scales struct {
	h   *Handler
	ctx context.Context
	req evaluation.Request
	by  map[int64]evaluation.Scale
}

func (h *Handler) scalesFor(ctx context.Context, req evaluation.Request) *scales {
	return &scales{h: h, ctx: ctx, req: req, by: map[int64]evaluation.Scale{}}
}

// of returns the scale of template version id.
func (s *scales) of(id int64) (evaluation.Scale, error) {
	if sc, ok := s.by[id]; ok {
		return sc, nil
	}
	t, err := s.h.Evaluation.Template(s.ctx, s.req, id)
	if err != nil {
		return evaluation.Scale{}, err
	}
	s.by[id] = t.Scale
	return t.Scale, nil
}

// gradeName is the label of a grade code on sc, "" for none.
func gradeName(sc evaluation.Scale, code string) string {
	if code == "" {
		return ""
	}
	return sc.Label(code)
}

// CheckRow is a self-check as lists show it.
type CheckRow struct {
	ID         int64
	CaseID     int64
	CaseName   string
	StageNo    string
	Unit       string
	Handler    string
	Department string
	ClosedOn   string
	DueOn      string
	Status     string
	StatusCode string
	// Overdue: still owed after the due date; Late: filed after it.
	Overdue  bool
	Late     bool
	Problems int
}

func (h *Handler) checkRow(c evaluation.SelfCheck, today string) CheckRow {
	t := c.Tally()
	return CheckRow{ID: c.ID, CaseID: c.Case.ID, CaseName: c.Case.Name, StageNo: c.Case.StageNo, Unit: c.Case.UnitName,
		Handler: c.HandlerName, Department: c.DepartmentName, ClosedOn: c.ClosedOn, DueOn: c.DueOn,
		Status: h.T.T(c.Status.Key()), StatusCode: string(c.Status), Overdue: c.Overdue(today),
		Late: c.SubmittedOn != "" && c.SubmittedOn > c.DueOn, Problems: t.Flaws + t.Serious}
}

// RecordRow is an evaluation record as lists show it.
type RecordRow struct {
	ID          int64
	ActivityID  int64
	CaseID      int64
	CaseName    string
	StageNo     string
	Unit        string
	Handler     string
	Department  string
	Selection   string
	Evaluator   string
	Explanation string
	Status      string
	StatusCode  string
	Proposed    string
	Final       string
	ResponseDue string
	Problems    int
	Deduction   int
}

func (h *Handler) recordRow(rec evaluation.Record, sc evaluation.Scale) RecordRow {
	row := RecordRow{ID: rec.ID, ActivityID: rec.ActivityID, CaseID: rec.Case.ID, CaseName: rec.Case.Name,
		StageNo: rec.Case.StageNo, Unit: rec.Case.UnitName, Handler: rec.HandlerName, Department: rec.DepartmentName,
		Selection: h.T.T(rec.Selection.Key()), Evaluator: rec.EvaluatorName, Explanation: rec.AssignExplanation,
		Status: h.T.T(rec.Status.Key()), StatusCode: string(rec.Status), Proposed: gradeName(sc, rec.ProposedGrade),
		Final: gradeName(sc, rec.FinalGrade), Deduction: rec.Deduction}
	if rec.Status == evaluation.StatusProposed {
		row.ResponseDue = rec.ResponseDue
	}
	for _, f := range rec.Findings {
		if f.Class.Problem() && !f.Overturned {
			row.Problems++
		}
	}
	return row
}

// recordRows renders records with the grade labels of their scales.
func (h *Handler) recordRows(ctx context.Context, req evaluation.Request, recs []evaluation.Record) ([]RecordRow, error) {
	sc := h.scalesFor(ctx, req)
	out := make([]RecordRow, 0, len(recs))
	for _, rec := range recs {
		s, err := sc.of(rec.TemplateID)
		if err != nil {
			return nil, err
		}
		out = append(out, h.recordRow(rec, s))
	}
	return out, nil
}

// ActivityRow is an activity as lists show it.
type ActivityRow struct {
	ID         int64
	Name       string
	Kind       string
	Status     string
	StatusCode string
	Organiser  string
	Units      string
	Period     string
	Leader     string
	Deadline   string
	Records    int
	Open       int // records not yet closed
}

func (h *Handler) activityRow(a evaluation.Activity) ActivityRow {
	row := ActivityRow{ID: a.ID, Name: a.Name, Kind: h.T.T(a.Kind.Key()), Status: h.T.T(a.Status.Key()),
		StatusCode: string(a.Status), Organiser: a.UnitName, Leader: a.Leader, Deadline: a.Deadline,
		Period: h.T.T("evaluation.report.period_range", a.ClosedFrom, a.ClosedTo)}
	names := make([]string, len(a.Units))
	for i, un := range a.Units {
		names[i] = un.Name
	}
	row.Units = strings.Join(names, h.T.T("evaluation.list_sep"))
	for st, n := range a.Records {
		row.Records += n
		if st != evaluation.StatusClosed {
			row.Open += n
		}
	}
	return row
}

// formID reads a positive id from a form or query value; 0 when absent or
// not a number (the service names a missing one at its control).
func formID(s string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// checkRef is the case of a self-check as the policy sees it.
func checkRef(c evaluation.SelfCheck) access.CaseRef {
	return access.CaseRef{UnitID: c.Case.UnitID, UnitPath: c.Case.UnitPath, HandlerID: c.Case.HandlerID,
		Sealed: c.Case.Sealed}
}

// canFile and canVerify decide which form a self-check page offers; the
// service decides again on submission.
func canFile(p access.Principal, c evaluation.SelfCheck) bool {
	return access.CanFileSelfCheck(p, checkRef(c), c.HandlerID)
}

func canVerify(p access.Principal, c evaluation.SelfCheck) bool {
	return access.CanVerifySelfCheck(p, checkRef(c), c.DepartmentID, c.HandlerID)
}

// unknownAction is the message of a form posted without a known action.
func (h *Handler) unknownAction() fieldErrors {
	var fe fieldErrors
	fe.add("action", h.T.T("evaluation.field.action")+"："+h.T.T("err.unknown_value"))
	return fe
}
