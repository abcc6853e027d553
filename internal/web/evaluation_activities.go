package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Evaluation activities (评查活动): the list, and the plan of a new one.

// ActivityListPage lists the activities the user may see: organised by
// their unit (or below, for upper supervisors) or with them among the
// members.
type ActivityListPage struct {
	QualityBase
	Filter      evaluation.ActivityFilter
	Kinds       []evaluation.Kind
	Statuses    []evaluation.ActivityStatus
	Rows        []ActivityRow
	NextURL     string
	CanOrganise bool
}

func (h *Handler) activityList(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	p := &ActivityListPage{QualityBase: h.qualityBase(u, h.T.T("ui.evaluation.activities_title"), "/quality/activities"),
		Kinds: evaluation.Kinds(), Statuses: evaluation.ActivityStatuses(),
		Filter: evaluation.ActivityFilter{Status: evaluation.ActivityStatus(q.Get("status")),
			Kind: evaluation.Kind(q.Get("kind")), After: q.Get("after"), Limit: 50},
		CanOrganise: access.CanOrganiseEvaluation(u.Principal(), u.UnitID)}
	rows, next, err := h.Evaluation.ListActivities(r.Context(), h.evalRequest(r, u), p.Filter)
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "evaluation_activities", p)
	}
	if err != nil {
		return err
	}
	for _, a := range rows {
		p.Rows = append(p.Rows, h.activityRow(a))
	}
	p.NextURL = nextURL("/quality/activities", q, next)
	return h.render(w, r, http.StatusOK, "evaluation_activities", p)
}

// ActivityForm is the plan of an activity as typed.
type ActivityForm struct {
	Name         string
	Kind         string
	UnitIDs      []int64
	Categories   []string
	ClosedFrom   string
	ClosedTo     string
	ScaleCode    string
	LeaderID     int64
	EvaluatorIDs []int64
	CommitteeIDs []int64
	Deadline     string
	ResponseDays string
	AllowAid     bool
	Note         string
}

// HasUnit, HasCategory, IsEvaluator and InCommittee check a choice.
func (f ActivityForm) HasUnit(id int64) bool     { return slices.Contains(f.UnitIDs, id) }
func (f ActivityForm) HasCategory(c string) bool { return slices.Contains(f.Categories, c) }
func (f ActivityForm) IsEvaluator(id int64) bool { return slices.Contains(f.EvaluatorIDs, id) }
func (f ActivityForm) InCommittee(id int64) bool { return slices.Contains(f.CommitteeIDs, id) }

// PersonChoice is a person the plan may name.
type PersonChoice struct {
	ID    int64
	Name  string
	Unit  string
	Roles string
	Aid   bool
}

// ScaleChoice is a grade scale some template uses.
type ScaleChoice struct {
	Code, Name string
}

// ActivityNewPage plans an activity: scope, scale, people, deadline.
type ActivityNewPage struct {
	QualityBase
	F          ActivityForm
	Kinds      []evaluation.Kind
	Units      []org.Unit
	Categories []casefile.Category
	Scales     []ScaleChoice
	Evaluators []PersonChoice
	Leaders    []PersonChoice
	// Errors are the messages by control (a field's indexes dropped:
	// "unit_ids[1]" is shown at the unit choices).
	Errors map[string]string
}

func (h *Handler) activityNew(w http.ResponseWriter, r *http.Request, u org.User) error {
	today, err := deadline.ParseDate(h.Evaluation.Today())
	if err != nil {
		return err
	}
	from, to := lastQuarter(today)
	f := ActivityForm{Kind: string(evaluation.KindRoutine), UnitIDs: []int64{u.UnitID}, ClosedFrom: from, ClosedTo: to,
		Deadline: today.AddDays(30).String(), ResponseDays: strconv.Itoa(evaluation.DefaultResponseDays)}
	return h.showActivityNew(w, r, u, http.StatusOK, f, fieldErrors{})
}

// lastQuarter is the calendar quarter before today's: the usual period of
// a routine evaluation.
func lastQuarter(today deadline.Date) (string, string) {
	y, q := today.Y, (int(today.M)+2)/3-1
	if q == 0 {
		y, q = y-1, 4
	}
	first := deadline.NewDate(y, time.Month(3*q-2), 1)
	last := deadline.NewDate(y, time.Month(3*q+1), 1).AddDays(-1)
	return first.String(), last.String()
}

