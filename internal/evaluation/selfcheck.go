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
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
)

// SelfCheckDays is the period for the handler's self-check: 10 working
// days after the case is closed (DOMAIN §7; 《人民检察院案件质量检查与评查工作
// 规定》, 2026, as reported — verify the article).
const SelfCheckDays = 10

// SelfCheckBasis is the basis cited with the due date (verify the article
// number against the official text of the 2026 rules).
const SelfCheckBasis = "《人民检察院案件质量检查与评查工作规定》：案件办结后十个工作日内完成案件质量检查（自查）"

// SelfCheckKind is the kind code of the self-check period, as a clock for
// the deadline explanation ("deadline.kind." keys are the engine's; this
// one is "evaluation.self_check").
const SelfCheckKind = "self_check"

// CheckStore persists self-checks (案件质量检查与核查).
type CheckStore interface {
	// EvaluationCase loads a case's facts (no access check).
	EvaluationCase(ctx context.Context, caseID int64) (CaseFacts, error)
	// ClosedCasesWithoutSelfCheck lists closed cases after afterID (id
	// order) closed on or after since that have no self-check yet.
	ClosedCasesWithoutSelfCheck(ctx context.Context, since string, afterID int64, limit int) ([]CaseFacts, error)
	// CreateSelfChecks inserts tasks with their audit records, skipping a
	// case that has one (its id is then 0).
	CreateSelfChecks(ctx context.Context, cs []NewSelfCheck) ([]int64, error)
	// SelfCheck loads one self-check with its findings.
	SelfCheck(ctx context.Context, id int64) (SelfCheck, error)
	// SelfCheckOfCase loads the self-check of a case (apperr.ErrNotFound
	// if there is none).
	SelfCheckOfCase(ctx context.Context, caseID int64) (SelfCheck, error)
	// SaveSelfCheck applies a change guarded by the version read (a
	// concurrent change gives apperr.ErrConflict).
	SaveSelfCheck(ctx context.Context, ch CheckChange, a audit.Record) error
	// ListSelfChecks returns one page in scope, most urgent first.
	ListSelfChecks(ctx context.Context, s access.QualityScope, f CheckFilter) ([]SelfCheck, string, error)
}

// SelfCheck is the case's quality record of the handler's self-check
// (案件质量检查) and the department head's verification (核查).
type SelfCheck struct {
	ID             int64
	Case           CaseFacts // as it stands now
	UnitID         int64
	Category       string
	HandlerID      int64 // the handler at closing: who owes the self-check
	HandlerName    string
	DepartmentID   int64
	DepartmentName string
	TemplateID     int64
	TemplateName   string
	TemplateVer    int
	ClosedOn       string
	DueOn          string
	DueBasis       string
	// DueSteps explain the due date (rendered by DueClock().Explain).
	DueSteps       []deadline.Step
	Status         CheckStatus
	SubmittedOn    string
	Summary        string
	VerifierID     int64
	VerifierName   string
	VerifiedOn     string
	VerifyNote     string
	Findings       []Finding
	CreatedAt      time.Time
	Version        int64
	BeyondCalendar bool
}

// DueClock is the self-check period as a clock of the deadline engine, so
// the pages explain it like every statutory period ("3月16日办结；10个工作日
// → 3月30日").
func (c SelfCheck) DueClock() deadline.Clock {
	start, _ := deadline.ParseDate(c.ClosedOn)
	due, _ := deadline.ParseDate(c.DueOn)
	return deadline.Clock{Kind: SelfCheckKind, NameKey: "evaluation.self_check", Category: c.Category, Seq: 1,
		LegalBasis: c.DueBasis, Cause: deadline.EventClosed, Start: start, Base: deadline.WorkingDays(SelfCheckDays),
		Due: due, BeyondCalendar: c.BeyondCalendar, Steps: c.DueSteps}
}

// Overdue reports whether the self-check is still owed after its due date.
func (c SelfCheck) Overdue(today string) bool { return c.Status == CheckPending && c.DueOn < today }

// Tally counts the problems the self-check records, the verifier's
// additions and the handler's findings the verifier agreed with.
func (c SelfCheck) Tally() Tally {
	var fs []Finding
	for _, f := range c.Findings {
		if f.Source == SourceVerifier || f.Verdict != VerdictDisagree {
			fs = append(fs, f)
		}
	}
	return TallyOf(fs)
}

