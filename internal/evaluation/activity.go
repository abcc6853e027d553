package evaluation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// DefaultResponseDays is the handler's period to answer a proposed grade,
// in working days, when the activity does not set one. The rules leave it
// to the organising unit (verify against the 2026 rules); 5 working days
// is a common local practice.
const DefaultResponseDays = 5

// ActivityStore persists activities, their draws and assignments.
type ActivityStore interface {
	// EvaluationPeople loads users by id (unknown ids are left out).
	EvaluationPeople(ctx context.Context, ids []int64) ([]Person, error)
	// EvaluationUnits loads units by id (unknown ids are left out).
	EvaluationUnits(ctx context.Context, ids []int64) ([]UnitRef, error)
	CreateEvaluationActivity(ctx context.Context, a Activity, rec audit.Record) (int64, error)
	// EvaluationActivity loads one activity with its members and record
	// counts.
	EvaluationActivity(ctx context.Context, id int64) (Activity, error)
	ListEvaluationActivities(ctx context.Context, s ActivityScope, f ActivityFilter) ([]Activity, string, error)
	// UpdateEvaluationActivity applies ch guarded by the version read.
	UpdateEvaluationActivity(ctx context.Context, ch ActivityChange, rec audit.Record) error
	// EvaluationPopulation lists the cases an activity may draw from.
	EvaluationPopulation(ctx context.Context, q PopulationQuery) ([]Candidate, error)
	// AddEvaluationRecords inserts records (each with its "select" action)
	// and applies ch to the activity, in one transaction.
	AddEvaluationRecords(ctx context.Context, ch ActivityChange, recs []Record, rec audit.Record) ([]int64, error)
	// EvaluationConflicts reads what recusal needs of each case.
	EvaluationConflicts(ctx context.Context, caseIDs []int64) (map[int64]Conflicts, error)
	// EvaluationLoads counts the open records assigned to each user.
	EvaluationLoads(ctx context.Context, userIDs []int64) (map[int64]int, error)
	// AssignEvaluators sets the evaluators of records, each guarded by the
	// record's version, with an "assign" action each, in one transaction.
	AssignEvaluators(ctx context.Context, as []Assignment, rec audit.Record) error
}

// Activity is an evaluation activity (评查活动).
type Activity struct {
	ID       int64
	UnitID   int64 // the organising unit
	UnitName string
	UnitPath string
	Name     string
	Kind     Kind
	Status   ActivityStatus
	// Scope: the units whose cases, the categories, the closing period.
	Units      []UnitRef
	Categories []string
	ClosedFrom string
	ClosedTo   string
	// ScaleCode is the grade scale; Templates the version used for each
	// category (all on that scale).
	ScaleCode string
	Templates map[string]int64
	LeaderID  int64
	Leader    string
	Members   []Member
	Deadline  string
	// ResponseDays is the handler's period to object, in working days.
	ResponseDays int
	// AllowAid lets aid partners (援助方) be evaluators.
	AllowAid bool
	Note     string
	Draw     Draw
	// Records counts the activity's records by status (read only).
	Records   map[Status]int
	CreatedBy int64
	CreatedOn string
	CreatedAt time.Time
	ClosedOn  string
	Version   int64
}

// Member is an evaluator or committee member of an activity.
type Member struct {
	UserID   int64
	Name     string
	UnitID   int64
	UnitName string
	Role     MemberRole
}

// MemberRole is a member's part in an activity.
type MemberRole string

// Member roles.
const (
	RoleEvaluator MemberRole = "evaluator" // 评查员
	RoleCommittee MemberRole = "committee" // 评查委员会委员
)

// Key is the i18n key of the role's name.
func (r MemberRole) Key() string { return "evaluation.member." + string(r) }

// Draw records how cases were drawn, so the draw can be checked and
// repeated: for random sampling the seed, rate, population size and its
// digest (the ids drawn from); for rule-based drawing the rules and how
// many cases matched.
type Draw struct {
	Seed       int64
	Rate       int // percent
	Population int
	Digest     string // SHA-256 of the population's ids in order
	Drawn      int
	DrawnOn    string
	Rules      []string
	Matched    int
	RuleOn     string
}

