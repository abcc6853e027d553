package dataquality

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Problem statuses.
const (
	StatusOpen   = "open"   // the rule still hits the card
	StatusFixed  = "fixed"  // a later scan found the card corrected
	StatusWaived = "waived" // a case manager accepted the card as it is, with a reason
)

// Problem is one entry of the problem list (问题清单): a rule that hits a
// card, who must fix it and by when.
type Problem struct {
	ID            int64
	CardID        int64
	UnitID        int64
	UnitName      string
	StageNo       string
	CaseName      string
	Category      string
	RuleID        string
	RuleVersion   int
	Kind          string
	Severity      string
	Item          string
	HandlerID     int64
	Handler       string
	Department    string
	Status        string
	DetectedOn    string
	DueOn         string
	FixedOn       string
	WaivedBy      string
	WaiveReason   string
	NotifiedMonth string
	Version       int
	// UnitPath places the problem in the tree for upper supervisors.
	UnitPath string
	// Sealed: the card belongs to a sealed case (CPL 286); only its
	// handler may read the problem.
	Sealed bool
	// Title and Hint come from the rule library, for display.
	Title string
	Hint  string
}

// Overdue reports whether an open problem is past its fix date on today.
func (p Problem) Overdue(today string) bool { return p.Status == StatusOpen && p.DueOn < today }

// ProblemFilter narrows a problem list. Limit is required (1–500).
type ProblemFilter struct {
	Status     string // "", open, fixed, waived
	Kind       string
	Severity   string
	RuleID     string
	HandlerID  int64
	Department string
	CardID     int64
	Month      string // notified in this month (YYYY-MM)
	Limit      int
	After      string // cursor
}

func (f *ProblemFilter) normalise() error {
	v := &apperr.Validation{}
	switch f.Status {
	case "", StatusOpen, StatusFixed, StatusWaived:
	default:
		v.AddLabeled("status", "field.dq_status", "err.dq_status")
	}
	if f.Kind != "" && !oneOf(f.Kind, Kinds) {
		v.AddLabeled("kind", "field.dq_kind", "err.dq_kind")
	}
	if f.Severity != "" && !oneOf(f.Severity, Severities) {
		v.AddLabeled("severity", "field.dq_severity", "err.dq_severity")
	}
	if f.Month != "" && !validMonth(f.Month) {
		v.Add("month", "err.dq_month")
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	if f.Limit < 1 || f.Limit > 500 {
		v.Add("limit", "err.dq_limit", 1, 500)
	}
	return v.Err()
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// validMonth accepts YYYY-MM with a month 01–12.
func validMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	m := s[5:]
	return m >= "01" && m <= "12"
}

// ProblemStore reads and changes problems.
type ProblemStore interface {
	// ListProblems returns one page in scope (newest first) and the
	// cursor of the next page.
	ListProblems(ctx context.Context, s access.FindingScope, f ProblemFilter) ([]Problem, string, error)
	// CountProblems counts what ListProblems would list, ignoring paging.
	CountProblems(ctx context.Context, s access.FindingScope, f ProblemFilter) (int, error)
	// Problem reads one problem (scope is checked by the caller).
	Problem(ctx context.Context, id int64) (Problem, bool, error)
	// WaiveProblem sets an open problem to waived if its version is still
	// version; otherwise apperr.ErrConflict.
	WaiveProblem(ctx context.Context, id int64, version int, reason string, a audit.Record) error
}

// Problems lists the problems in the caller's scope.
func (s *Service) Problems(ctx context.Context, r Request, f ProblemFilter) ([]Problem, string, error) {
	if err := f.normalise(); err != nil {
		return nil, "", err
	}
	sc := access.DataScope(r.P)
	if sc.None() {
		return nil, "", apperr.ErrForbidden
	}
	out, next, err := s.store.ListProblems(ctx, sc, f)
	if err != nil {
		return nil, "", err
	}
	s.describe(out)
	return out, next, nil
}

// CountProblems counts the problems in the caller's scope.
func (s *Service) CountProblems(ctx context.Context, r Request, f ProblemFilter) (int, error) {
	f.Limit = 1
	if err := f.normalise(); err != nil {
		return 0, err
	}
	sc := access.DataScope(r.P)
	if sc.None() {
		return 0, nil
	}
	return s.store.CountProblems(ctx, sc, f)
}

// MyOpenProblems counts the open problems on the cards the caller handles,
// for the home page ("handlers see their own list").
func (s *Service) MyOpenProblems(ctx context.Context, r Request) (int, error) {
	if !r.P.HasAny(access.Prosecutor, access.Assistant) {
		return 0, nil
	}
	sc := access.FindingScope{UnitID: r.P.UnitID, HandlerID: r.P.UserID, UserID: r.P.UserID}
	return s.store.CountProblems(ctx, sc, ProblemFilter{Status: StatusOpen, Limit: 1})
}

// GetProblem reads one problem the caller may see.
func (s *Service) GetProblem(ctx context.Context, r Request, id int64) (Problem, error) {
	p, ok, err := s.store.Problem(ctx, id)
	if err != nil {
		return Problem{}, err
	}
	if !ok || !canSee(r.P, p) {
		return Problem{}, apperr.ErrNotFound
	}
	one := []Problem{p}
	s.describe(one)
	return one[0], nil
}

// canSee applies DataScope to one problem; sealed cards are filtered by
// the store, which reads the flag with the problem.
func canSee(pr access.Principal, p Problem) bool {
	sc := access.DataScope(pr)
	if sc.None() {
		return false
	}
	if p.Sealed && p.HandlerID != pr.UserID {
		return false
	}
	if sc.HandlerID != 0 && p.HandlerID != sc.HandlerID {
		return false
	}
	if sc.UnitID != 0 {
		return p.UnitID == sc.UnitID
	}
	return strings.HasPrefix(p.UnitPath, sc.UnitPathPrefix)
}

// MaxReason is the longest waiver reason (characters).
const MaxReason = 500

// WaiveProblem waives an open problem with a reason: the case manager
// accepts the card as it is (for example the national system's own
// filling rules allow the value). The waiver is audited with the reason.
func (s *Service) WaiveProblem(ctx context.Context, r Request, id int64, version int, reason string) error {
	p, err := s.GetProblem(ctx, r, id)
	if err != nil {
		return err
	}
	if !access.CanWaiveProblem(r.P, p.UnitID) {
		return apperr.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	v := &apperr.Validation{}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		v.AddLabeled("reason", "field.waive_reason", "err.required")
	case n > MaxReason:
		v.AddLabeled("reason", "field.waive_reason", "err.too_long", MaxReason)
	}
	if p.Status != StatusOpen {
		v.AddLabeled("status", "field.dq_status", "err.dq_not_open")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.WaiveProblem(ctx, id, version, reason,
		r.record("dq.problem_waived", objProblem, id, "rule="+p.RuleID+" card="+itoa(p.CardID)))
}

// describe fills the rule's title and hint from the library in use.
func (s *Service) describe(ps []Problem) {
	lib := s.Library()
	for i := range ps {
		if r, ok := lib.Rule(ps[i].RuleID); ok {
			ps[i].Title, ps[i].Hint = r.Title, r.Hint
		}
	}
}