// SelfCheckDue computes the due date of a self-check for a case closed on
// closedOn: 10 working days, the closing day not counted (CPL 105), on the
// working-day calendar cal, with its explanation steps.
func SelfCheckDue(cal *deadline.Calendar, closedOn string) (deadline.Clock, error) {
	d, err := deadline.ParseDate(closedOn)
	if err != nil {
		return deadline.Clock{}, err
	}
	res := cal.Count(deadline.CountInput{Start: d, Base: deadline.WorkingDays(SelfCheckDays)})
	steps := append([]deadline.Step{{Op: deadline.StepStart, Date: d, Label: deadline.EventKey(deadline.EventClosed)}},
		res.Steps...)
	return deadline.Clock{Kind: SelfCheckKind, NameKey: "evaluation.self_check", Seq: 1, LegalBasis: SelfCheckBasis,
		Cause: deadline.EventClosed, Start: d, Base: deadline.WorkingDays(SelfCheckDays), BaseDue: res.BaseDue,
		Due: res.Due, BeyondCalendar: res.BeyondCalendar, Steps: steps}, nil
}

// NewSelfCheck is a self-check task to insert with its audit record (the
// store fills in the object id).
type NewSelfCheck struct {
	Check SelfCheck
	Audit audit.Record
}

// CheckChange is one change of a self-check for the store to apply in one
// transaction.
type CheckChange struct {
	Check SelfCheck // as read: its ID and Version guard the update
	// The state after the change.
	Status      CheckStatus
	SubmittedOn string
	Summary     string
	VerifierID  int64
	VerifiedOn  string
	VerifyNote  string
	// Replace, when set, replaces the findings of that source with
	// Findings.
	Replace  Source
	Findings []Finding
	// Verdicts set the verifier's verdict on the handler's findings.
	Verdicts []Finding
}

// CheckFilter narrows a self-check list. Zero values mean "any".
type CheckFilter struct {
	Status       CheckStatus
	Overdue      bool // pending past the due date (as of Today)
	Today        string
	HandlerID    int64
	DepartmentID int64
	ClosedFrom   string
	ClosedTo     string
	Limit        int
	After        string
}

// OpenSelfCheck creates the self-check task of a closed case for its
// handler, due 10 working days after closing. The case service calls it
// in the transaction's wake when a case closes; it is idempotent (a case
// has one self-check) and returns the task's id. A case of a category no
// template covers gets none (0, nil).
func (s *Service) OpenSelfCheck(ctx context.Context, caseID int64) (int64, error) {
	c, err := s.store.EvaluationCase(ctx, caseID)
	if err != nil {
		return 0, err
	}
	if c.Status != casefile.StatusClosed || c.ClosedOn == "" {
		return 0, invalid("case", "err.evaluation_case_not_closed")
	}
	if existing, err := s.store.SelfCheckOfCase(ctx, caseID); err == nil {
		return existing.ID, nil
	} else if !errors.Is(err, apperr.ErrNotFound) {
		return 0, err
	}
	nc, ok, err := s.newSelfCheck(ctx, c, nil)
	if err != nil || !ok {
		return 0, err
	}
	ids, err := s.store.CreateSelfChecks(ctx, []NewSelfCheck{nc})
	if err != nil {
		return 0, err
	}
	if ids[0] == 0 {
		// Created meanwhile by the scan: return that one.
		existing, err := s.store.SelfCheckOfCase(ctx, caseID)
		return existing.ID, err
	}
	return ids[0], nil
}

// newSelfCheck builds the task of closed case c; ok is false when no
// template covers its category.
// newSelfCheck builds the task of a closed case. templates, when not
// nil, remembers the template of each category for the rest of a scan:
// a scan after a bulk load meets hundreds of thousands of closed cases,
// and reading the templates again for each was most of its time.
func (s *Service) newSelfCheck(ctx context.Context, c CaseFacts, templates map[string]*Template) (NewSelfCheck, bool, error) {
	var t Template
	if cached, seen := templates[c.Category]; seen {
		if cached == nil {
			return NewSelfCheck{}, false, nil
		}
		t = *cached
	} else {
		found, ok, err := s.templateFor(ctx, c.Category, "")
		if err != nil {
			return NewSelfCheck{}, false, err
		}
		if templates != nil {
			templates[c.Category] = nil
			if ok {
				templates[c.Category] = &found
			}
		}
		if !ok {
			return NewSelfCheck{}, false, nil
		}
		t = found
	}
	clock, err := SelfCheckDue(s.calendar(), c.ClosedOn)
	if err != nil {
		return NewSelfCheck{}, false, err
	}
	sc := SelfCheck{Case: c, UnitID: c.UnitID, Category: c.Category, HandlerID: c.HandlerID,
		DepartmentID: c.DepartmentID, TemplateID: t.ID, ClosedOn: c.ClosedOn, DueOn: clock.Due.String(),
		DueBasis: clock.LegalBasis, DueSteps: clock.Steps, BeyondCalendar: clock.BeyondCalendar, Status: CheckPending}
	rec := newRecord(systemActor(), "evaluation.selfcheck_open", objCheck, 0,
		fmt.Sprintf("case=%d template=%d due=%s", c.ID, t.ID, sc.DueOn))
	return NewSelfCheck{Check: sc, Audit: rec}, true, nil
}

