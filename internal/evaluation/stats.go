package evaluation

import (
	"context"
	"fmt"
	"slices"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
)

// StatsStore computes the evaluation statistics within a unit scope. Only
// graded records count (a final grade); overturned findings do not count
// as findings.
type StatsStore interface {
	// EvaluationGradeCounts counts final grades by one attribute.
	EvaluationGradeCounts(ctx context.Context, s access.QualityScope, f StatsFilter, by GroupBy) ([]GradeRow, error)
	// EvaluationFindingCounts counts the problems per item, most frequent
	// first, at most limit rows.
	EvaluationFindingCounts(ctx context.Context, s access.QualityScope, f StatsFilter, limit int) ([]FindingCount, error)
	// EvaluationCalibration summarises each evaluator's proposals.
	EvaluationCalibration(ctx context.Context, s access.QualityScope, f StatsFilter) ([]CalibrationRow, error)
}

// StatsFilter narrows the statistics. Zero values mean "any". Grades of
// different scales do not mix in a table: give ScaleCode to keep to one.
type StatsFilter struct {
	ActivityID int64
	ScaleCode  string
	Category   string
	From, To   string // the day the grade became final, YYYY-MM-DD, inclusive
}

// GroupBy is the attribute a grade table counts by.
type GroupBy string

// Attributes of a grade distribution.
const (
	ByUnit       GroupBy = "unit"
	ByDepartment GroupBy = "department" // responsible when drawn
	ByHandler    GroupBy = "handler"    // responsible when drawn
	ByCategory   GroupBy = "category"
	ByEvaluator  GroupBy = "evaluator"
)

// GroupBys lists the attributes.
func GroupBys() []GroupBy { return []GroupBy{ByUnit, ByDepartment, ByHandler, ByCategory, ByEvaluator} }

// Key is the i18n key of the attribute's name.
func (g GroupBy) Key() string { return "evaluation.by." + string(g) }

// GradeRow is one row of a grade distribution: the counts of each final
// grade code for a unit, department, person or category.
type GradeRow struct {
	Key    string // id or code
	Name   string
	Counts map[string]int // grade code → records
	Total  int
}

// FindingCount is how often one checklist item was found wanting.
type FindingCount struct {
	ItemCode string
	Title    string
	Aspect   Aspect
	Flaws    int
	Serious  int
	Total    int
	// Records is how many records the item was found in.
	Records int
}

// CalibrationRow is one evaluator's calibration: the grades they proposed
// and how their findings fared on objection.
type CalibrationRow struct {
	EvaluatorID int64
	Name        string
	Records     int            // records graded (proposed)
	Grades      map[string]int // proposed grade code → records
	Findings    int            // problems found
	Objected    int            // of those, contested by the handler
	Overturned  int            // of those, overturned by the committee
}

// OverturnedShare is the share of the evaluator's findings overturned on
// objection (0 when they found none).
func (c CalibrationRow) OverturnedShare() float64 {
	if c.Findings == 0 {
		return 0
	}
	return float64(c.Overturned) / float64(c.Findings)
}