// Evaluators lists the evaluator members.
func (a Activity) Evaluators() []Member { return a.members(RoleEvaluator) }

// Committee lists the committee members.
func (a Activity) Committee() []Member { return a.members(RoleCommittee) }

func (a Activity) members(r MemberRole) []Member {
	var out []Member
	for _, m := range a.Members {
		if m.Role == r {
			out = append(out, m)
		}
	}
	return out
}

// isMember reports whether userID is in the activity with role r.
func (a Activity) isMember(userID int64, r MemberRole) bool {
	return slices.ContainsFunc(a.Members, func(m Member) bool { return m.UserID == userID && m.Role == r })
}

// involved reports whether userID leads, evaluates in or sits on the
// committee of the activity.
func (a Activity) involved(userID int64) bool {
	return a.LeaderID == userID || slices.ContainsFunc(a.Members, func(m Member) bool { return m.UserID == userID })
}

// unitIDs lists the scope's unit ids.
func (a Activity) unitIDs() []int64 {
	out := make([]int64, len(a.Units))
	for i, u := range a.Units {
		out[i] = u.ID
	}
	return out
}

// ActivityChange is a change of an activity's state for the store.
type ActivityChange struct {
	Activity Activity // as read: ID and Version guard the update
	Status   ActivityStatus
	ClosedOn string
	Draw     Draw
}

// ActivityScope says which activities a list shows: organised by a unit
// (or within a subtree), or with the user among their members.
type ActivityScope struct {
	UnitID         int64
	UnitPathPrefix string
	MemberID       int64
}

// ActivityFilter narrows an activity list.
type ActivityFilter struct {
	Status ActivityStatus
	Kind   Kind
	Limit  int
	After  string
}

// ActivityInput is what a case manager types to plan an activity.
type ActivityInput struct {
	Name         string
	Kind         Kind
	UnitIDs      []int64
	Categories   []string
	ClosedFrom   string
	ClosedTo     string
	ScaleCode    string
	Templates    map[string]int64 // optional: a version per category; default the newest on the scale
	LeaderID     int64
	EvaluatorIDs []int64
	CommitteeIDs []int64
	Deadline     string
	ResponseDays int // 0: DefaultResponseDays
	AllowAid     bool
	Note         string
}

// CreateActivity plans an activity of the principal's unit. Scope units
// must be the unit or below it (strictly below for cross and upper-level
// evaluation); members must hold a role that may evaluate or lead, and
// come from the unit's tree (aid partners from anywhere, when allowed).
func (s *Service) CreateActivity(ctx context.Context, r Request, in ActivityInput) (int64, error) {
	if !access.CanOrganiseEvaluation(r.P, r.P.UnitID) {
		return 0, apperr.ErrForbidden
	}
	a, err := s.checkActivity(ctx, r.P, in)
	if err != nil {
		return 0, err
	}
	rec := r.record("evaluation.activity_create", objActivity, 0, fmt.Sprintf("kind=%s units=%d categories=%s scale=%s "+
		"evaluators=%d", a.Kind, len(a.Units), strings.Join(a.Categories, ","), a.ScaleCode, len(a.Evaluators())))
	return s.store.CreateEvaluationActivity(ctx, a, rec)
}

