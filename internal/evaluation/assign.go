package evaluation

import (
	"context"
	"fmt"
	"slices"

	"github.com/anguan/anguan/internal/apperr"
)

// Assignment sets a record's evaluator, for the store.
type Assignment struct {
	Record      Record // as read: ID and Version guard the update
	EvaluatorID int64
	Explanation string
	On          string
	ActorID     int64
}

// evaluatorsOf loads the activity's evaluators as people, in the order
// they were listed.
func (s *Service) evaluatorsOf(ctx context.Context, a Activity) ([]Person, error) {
	ms := a.Evaluators()
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.UserID
	}
	people, err := s.store.EvaluationPeople(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(ids))
	for _, id := range ids {
		if i := slices.IndexFunc(people, func(p Person) bool { return p.ID == id }); i >= 0 && !people[i].Disabled {
			out = append(out, people[i])
		}
	}
	return out, nil
}

// AutoAssign gives every unassigned record of the activity an evaluator,
// balancing the workload and honouring recusal (Balance), each with its
// explanation. If any record has no eligible evaluator, nothing is
// assigned and the refusal names the cases. It returns how many it
// assigned.
func (s *Service) AutoAssign(ctx context.Context, r Request, activityID int64) (int, error) {
	a, err := s.organised(ctx, r.P, activityID, ActivityPlanning, ActivityEvaluating)
	if err != nil {
		return 0, err
	}
	all, err := s.store.EvaluationRecords(ctx, a.ID)
	if err != nil {
		return 0, err
	}
	var pending []Record
	caseIDs := make([]int64, 0, len(all))
	for _, rec := range all {
		if rec.Status == StatusPending {
			pending = append(pending, rec)
			caseIDs = append(caseIDs, rec.Case.ID)
		}
	}
	if len(pending) == 0 {
		return 0, nil
	}
	evaluators, err := s.evaluatorsOf(ctx, a)
	if err != nil {
		return 0, err
	}
	conflicts, err := s.store.EvaluationConflicts(ctx, caseIDs)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(evaluators))
	for i, e := range evaluators {
		ids[i] = e.ID
	}
	loads, err := s.store.EvaluationLoads(ctx, ids)
	if err != nil {
		return 0, err
	}
	choices, err := Balance(s.t, a, pending, conflicts, evaluators, loads)
	if err != nil {
		return 0, err
	}
	today := s.Today()
	as := make([]Assignment, len(choices))
	for i, c := range choices {
		as[i] = Assignment{Record: pending[i], EvaluatorID: c.EvaluatorID, Explanation: c.Explanation, On: today,
			ActorID: r.P.UserID}
	}
	rec := r.record("evaluation.assign_auto", objActivity, a.ID, fmt.Sprintf("records=%d evaluators=%d", len(as),
		len(evaluators)))
	if err := s.store.AssignEvaluators(ctx, as, rec); err != nil {
		return 0, err
	}
	return len(as), nil
}

// Assign gives one record the evaluator chosen by hand (or replaces one
// before a grade is proposed). The evaluator must be one of the activity's
// and not recused: a recused evaluator is refused with the reason and
// nothing is written.
func (s *Service) Assign(ctx context.Context, r Request, recordID, evaluatorID int64) error {
	rec, a, err := s.loadRecord(ctx, r.P, recordID)
	if err != nil {
		return err
	}
	if !Permits(CapacitiesOf(r.P, a, rec), ActAssign) {
		return apperr.ErrForbidden
	}
	if a.Status != ActivityPlanning && a.Status != ActivityEvaluating {
		return invalid("status", "err.evaluation_activity_status")
	}
	if _, err := Next(rec.State, ActAssign, s.Today()); err != nil {
		return err
	}
	if !a.isMember(evaluatorID, RoleEvaluator) {
		return invalid("evaluator_id", "err.evaluation_not_evaluator")
	}
	people, err := s.evaluatorsOf(ctx, a)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(people, func(p Person) bool { return p.ID == evaluatorID })
	if i < 0 {
		return invalid("evaluator_id", "err.evaluation_not_evaluator")
	}
	e := people[i]
	conflicts, err := s.store.EvaluationConflicts(ctx, []int64{rec.Case.ID})
	if err != nil {
		return err
	}
	if rs := Recuse(a, rec, conflicts[rec.Case.ID], e); len(rs) > 0 {
		v := &apperr.Validation{}
		for _, reason := range rs {
			add(v, "evaluator_id", reason.ErrKey(), e.Name)
		}
		return v
	}
	explanation := s.t("evaluation.assign.manual", e.Name, r.P.Name)
	if rec.EvaluatorID != 0 {
		explanation = s.t("evaluation.assign.reassign", rec.EvaluatorName, e.Name, r.P.Name)
	}
	audit := r.record("evaluation.assign", objRecord, rec.ID, fmt.Sprintf("activity=%d case=%d evaluator=%d manual",
		a.ID, rec.Case.ID, e.ID))
	return s.store.AssignEvaluators(ctx, []Assignment{{Record: rec, EvaluatorID: e.ID, Explanation: explanation,
		On: s.Today(), ActorID: r.P.UserID}}, audit)
}