func (s *Service) statsScope(p access.Principal, f StatsFilter) (access.QualityScope, error) {
	if !access.CanReadEvaluationStats(p) {
		return access.QualityScope{}, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	for field, d := range map[string]string{"from": f.From, "to": f.To} {
		if d != "" && !validDate(d) {
			add(v, field, "err.date_invalid")
		}
	}
	return access.EvaluationStatsScope(p), v.Err()
}

// GradeDistribution counts final grades by unit, department, prosecutor,
// category or evaluator, within p's statistics scope.
func (s *Service) GradeDistribution(ctx context.Context, r Request, f StatsFilter, by GroupBy) ([]GradeRow, error) {
	sc, err := s.statsScope(r.P, f)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(GroupBys(), by) {
		return nil, invalid("by", "err.unknown_value")
	}
	return s.store.EvaluationGradeCounts(ctx, sc, f, by)
}

// FrequentFindings lists the items most often found wanting (the input
// for training), at most limit (default 20).
func (s *Service) FrequentFindings(ctx context.Context, r Request, f StatsFilter, limit int) ([]FindingCount, error) {
	sc, err := s.statsScope(r.P, f)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	return s.store.EvaluationFindingCounts(ctx, sc, f, limit)
}

// Calibration lists each evaluator's grade distribution and the share of
// their findings overturned on objection.
func (s *Service) Calibration(ctx context.Context, r Request, f StatsFilter) ([]CalibrationRow, error) {
	sc, err := s.statsScope(r.P, f)
	if err != nil {
		return nil, err
	}
	return s.store.EvaluationCalibration(ctx, sc, f)
}

// QualityRecord is a prosecutor's quality record (司法业绩档案中的办案质量):
// their self-checks and evaluated cases, the final grades and the points
// they bring under each scale's rule.
type QualityRecord struct {
	HandlerID  int64
	Name       string
	SelfChecks []SelfCheck
	Records    []Record
	// Grades counts final grades by scale code and grade code.
	Grades map[string]map[string]int
	// Points sums the grade points of the final grades (verify: the
	// points are the unit's rule, see Scale).
	Points int
	// LateSelfChecks counts self-checks filed after their due date or
	// still owed past it.
	LateSelfChecks int
}

// QualityRecord returns the quality record of handlerID as far as p may
// see it: the prosecutor their own, a department head their department's,
// the office and the chief their unit's, upper supervisors their subtree.
// The read is audited (it is a person's performance data).
func (s *Service) QualityRecord(ctx context.Context, r Request, handlerID int64) (QualityRecord, error) {
	sc := access.QualityReadScope(r.P)
	if sc.None() {
		return QualityRecord{}, apperr.ErrNotFound
	}
	people, err := s.store.EvaluationPeople(ctx, []int64{handlerID})
	if err != nil {
		return QualityRecord{}, err
	}
	if len(people) == 0 {
		return QualityRecord{}, apperr.ErrNotFound
	}
	// The person must be within p's view: their own record for a
	// prosecutor, their unit for the office, the chief and department
	// heads (a head sees the department's cases in it), the subtree for
	// upper supervisors.
	h := people[0]
	inView := (sc.UnitID != 0 && h.UnitID == sc.UnitID) || (sc.UnitID == 0 && access.InUnitTree(h.UnitPath, sc.UnitPathPrefix))
	if !inView || (sc.HandlerID != 0 && sc.DepartmentID == 0 && handlerID != r.P.UserID) {
		return QualityRecord{}, apperr.ErrNotFound
	}
	out := QualityRecord{HandlerID: handlerID, Name: h.Name, Grades: map[string]map[string]int{}}
	checks, _, err := s.store.ListSelfChecks(ctx, sc, CheckFilter{HandlerID: handlerID, Limit: 200, Today: s.Today()})
	if err != nil {
		return QualityRecord{}, err
	}
	out.SelfChecks = checks
	today := s.Today()
	for _, c := range checks {
		if c.Overdue(today) || (c.SubmittedOn != "" && c.SubmittedOn > c.DueOn) {
			out.LateSelfChecks++
		}
	}
	recs, _, err := s.store.ListEvaluationRecords(ctx, RecordScope{Quality: sc}, RecordFilter{HandlerID: handlerID,
		Limit: 200})
	if err != nil {
		return QualityRecord{}, err
	}
	out.Records = recs
	for _, rec := range recs {
		if rec.FinalGrade == "" {
			continue
		}
		t, err := s.template(ctx, rec.TemplateID)
		if err != nil {
			return QualityRecord{}, err
		}
		if out.Grades[t.Scale.Code] == nil {
			out.Grades[t.Scale.Code] = map[string]int{}
		}
		out.Grades[t.Scale.Code][rec.FinalGrade]++
		if g, ok := t.Scale.Grade(rec.FinalGrade); ok {
			out.Points += g.Points
		}
	}
	rec := r.record("evaluation.quality_record_view", "user", handlerID, fmt.Sprintf("records=%d checks=%d", len(recs),
		len(checks)))
	if err := s.store.AppendAudit(ctx, rec); err != nil {
		return QualityRecord{}, err
	}
	return out, nil
}