// checkActivity validates an activity plan and builds the activity; every
// problem is reported at once.
func (s *Service) checkActivity(ctx context.Context, p access.Principal, in ActivityInput) (Activity, error) {
	v := &apperr.Validation{}
	today := s.Today()
	a := Activity{UnitID: p.UnitID, UnitPath: p.UnitPath, Name: strings.TrimSpace(in.Name), Kind: in.Kind,
		Status: ActivityPlanning, Categories: in.Categories, ClosedFrom: in.ClosedFrom, ClosedTo: in.ClosedTo,
		ScaleCode: in.ScaleCode, Templates: map[string]int64{}, LeaderID: in.LeaderID, Deadline: in.Deadline,
		ResponseDays: in.ResponseDays, AllowAid: in.AllowAid, Note: strings.TrimSpace(in.Note), CreatedBy: p.UserID,
		CreatedOn: today}
	checkText(v, "name", a.Name, maxNameLen, true)
	checkText(v, "note", a.Note, maxReasons, false)
	if !a.Kind.Valid() {
		add(v, "kind", "err.unknown_value")
	}
	if err := s.checkScope(ctx, v, p, &a, in.UnitIDs); err != nil {
		return a, err
	}
	checkPeriod(v, &a, today)
	if err := s.checkTemplates(ctx, v, &a, in.Templates); err != nil {
		return a, err
	}
	if err := s.checkMembers(ctx, v, p, &a, in); err != nil {
		return a, err
	}
	return a, v.Err()
}

func (s *Service) checkScope(ctx context.Context, v *apperr.Validation, p access.Principal, a *Activity, ids []int64) error {
	if len(ids) == 0 {
		add(v, "unit_ids", "err.required")
		return nil
	}
	units, err := s.store.EvaluationUnits(ctx, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		field := fmt.Sprintf("unit_ids[%d]", i)
		j := slices.IndexFunc(units, func(u UnitRef) bool { return u.ID == id })
		switch {
		case j < 0:
			add(v, field, "err.unknown_value")
		case slices.Index(ids, id) < i:
			add(v, field, "err.duplicate")
		case !access.InUnitTree(units[j].Path, p.UnitPath):
			add(v, field, "err.evaluation_unit_out_of_scope")
		case (a.Kind == KindCross || a.Kind == KindUpper) && id == p.UnitID:
			// Upper-level and cross evaluation look at other units' cases:
			// the organising unit is the upper one.
			add(v, field, "err.evaluation_unit_not_subordinate")
		default:
			a.Units = append(a.Units, units[j])
		}
	}
	if a.Kind == KindCross && len(ids) < 2 {
		add(v, "unit_ids", "err.evaluation_cross_needs_units")
	}
	return nil
}

func checkPeriod(v *apperr.Validation, a *Activity, today string) {
	for field, d := range map[string]string{"closed_from": a.ClosedFrom, "closed_to": a.ClosedTo, "deadline": a.Deadline} {
		switch {
		case d == "":
			add(v, field, "err.required")
		case !validDate(d):
			add(v, field, "err.date_invalid")
		}
	}
	if validDate(a.ClosedFrom) && validDate(a.ClosedTo) && a.ClosedFrom > a.ClosedTo {
		add(v, "closed_to", "err.evaluation_period_order")
	}
	if validDate(a.ClosedTo) && a.ClosedTo > today {
		add(v, "closed_to", "err.date_in_future")
	}
	if validDate(a.Deadline) && a.Deadline < today {
		add(v, "deadline", "err.evaluation_deadline_past")
	}
	if a.ResponseDays == 0 {
		a.ResponseDays = DefaultResponseDays
	}
	if a.ResponseDays < 1 || a.ResponseDays > 30 {
		add(v, "response_days", "err.evaluation_response_days", 1, 30)
	}
}

func (s *Service) checkTemplates(ctx context.Context, v *apperr.Validation, a *Activity, given map[string]int64) error {
	if a.ScaleCode == "" {
		add(v, "scale_code", "err.required")
	}
	if len(a.Categories) == 0 {
		add(v, "categories", "err.required")
	}
	for i, c := range a.Categories {
		field := fmt.Sprintf("categories[%d]", i)
		if slices.Index(a.Categories, c) < i {
			add(v, field, "err.duplicate")
			continue
		}
		if id, ok := given[c]; ok {
			t, err := s.template(ctx, id)
			switch {
			case err != nil:
				add(v, "templates["+c+"]", "err.unknown_value")
			case !t.Covers(c):
				add(v, "templates["+c+"]", "err.evaluation_template_category")
			case t.Scale.Code != a.ScaleCode:
				add(v, "templates["+c+"]", "err.evaluation_template_scale", a.ScaleCode)
			default:
				a.Templates[c] = id
			}
			continue
		}
		if a.ScaleCode == "" {
			continue
		}
		t, ok, err := s.templateFor(ctx, c, a.ScaleCode)
		if err != nil {
			return err
		}
		if !ok {
			add(v, field, "err.evaluation_no_template", a.ScaleCode)
			continue
		}
		a.Templates[c] = t.ID
	}
	for c := range given {
		if !slices.Contains(a.Categories, c) {
			add(v, "templates["+c+"]", "err.evaluation_template_category")
		}
	}
	return nil
}