// SelfCheckScan is what a scan for missing self-check tasks did.
type SelfCheckScan struct {
	Since      string
	Cases      int // closed cases without a task
	Created    int
	NoTemplate int // of a category no template covers
}

// ScanSelfChecks creates the missing self-check tasks of every case closed
// on or after since: the hook at closing made optional, so the rule holds
// even for cases closed before this module or by an import.
func (s *Service) ScanSelfChecks(ctx context.Context, since string) (SelfCheckScan, error) {
	res := SelfCheckScan{Since: since}
	if !validDate(since) {
		return res, invalid("since", "err.date_invalid")
	}
	var after int64
	templates := map[string]*Template{}
	for {
		cases, err := s.store.ClosedCasesWithoutSelfCheck(ctx, since, after, 200)
		if err != nil {
			return res, err
		}
		if len(cases) == 0 {
			return res, nil
		}
		var news []NewSelfCheck
		for _, c := range cases {
			after = c.ID
			res.Cases++
			nc, ok, err := s.newSelfCheck(ctx, c, templates)
			if err != nil {
				return res, err
			}
			if !ok {
				res.NoTemplate++
				continue
			}
			news = append(news, nc)
		}
		if len(news) > 0 {
			ids, err := s.store.CreateSelfChecks(ctx, news)
			if err != nil {
				return res, err
			}
			for _, id := range ids {
				if id != 0 {
					res.Created++
				}
			}
		}
		if len(cases) < 200 {
			return res, nil
		}
	}
}

// loadCheck reads a self-check and hides it (ErrNotFound) out of p's scope.
func (s *Service) loadCheck(ctx context.Context, p access.Principal, id int64) (SelfCheck, error) {
	c, err := s.store.SelfCheck(ctx, id)
	if err != nil {
		return SelfCheck{}, err
	}
	if !access.CanReadQuality(p, c.Case.ref(), c.DepartmentID, c.HandlerID) {
		return SelfCheck{}, apperr.ErrNotFound
	}
	return c, nil
}

// SelfCheckInput is the handler's self-check: the items with a finding
// (or a note) and the summary of the self-check report.
type SelfCheckInput struct {
	Findings []FindingInput
	Summary  string
}

// SubmitSelfCheck files the handler's self-check against the template.
// Only the handler who owes it may, once; late filing is allowed (and
// shows as late).
func (s *Service) SubmitSelfCheck(ctx context.Context, r Request, id int64, in SelfCheckInput) error {
	c, err := s.loadCheck(ctx, r.P, id)
	if err != nil {
		return err
	}
	if !access.CanFileSelfCheck(r.P, c.Case.ref(), c.HandlerID) {
		return apperr.ErrForbidden
	}
	if c.Status != CheckPending {
		return invalid("status", "err.evaluation_check_submitted")
	}
	t, err := s.template(ctx, c.TemplateID)
	if err != nil {
		return err
	}
	v := &apperr.Validation{}
	fs := resolve(t, in.Findings, "findings", v)
	summary := strings.TrimSpace(in.Summary)
	checkText(v, "summary", summary, maxReasons, true)
	if err := v.Err(); err != nil {
		return err
	}
	for i := range fs {
		fs[i].Source = SourceSelf
	}
	today := s.Today()
	tally := TallyOf(fs)
	rec := r.record("evaluation.selfcheck_submit", objCheck, c.ID, fmt.Sprintf("case=%d flaws=%d serious=%d late=%t",
		c.Case.ID, tally.Flaws, tally.Serious, c.DueOn < today))
	return s.store.SaveSelfCheck(ctx, CheckChange{Check: c, Status: CheckSubmitted, SubmittedOn: today, Summary: summary,
		Replace: SourceSelf, Findings: fs}, rec)
}

// VerdictInput is the verifier's view of one of the handler's findings.
type VerdictInput struct {
	ItemCode string
	Agree    bool
	Reason   string
}

// VerifyInput is the department head's verification (核查): a verdict on
// every finding of the self-check (a disagreement needs its reason),
// problems the handler missed, and a note.
type VerifyInput struct {
	Verdicts []VerdictInput
	Added    []FindingInput
	Note     string
}

