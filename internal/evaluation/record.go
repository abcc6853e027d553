package evaluation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/deadline"
)

// RecordStore persists evaluation records and the steps taken on them.
type RecordStore interface {
	// EvaluationRecord loads one record with its findings, follow-ups and
	// actions.
	EvaluationRecord(ctx context.Context, id int64) (Record, error)
	// EvaluationRecords loads the records of an activity with their
	// findings and follow-ups (not actions), in id order.
	EvaluationRecords(ctx context.Context, activityID int64) ([]Record, error)
	// CaseEvaluationRecords loads every record of a case, newest first,
	// with findings.
	CaseEvaluationRecords(ctx context.Context, caseID int64) ([]Record, error)
	// ListEvaluationRecords returns one page in scope, newest first.
	ListEvaluationRecords(ctx context.Context, s RecordScope, f RecordFilter) ([]Record, string, error)
	// EvaluationAct applies ch guarded by the record's version (a
	// concurrent change gives apperr.ErrConflict).
	EvaluationAct(ctx context.Context, ch RecordChange, a audit.Record) error
	// OverdueEvaluationResponses lists proposed records whose response
	// period ended before today.
	OverdueEvaluationResponses(ctx context.Context, today string, limit int) ([]Record, error)
}

// Record is one case in one activity (评查记录).
type Record struct {
	ID         int64
	ActivityID int64
	// Case is the case as it stands now, joined in when read.
	Case       CaseFacts
	UnitID     int64
	Category   string
	TemplateID int64
	// HandlerID and DepartmentID are those responsible when the case was
	// drawn: the statistics and the quality record count by them.
	HandlerID         int64
	HandlerName       string
	DepartmentID      int64
	DepartmentName    string
	Selection         Selection
	SelectionReason   string
	SelectedOn        string
	EvaluatorID       int64
	EvaluatorName     string
	AssignedOn        string
	AssignExplanation string
	State
	Version   int64
	Findings  []Finding
	FollowUps []FollowUp
	Actions   []Action
}

// FollowUp is a follow-up action on a final grade (评查结果运用).
type FollowUp struct {
	ID        int64
	RecordID  int64
	Kind      FollowUpKind
	Note      string
	ActorID   int64
	ActorName string
	ActedOn   string
	At        time.Time
}

// Action is one step taken on a record: its history.
type Action struct {
	ID        int64
	RecordID  int64
	Kind      ActionKind
	Status    Status // after the action
	Note      string
	ActorID   int64 // 0: the system
	ActorName string
	ActedOn   string
	At        time.Time
}

// RecordChange is one action on a record for the store to apply in one
// transaction.
type RecordChange struct {
	Record Record // as read: ID and Version guard the update
	Next   State
	Action Action
	// ReplaceFindings replaces the record's findings with Findings.
	ReplaceFindings bool
	Findings        []Finding
	// Items update the objection and decision fields of findings, by
	// item code.
	Items []Finding
	// FollowUp is inserted when set.
	FollowUp *FollowUp
}

// RecordScope says which records a list shows: those whose case is in
// Quality, or of activities organised by OrganiserUnitID, or where UserID
// is the record's evaluator, or the activity's leader or a member of its
// committee.
type RecordScope struct {
	Quality         access.QualityScope
	OrganiserUnitID int64
	UserID          int64
}

// RecordFilter narrows a record list. Zero values mean "any".
type RecordFilter struct {
	ActivityID  int64
	EvaluatorID int64
	HandlerID   int64
	Status      Status
	Limit       int
	After       string
}

// canReadRecord: the organising office, the leader and the committee
// (every record of the activity), the record's evaluator (an evaluator
// sees only the cases given to them, so an aid partner or another unit's
// evaluator sees no other), its handler, and anyone whose quality scope
// holds the case.
func canReadRecord(p access.Principal, a Activity, rec Record) bool {
	return len(CapacitiesOf(p, a, rec)) > 0 ||
		access.CanReadQuality(p, rec.Case.ref(), rec.DepartmentID, rec.HandlerID)
}