func (s *Service) checkMembers(ctx context.Context, v *apperr.Validation, p access.Principal, a *Activity,
	in ActivityInput) error {
	ids := append(append([]int64{in.LeaderID}, in.EvaluatorIDs...), in.CommitteeIDs...)
	people, err := s.store.EvaluationPeople(ctx, ids)
	if err != nil {
		return err
	}
	find := func(id int64) (Person, bool) {
		i := slices.IndexFunc(people, func(x Person) bool { return x.ID == id })
		if i < 0 {
			return Person{}, false
		}
		return people[i], true
	}
	ownTree := func(x Person) bool { return access.InUnitTree(x.UnitPath, p.UnitPath) }
	if in.LeaderID == 0 {
		add(v, "leader_id", "err.required")
	} else if x, ok := find(in.LeaderID); !ok || x.Disabled {
		add(v, "leader_id", "err.unknown_value")
	} else if !ownTree(x) || !access.CanLeadEvaluation(x.Principal()) {
		add(v, "leader_id", "err.evaluation_cannot_lead")
	} else {
		a.Leader = x.Name
	}
	if len(in.EvaluatorIDs) == 0 {
		add(v, "evaluator_ids", "err.required")
	}
	for i, id := range in.EvaluatorIDs {
		field := fmt.Sprintf("evaluator_ids[%d]", i)
		x, ok := find(id)
		switch {
		case !ok || x.Disabled:
			add(v, field, "err.unknown_value")
		case slices.Index(in.EvaluatorIDs, id) < i:
			add(v, field, "err.duplicate")
		case x.Principal().Has(access.AidPartner) && !x.Principal().HasAny(access.Prosecutor, access.DeptHead,
			access.Chief, access.CaseManager) && !a.AllowAid:
			add(v, field, "err.evaluation_aid_not_allowed")
		case !access.CanEvaluate(x.Principal(), a.AllowAid):
			add(v, field, "err.evaluation_cannot_evaluate")
		case !ownTree(x) && !x.Principal().Has(access.AidPartner):
			add(v, field, "err.evaluation_member_out_of_scope")
		default:
			a.Members = append(a.Members, Member{UserID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName,
				Role: RoleEvaluator})
		}
	}
	for i, id := range in.CommitteeIDs {
		field := fmt.Sprintf("committee_ids[%d]", i)
		x, ok := find(id)
		switch {
		case !ok || x.Disabled:
			add(v, field, "err.unknown_value")
		case slices.Index(in.CommitteeIDs, id) < i:
			add(v, field, "err.duplicate")
		case !ownTree(x) || !access.CanLeadEvaluation(x.Principal()):
			add(v, field, "err.evaluation_cannot_lead")
		default:
			a.Members = append(a.Members, Member{UserID: x.ID, Name: x.Name, UnitID: x.UnitID, UnitName: x.UnitName,
				Role: RoleCommittee})
		}
	}
	return nil
}

// canReadActivity: its members; the organising unit's office, chief and
// department heads; upper supervisors above the organising unit.
func canReadActivity(p access.Principal, a Activity) bool {
	switch {
	case a.involved(p.UserID):
		return true
	case p.HasAny(access.CaseManager, access.Chief, access.DeptHead) && p.UnitID == a.UnitID:
		return true
	case p.Has(access.UpperSupervisor) && access.InUnitTree(a.UnitPath, p.UnitPath):
		return true
	}
	return false
}