func (h *Handler) showActivityNew(w http.ResponseWriter, r *http.Request, u org.User, status int, f ActivityForm,
	errs fieldErrors) error {
	ctx, req := r.Context(), h.evalRequest(r, u)
	p := &ActivityNewPage{QualityBase: h.qualityBase(u, h.T.T("ui.evaluation.activity_new_title"), "/quality/activities"),
		F: f, Kinds: evaluation.Kinds(), Errors: map[string]string{}}
	units, err := h.Org.Units(ctx)
	if err != nil {
		return err
	}
	for _, un := range units {
		if access.InUnitTree(un.Path, u.UnitPath) {
			p.Units = append(p.Units, un)
		}
	}
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil {
		return err
	}
	covered, scales := map[string]bool{}, map[string]bool{}
	for _, i := range infos {
		for _, c := range i.Categories {
			covered[c] = true
		}
		if !scales[i.ScaleCode] {
			scales[i.ScaleCode] = true
			name := i.ScaleCode
			if sc, ok := evaluation.StandardScale(i.ScaleCode); ok {
				name = sc.Name
			}
			p.Scales = append(p.Scales, ScaleChoice{Code: i.ScaleCode, Name: name})
		}
	}
	slices.SortFunc(p.Scales, func(a, b ScaleChoice) int { return strings.Compare(b.Code, a.Code) })
	if p.F.ScaleCode == "" && len(p.Scales) > 0 {
		p.F.ScaleCode = p.Scales[0].Code
	}
	cats, err := h.Cases.Categories(ctx)
	if err != nil {
		return err
	}
	for _, c := range cats {
		if covered[c.Code] {
			p.Categories = append(p.Categories, c)
		}
	}
	if p.Evaluators, p.Leaders, err = h.activityPeople(ctx, u); err != nil {
		return err
	}
	for field, msg := range errs.byField {
		key := controlOf(field)
		if _, seen := p.Errors[key]; !seen {
			p.Errors[key] = msg
		}
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "evaluation_activity_new", p)
}

// controlOf names the control of a field path: indexes and keys dropped,
// a template choice shown at the categories.
func controlOf(field string) string {
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	if field == "templates" {
		return "categories"
	}
	return field
}

// activityPeople are the people the plan may name: evaluators (those who
// may evaluate in the organiser's unit tree, and aid partners, allowed
// when the plan says so) and leaders or committee members (the tree's
// prosecutors, heads, chiefs and case managers). The service checks every
// choice again.
func (h *Handler) activityPeople(ctx context.Context, u org.User) (evaluators, leaders []PersonChoice, err error) {
	// The organisation's people list: names, units and roles, no case
	// content. It is the whole directory; the tree is small next to it.
	all, err := h.Org.AllUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range all {
		p := x.Principal()
		inTree := access.InUnitTree(x.UnitPath, u.UnitPath)
		if x.Disabled || (!inTree && !p.Has(access.AidPartner)) {
			continue
		}
		roles := make([]string, len(x.Roles))
		for i, r := range x.Roles {
			roles[i] = h.T.T("role." + string(r))
		}
		c := PersonChoice{ID: x.ID, Name: x.Name, Unit: x.UnitName, Roles: strings.Join(roles, h.T.T("evaluation.list_sep")),
			Aid: p.Has(access.AidPartner)}
		if access.CanEvaluate(p, true) {
			evaluators = append(evaluators, c)
		}
		if inTree && access.CanLeadEvaluation(p) {
			leaders = append(leaders, c)
		}
	}
	// The organiser's own unit first, then the units below, aid partners
	// last; by name within a unit.
	order := func(a, b PersonChoice) int {
		if a.Aid != b.Aid {
			return boolOrder(a.Aid, b.Aid)
		}
		if a.Unit != b.Unit {
			if own := boolOrder(a.Unit != u.UnitName, b.Unit != u.UnitName); own != 0 {
				return own
			}
			return strings.Compare(a.Unit, b.Unit)
		}
		return strings.Compare(a.Name, b.Name)
	}
	slices.SortStableFunc(evaluators, order)
	slices.SortStableFunc(leaders, order)
	return evaluators, leaders, nil
}

// boolOrder orders false before true.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// activityCreate plans an activity and opens it.
func (h *Handler) activityCreate(w http.ResponseWriter, r *http.Request, u org.User) error {
	f := ActivityForm{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"), Categories: r.PostForm["categories"],
		ClosedFrom: r.PostFormValue("closed_from"), ClosedTo: r.PostFormValue("closed_to"),
		ScaleCode: r.PostFormValue("scale_code"), LeaderID: formID(r.PostFormValue("leader_id")),
		Deadline: r.PostFormValue("deadline"), ResponseDays: r.PostFormValue("response_days"),
		AllowAid: r.PostFormValue("allow_aid") == "1", Note: r.PostFormValue("note")}
	for _, s := range r.PostForm["unit_ids"] {
		f.UnitIDs = append(f.UnitIDs, formID(s))
	}
	for _, s := range r.PostForm["evaluator_ids"] {
		f.EvaluatorIDs = append(f.EvaluatorIDs, formID(s))
	}
	for _, s := range r.PostForm["committee_ids"] {
		f.CommitteeIDs = append(f.CommitteeIDs, formID(s))
	}
	in := evaluation.ActivityInput{Name: f.Name, Kind: evaluation.Kind(f.Kind), UnitIDs: f.UnitIDs,
		Categories: f.Categories, ClosedFrom: f.ClosedFrom, ClosedTo: f.ClosedTo, ScaleCode: f.ScaleCode,
		LeaderID: f.LeaderID, EvaluatorIDs: f.EvaluatorIDs, CommitteeIDs: f.CommitteeIDs, Deadline: f.Deadline,
		AllowAid: f.AllowAid, Note: f.Note}
	if s := strings.TrimSpace(f.ResponseDays); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			// Out of range: the service names the allowed range.
			n = -1
		}
		in.ResponseDays = n
	}
	id, err := h.Evaluation.CreateActivity(r.Context(), h.evalRequest(r, u), in)
	if errs, ok := h.formErrors(err); ok {
		return h.showActivityNew(w, r, u, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/quality/activities/"+strconv.FormatInt(id, 10)+"?flash=flash.evaluation_activity_created")
}