// VerifySelfCheck records the verification by the head of the case's
// department (or the chief procurator, when the head handled the case
// himself). Every finding of the handler needs a verdict; nothing is
// written when any is missing or wrong.
func (s *Service) VerifySelfCheck(ctx context.Context, r Request, id int64, in VerifyInput) error {
	c, err := s.loadCheck(ctx, r.P, id)
	if err != nil {
		return err
	}
	if !access.CanVerifySelfCheck(r.P, c.Case.ref(), c.DepartmentID, c.HandlerID) {
		return apperr.ErrForbidden
	}
	switch c.Status {
	case CheckPending:
		return invalid("status", "err.evaluation_check_not_submitted")
	case CheckVerified:
		return invalid("status", "err.evaluation_check_verified")
	}
	t, err := s.template(ctx, c.TemplateID)
	if err != nil {
		return err
	}
	v := &apperr.Validation{}
	own := map[string]Finding{}
	for _, f := range c.Findings {
		if f.Source == SourceSelf {
			own[f.ItemCode] = f
		}
	}
	var verdicts []Finding
	given := map[string]bool{}
	for i, vi := range in.Verdicts {
		p := fmt.Sprintf("verdicts[%d]", i)
		f, ok := own[vi.ItemCode]
		switch {
		case !ok:
			add(v, p+".item_code", "err.evaluation_item_not_in_check", vi.ItemCode)
			continue
		case given[vi.ItemCode]:
			add(v, p+".item_code", "err.duplicate")
			continue
		}
		given[vi.ItemCode] = true
		reason := strings.TrimSpace(vi.Reason)
		checkText(v, p+".reason", reason, maxNote, !vi.Agree)
		f.Verdict, f.VerdictReason = VerdictAgree, reason
		if !vi.Agree {
			f.Verdict = VerdictDisagree
		}
		verdicts = append(verdicts, f)
	}
	for _, f := range c.Findings {
		if f.Source == SourceSelf && !given[f.ItemCode] {
			add(v, "verdicts", "err.evaluation_verdict_missing", f.ItemCode)
		}
	}
	added := resolve(t, in.Added, "added", v)
	for i, f := range added {
		if _, dup := own[f.ItemCode]; dup {
			add(v, fmt.Sprintf("added[%d].item_code", i), "err.evaluation_item_in_check")
		}
		added[i].Source = SourceVerifier
	}
	note := strings.TrimSpace(in.Note)
	checkText(v, "note", note, maxReasons, false)
	if err := v.Err(); err != nil {
		return err
	}
	disagree := 0
	for _, f := range verdicts {
		if f.Verdict == VerdictDisagree {
			disagree++
		}
	}
	today := s.Today()
	rec := r.record("evaluation.selfcheck_verify", objCheck, c.ID, fmt.Sprintf("case=%d disagree=%d added=%d",
		c.Case.ID, disagree, len(added)))
	return s.store.SaveSelfCheck(ctx, CheckChange{Check: c, Status: CheckVerified, SubmittedOn: c.SubmittedOn,
		Summary: c.Summary, VerifierID: r.P.UserID, VerifiedOn: today, VerifyNote: note, Replace: SourceVerifier,
		Findings: added, Verdicts: verdicts}, rec)
}

// GetSelfCheck returns a self-check with its findings; the read is
// audited (it names the case and what went wrong in it).
func (s *Service) GetSelfCheck(ctx context.Context, r Request, id int64) (SelfCheck, error) {
	c, err := s.loadCheck(ctx, r.P, id)
	if err != nil {
		return SelfCheck{}, err
	}
	if err := s.store.AppendAudit(ctx, r.record("evaluation.selfcheck_view", objCheck, id, "")); err != nil {
		return SelfCheck{}, err
	}
	return c, nil
}

// ListSelfChecks returns one page of the self-checks p may see, the most
// urgent first: a handler's own, a department head's department, the
// unit's for case managers and the chief, the subtree for upper
// supervisors.
func (s *Service) ListSelfChecks(ctx context.Context, r Request, f CheckFilter) ([]SelfCheck, string, error) {
	sc := access.QualityReadScope(r.P)
	if sc.None() {
		return nil, "", nil
	}
	v := &apperr.Validation{}
	if f.Status != "" && !f.Status.Valid() {
		add(v, "status", "err.unknown_value")
	}
	for field, d := range map[string]string{"closed_from": f.ClosedFrom, "closed_to": f.ClosedTo} {
		if d != "" && !validDate(d) {
			add(v, field, "err.date_invalid")
		}
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	f.Today = s.Today()
	out, next, err := s.store.ListSelfChecks(ctx, sc, f)
	if err != nil {
		return nil, "", err
	}
	rec := r.record("evaluation.selfcheck_list", objCheck, 0, fmt.Sprintf("rows=%d status=%s overdue=%t", len(out),
		f.Status, f.Overdue))
	if err := s.store.AppendAudit(ctx, rec); err != nil {
		return nil, "", err
	}
	return out, next, nil
}