// loadActivity reads an activity and hides it out of p's view.
func (s *Service) loadActivity(ctx context.Context, p access.Principal, id int64) (Activity, error) {
	a, err := s.store.EvaluationActivity(ctx, id)
	if err != nil {
		return Activity{}, err
	}
	if !canReadActivity(p, a) {
		return Activity{}, apperr.ErrNotFound
	}
	return a, nil
}

// organised loads an activity the principal organises (case manager of
// the organising unit) and checks its status.
func (s *Service) organised(ctx context.Context, p access.Principal, id int64, statuses ...ActivityStatus) (Activity, error) {
	a, err := s.loadActivity(ctx, p, id)
	if err != nil {
		return Activity{}, err
	}
	if !access.CanOrganiseEvaluation(p, a.UnitID) {
		return Activity{}, apperr.ErrForbidden
	}
	if !slices.Contains(statuses, a.Status) {
		return Activity{}, invalid("status", "err.evaluation_activity_status")
	}
	return a, nil
}

// Activity returns an activity with its members and record counts.
func (s *Service) Activity(ctx context.Context, r Request, id int64) (Activity, error) {
	return s.loadActivity(ctx, r.P, id)
}

// ListActivities returns one page of the activities p may see: organised
// by their unit (or below, for upper supervisors) or with p among the
// members.
func (s *Service) ListActivities(ctx context.Context, r Request, f ActivityFilter) ([]Activity, string, error) {
	sc := ActivityScope{MemberID: r.P.UserID}
	switch {
	case r.P.Has(access.UpperSupervisor):
		sc.UnitPathPrefix = r.P.UnitPath
	case r.P.HasAny(access.CaseManager, access.Chief, access.DeptHead):
		sc.UnitID = r.P.UnitID
	}
	v := &apperr.Validation{}
	if f.Status != "" && !f.Status.Valid() {
		add(v, "status", "err.unknown_value")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		add(v, "kind", "err.unknown_value")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.ListEvaluationActivities(ctx, sc, f)
}

// StartActivity moves an activity from planning to evaluation: every
// drawn case must have its evaluator.
func (s *Service) StartActivity(ctx context.Context, r Request, id int64) error {
	a, err := s.organised(ctx, r.P, id, ActivityPlanning)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range a.Records {
		total += n
	}
	switch {
	case total == 0:
		return invalid("records", "err.evaluation_no_records")
	case a.Records[StatusPending] > 0:
		return invalid("records", "err.evaluation_unassigned", a.Records[StatusPending])
	}
	rec := r.record("evaluation.activity_start", objActivity, a.ID, fmt.Sprintf("records=%d", total))
	return s.store.UpdateEvaluationActivity(ctx, ActivityChange{Activity: a, Status: ActivityEvaluating, Draw: a.Draw}, rec)
}

// CloseActivity ends an activity whose records are all closed: by the
// organising office or the team leader.
func (s *Service) CloseActivity(ctx context.Context, r Request, id int64) error {
	a, err := s.loadActivity(ctx, r.P, id)
	if err != nil {
		return err
	}
	if !access.CanOrganiseEvaluation(r.P, a.UnitID) && r.P.UserID != a.LeaderID {
		return apperr.ErrForbidden
	}
	if a.Status != ActivityEvaluating {
		return invalid("status", "err.evaluation_activity_status")
	}
	open := 0
	for st, n := range a.Records {
		if st != StatusClosed {
			open += n
		}
	}
	if open > 0 {
		return invalid("records", "err.evaluation_records_open", open)
	}
	today := s.Today()
	rec := r.record("evaluation.activity_close", objActivity, a.ID, "")
	return s.store.UpdateEvaluationActivity(ctx, ActivityChange{Activity: a, Status: ActivityClosed, ClosedOn: today,
		Draw: a.Draw}, rec)
}