// loadRecord reads a record and its activity, hidden out of p's view.
func (s *Service) loadRecord(ctx context.Context, p access.Principal, id int64) (Record, Activity, error) {
	rec, err := s.store.EvaluationRecord(ctx, id)
	if err != nil {
		return Record{}, Activity{}, err
	}
	a, err := s.store.EvaluationActivity(ctx, rec.ActivityID)
	if err != nil {
		return Record{}, Activity{}, err
	}
	if !canReadRecord(p, a, rec) {
		return Record{}, Activity{}, apperr.ErrNotFound
	}
	return rec, a, nil
}

// act is the common path of every step on a record by a person: load in
// view, check the capacity and the activity's status, run the step
// machine, let build complete the change, and hand the store one change
// with its audit record.
func (s *Service) act(ctx context.Context, r Request, id int64, k ActionKind, note string,
	build func(ch *RecordChange, a Activity, t Template, v *apperr.Validation) error) error {
	rec, a, err := s.loadRecord(ctx, r.P, id)
	if err != nil {
		return err
	}
	if !Permits(CapacitiesOf(r.P, a, rec), k) {
		return apperr.ErrForbidden
	}
	if a.Status != ActivityEvaluating {
		return invalid("status", "err.evaluation_activity_status")
	}
	today := s.Today()
	next, err := Next(rec.State, k, today)
	if err != nil {
		return err
	}
	t, err := s.template(ctx, rec.TemplateID)
	if err != nil {
		return err
	}
	ch := RecordChange{Record: rec, Next: next, Action: Action{RecordID: rec.ID, Kind: k, Status: next.Status,
		Note: note, ActorID: r.P.UserID, ActedOn: today}}
	v := &apperr.Validation{}
	if build != nil {
		if err := build(&ch, a, t, v); err != nil {
			return err
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	detail := fmt.Sprintf("activity=%d case=%d status=%s", a.ID, rec.Case.ID, ch.Next.Status)
	if ch.Next.FinalGrade != "" && ch.Next.FinalGrade != rec.FinalGrade {
		detail += " final=" + ch.Next.FinalGrade
	}
	return s.store.EvaluationAct(ctx, ch, r.record("evaluation."+string(k), objRecord, rec.ID, detail))
}

// Score saves the evaluator's findings against the template (评分), any
// number of times before proposing a grade: each save replaces the
// previous one. An item not in the template, or an option the item does
// not offer, is refused and nothing is written.
func (s *Service) Score(ctx context.Context, r Request, id int64, in []FindingInput) error {
	return s.act(ctx, r, id, ActScore, "", func(ch *RecordChange, _ Activity, t Template, v *apperr.Validation) error {
		fs := resolve(t, in, "findings", v)
		tally := TallyOf(fs)
		ch.ReplaceFindings, ch.Findings = true, fs
		ch.Next.Deduction = tally.Deduction
		ch.Action.Note = fmt.Sprintf("flaws=%d serious=%d deduction=%d", tally.Flaws, tally.Serious, tally.Deduction)
		return nil
	})
}

// Propose proposes the grade of the scored findings with reasons (拟定
// 等次). The grade must be on the activity's scale and not better than
// the findings allow (Scale.CheckGrade); excellent needs a clean case. The
// handler's response is then due within the activity's working days.
func (s *Service) Propose(ctx context.Context, r Request, id int64, grade, reasons string) error {
	reasons = strings.TrimSpace(reasons)
	return s.act(ctx, r, id, ActPropose, reasons, func(ch *RecordChange, a Activity, t Template, v *apperr.Validation) error {
		checkText(v, "reasons", reasons, maxReasons, true)
		tally := TallyOf(ch.Record.Findings)
		suggested, _ := t.Scale.Suggest(tally)
		if key := t.Scale.CheckGrade(grade, tally); key != "" {
			add(v, "grade", key, t.Scale.Label(suggested))
		}
		due, err := s.responseDue(ch.Action.ActedOn, a.ResponseDays)
		if err != nil {
			return err
		}
		ch.Next.SuggestedGrade, ch.Next.ProposedGrade, ch.Next.ProposedReasons = suggested, grade, reasons
		ch.Next.Deduction, ch.Next.ResponseDue = tally.Deduction, due
		return nil
	})
}

// responseDue is the last day of a response period of days working days
// from day (not counted).
func (s *Service) responseDue(day string, days int) (string, error) {
	d, err := deadline.ParseDate(day)
	if err != nil {
		return "", err
	}
	due, _ := s.calendar().AddWorkingDays(d, days)
	return due.String(), nil
}

// Agree records the handler's agreement with the proposed grade, which
// becomes final.
func (s *Service) Agree(ctx context.Context, r Request, id int64, note string) error {
	note = strings.TrimSpace(note)
	return s.act(ctx, r, id, ActAgree, note, func(ch *RecordChange, _ Activity, _ Template, v *apperr.Validation) error {
		checkText(v, "note", note, maxNote, false)
		ch.Next.ResponseReason = note
		return nil
	})
}

// ItemObjection contests one finding.
type ItemObjection struct {
	ItemCode string
	Reason   string
}

// ObjectionInput is the handler's objection (异议): the reasons, and the
// findings contested (none: the grade alone is contested).
type ObjectionInput struct {
	Reason string
	Items  []ItemObjection
}

// Object records the handler's objection, within the response period;
// one after its last day is refused and nothing is written.
func (s *Service) Object(ctx context.Context, r Request, id int64, in ObjectionInput) error {
	reason := strings.TrimSpace(in.Reason)
	return s.act(ctx, r, id, ActObject, reason, func(ch *RecordChange, _ Activity, _ Template, v *apperr.Validation) error {
		checkText(v, "reason", reason, maxReasons, true)
		seen := map[string]bool{}
		for i, o := range in.Items {
			p := fmt.Sprintf("items[%d]", i)
			f, ok := findingOf(ch.Record.Findings, o.ItemCode)
			switch {
			case !ok || !f.Class.Problem():
				add(v, p+".item_code", "err.evaluation_item_not_found", o.ItemCode)
				continue
			case seen[o.ItemCode]:
				add(v, p+".item_code", "err.duplicate")
				continue
			}
			seen[o.ItemCode] = true
			text := strings.TrimSpace(o.Reason)
			checkText(v, p+".reason", text, maxNote, true)
			f.Objected, f.Objection = true, text
			ch.Items = append(ch.Items, f)
		}
		ch.Next.ResponseReason = reason
		return nil
	})
}

func findingOf(fs []Finding, code string) (Finding, bool) {
	for _, f := range fs {
		if f.ItemCode == code {
			return f, true
		}
	}
	return Finding{}, false
}

// ItemDecision is the committee's decision on one contested finding:
// upheld, or overturned (撤销该问题).
type ItemDecision struct {
	ItemCode string
	Overturn bool
	Reason   string
}

// DecisionInput is the committee's decision on an objection: each
// contested finding upheld or overturned, and the final grade with its
// reasons.
type DecisionInput struct {
	Items  []ItemDecision
	Grade  string
	Reason string
}

// Decide records the committee's decision (评查委员会决定) and the final
// grade, by the team leader or a committee member who did not score the
// case. Every contested finding needs a decision; the grade must be on the
// scale and not better than the findings that remain allow.
func (s *Service) Decide(ctx context.Context, r Request, id int64, in DecisionInput) error {
	reason := strings.TrimSpace(in.Reason)
	return s.act(ctx, r, id, ActDecide, reason, func(ch *RecordChange, _ Activity, t Template, v *apperr.Validation) error {
		checkText(v, "reason", reason, maxReasons, true)
		fs := append([]Finding(nil), ch.Record.Findings...)
		decided := map[string]bool{}
		for i, d := range in.Items {
			p := fmt.Sprintf("items[%d]", i)
			j := -1
			for k, f := range fs {
				if f.ItemCode == d.ItemCode {
					j = k
				}
			}
			switch {
			case j < 0 || !fs[j].Objected:
				add(v, p+".item_code", "err.evaluation_item_not_contested", d.ItemCode)
				continue
			case decided[d.ItemCode]:
				add(v, p+".item_code", "err.duplicate")
				continue
			}
			decided[d.ItemCode] = true
			text := strings.TrimSpace(d.Reason)
			checkText(v, p+".reason", text, maxNote, true)
			fs[j].Overturned, fs[j].DecisionNote = d.Overturn, text
			ch.Items = append(ch.Items, fs[j])
		}
		for _, f := range fs {
			if f.Objected && !decided[f.ItemCode] {
				add(v, "items", "err.evaluation_decision_missing", f.ItemCode)
			}
		}
		tally := TallyOf(fs)
		if key := t.Scale.CheckGrade(in.Grade, tally); key != "" {
			suggested, _ := t.Scale.Suggest(tally)
			add(v, "grade", key, t.Scale.Label(suggested))
		}
		ch.Next.FinalGrade, ch.Next.DecisionReason, ch.Next.DecidedBy = in.Grade, reason, r.P.UserID
		ch.Next.Deduction = tally.Deduction
		return nil
	})
}

// LapseOverdue makes final the proposed grade of every record whose
// response period has ended without an answer (系统：反馈期满未提异议). It
// returns how many it finalised.
func (s *Service) LapseOverdue(ctx context.Context) (int, error) {
	today := s.Today()
	n := 0
	for {
		batch, err := s.store.OverdueEvaluationResponses(ctx, today, 100)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		progress := false
		for _, rec := range batch {
			next, err := Next(rec.State, ActLapse, today)
			if err != nil {
				return n, fmt.Errorf("evaluation: lapse record %d: %w", rec.ID, err)
			}
			ch := RecordChange{Record: rec, Next: next, Action: Action{RecordID: rec.ID, Kind: ActLapse,
				Status: next.Status, ActedOn: today}}
			a := newRecord(systemActor(), "evaluation.lapse", objRecord, rec.ID,
				fmt.Sprintf("activity=%d case=%d due=%s final=%s", rec.ActivityID, rec.Case.ID, rec.ResponseDue,
					next.FinalGrade))
			err = s.store.EvaluationAct(ctx, ch, a)
			if errors.Is(err, apperr.ErrConflict) {
				continue // answered meanwhile
			}
			if err != nil {
				return n, err
			}
			n++
			progress = true
		}
		if !progress {
			return n, nil
		}
	}
}

// AddFollowUp records a follow-up on the final grade: a correction (整改),
// a feedback session (讲评), or — for a failing grade only — a referral
// for responsibility to discipline inspection (移送检务督察/纪检).
func (s *Service) AddFollowUp(ctx context.Context, r Request, id int64, kind FollowUpKind, note string) error {
	note = strings.TrimSpace(note)
	return s.act(ctx, r, id, ActFollowUp, note, func(ch *RecordChange, _ Activity, t Template, v *apperr.Validation) error {
		checkText(v, "note", note, maxNote, true)
		switch {
		case !kind.Valid():
			add(v, "kind", "err.unknown_value")
		case kind == FollowReferral && !t.Scale.Fails(ch.Record.FinalGrade):
			add(v, "kind", "err.evaluation_referral_needs_fail", t.Scale.Label(ch.Record.FinalGrade))
		}
		ch.FollowUp = &FollowUp{RecordID: ch.Record.ID, Kind: kind, Note: note, ActorID: r.P.UserID,
			ActedOn: ch.Action.ActedOn}
		ch.Action.Note = string(kind) + ": " + note
		return nil
	})
}

// CloseRecord closes a record after its follow-up: a failing grade needs a
// correction on file first.
func (s *Service) CloseRecord(ctx context.Context, r Request, id int64, note string) error {
	note = strings.TrimSpace(note)
	return s.act(ctx, r, id, ActClose, note, func(ch *RecordChange, _ Activity, t Template, v *apperr.Validation) error {
		checkText(v, "note", note, maxNote, false)
		if t.Scale.Fails(ch.Record.FinalGrade) && !hasFollowUp(ch.Record.FollowUps, FollowCorrection) {
			add(v, "followups", "err.evaluation_correction_required")
		}
		return nil
	})
}

func hasFollowUp(fs []FollowUp, k FollowUpKind) bool {
	for _, f := range fs {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// RecordDetail is a record as its page shows it: the record with its
// history, its activity, the template it is scored against, and what the
// viewer may do now.
type RecordDetail struct {
	Record   Record
	Activity Activity
	Template Template
	Actions  []ActionKind
}

// GetRecord returns a record with its history; the read is audited.
func (s *Service) GetRecord(ctx context.Context, r Request, id int64) (RecordDetail, error) {
	rec, a, err := s.loadRecord(ctx, r.P, id)
	if err != nil {
		return RecordDetail{}, err
	}
	t, err := s.template(ctx, rec.TemplateID)
	if err != nil {
		return RecordDetail{}, err
	}
	if err := s.store.AppendAudit(ctx, r.record("evaluation.record_view", objRecord, id, "")); err != nil {
		return RecordDetail{}, err
	}
	return RecordDetail{Record: rec, Activity: a, Template: t, Actions: s.ActionsFor(r.P, a, rec)}, nil
}

// PersonActions lists the actions a person takes on a record, in
// procedural order (the lapse is the system's).
func PersonActions() []ActionKind {
	return []ActionKind{ActAssign, ActScore, ActPropose, ActAgree, ActObject, ActDecide, ActFollowUp, ActClose}
}

// ActionsFor lists the actions p may take on rec now: those the procedure
// allows in its state and p's capacity permits, while the activity runs.
// The surfaces offer exactly these; the service still checks every
// submission (the content, such as a grade, can still be refused).
func (s *Service) ActionsFor(p access.Principal, a Activity, rec Record) []ActionKind {
	today := s.Today()
	caps := CapacitiesOf(p, a, rec)
	var out []ActionKind
	for _, k := range PersonActions() {
		okStatus := a.Status == ActivityEvaluating || (k == ActAssign && a.Status == ActivityPlanning)
		if !okStatus || !Permits(caps, k) {
			continue
		}
		if _, err := Next(rec.State, k, today); err == nil {
			out = append(out, k)
		}
	}
	return out
}

// ListRecords returns one page of the records p may see: their evaluation
// tasks, their own cases evaluated, their department's or unit's, and the
// records of activities their unit organises.
func (s *Service) ListRecords(ctx context.Context, r Request, f RecordFilter) ([]Record, string, error) {
	sc := RecordScope{Quality: access.QualityReadScope(r.P), UserID: r.P.UserID}
	if r.P.Has(access.CaseManager) {
		sc.OrganiserUnitID = r.P.UnitID
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, "", invalid("status", "err.unknown_value")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	out, next, err := s.store.ListEvaluationRecords(ctx, sc, f)
	if err != nil {
		return nil, "", err
	}
	rec := r.record("evaluation.record_list", objRecord, 0, fmt.Sprintf("rows=%d activity=%d status=%s", len(out),
		f.ActivityID, f.Status))
	if err := s.store.AppendAudit(ctx, rec); err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// CaseQuality is a case's quality record: its self-check and
// verification, and every evaluation of it.
type CaseQuality struct {
	SelfCheck *SelfCheck
	Records   []Record
}

// CaseQuality returns the quality record of a case p may see; the read is
// audited.
func (s *Service) CaseQuality(ctx context.Context, r Request, caseID int64) (CaseQuality, error) {
	c, err := s.store.EvaluationCase(ctx, caseID)
	if err != nil {
		return CaseQuality{}, err
	}
	var out CaseQuality
	sc, err := s.store.SelfCheckOfCase(ctx, caseID)
	switch {
	case err == nil:
		if access.CanReadQuality(r.P, c.ref(), sc.DepartmentID, sc.HandlerID) {
			out.SelfCheck = &sc
		}
	case !errors.Is(err, apperr.ErrNotFound):
		return CaseQuality{}, err
	}
	recs, err := s.store.CaseEvaluationRecords(ctx, caseID)
	if err != nil {
		return CaseQuality{}, err
	}
	for _, rec := range recs {
		if access.CanReadQuality(r.P, c.ref(), rec.DepartmentID, rec.HandlerID) {
			out.Records = append(out.Records, rec)
		}
	}
	if out.SelfCheck == nil && len(out.Records) == 0 && !access.CanReadQuality(r.P, c.ref(), c.DepartmentID, c.HandlerID) {
		return CaseQuality{}, apperr.ErrNotFound
	}
	if err := s.store.AppendAudit(ctx, r.record("evaluation.case_quality_view", "case", caseID, "")); err != nil {
		return CaseQuality{}, err
	}
	return out, nil
}
