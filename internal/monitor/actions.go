package monitor

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
)

// Length limits of the texts of a finding and its actions.
const (
	maxNote        = 500
	maxDescription = 1000
	maxReply       = 2000
)

// ManualFinding is a problem a case manager records by hand on patrol.
type ManualFinding struct {
	CaseID      int64
	Area        Area
	Severity    Severity
	Description string
}

// Create records a finding by hand. Only a case manager of the case's unit
// may, on a case they can see.
func (s *Service) Create(ctx context.Context, r Request, in ManualFinding) (int64, error) {
	c, err := s.store.MonitorCase(ctx, in.CaseID)
	if err != nil {
		return 0, err
	}
	ref := access.CaseRef{UnitID: c.UnitID, UnitPath: c.UnitPath, HandlerID: c.HandlerID, Sealed: c.Sealed}
	if !access.CanReadFinding(r.P, ref) {
		return 0, apperr.ErrNotFound
	}
	if !access.CanMonitor(r.P, c.UnitID) {
		return 0, apperr.ErrForbidden
	}
	in.Description = strings.TrimSpace(in.Description)
	if err := in.Check(); err != nil {
		return 0, err
	}
	f := Finding{UnitID: c.UnitID, Case: c, Area: in.Area, Severity: in.Severity, Description: in.Description,
		DepartmentID: c.DepartmentID, HandlerID: c.HandlerID, DetectedOn: s.Today(), CreatedBy: r.P.UserID,
		State: State{Step: StepDetected, Status: StatusOpen}}
	rec := r.record("monitor.finding_create", 0, fmt.Sprintf("case=%d area=%s severity=%s manual", c.ID, in.Area, in.Severity))
	ids, err := s.store.CreateMonitorFindings(ctx, []NewFinding{{Finding: f, Audit: rec}})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// Check validates what was typed, apart from the case: a form that also
// names its case in its own way (a stage number) reports every problem at
// once.
func (in ManualFinding) Check() error {
	v := &apperr.Validation{}
	if !in.Area.Valid() {
		v.AddLabeled("area", "monitor.field.area", "err.unknown_value")
	}
	if !in.Severity.Valid() {
		v.AddLabeled("severity", "monitor.field.severity", "err.unknown_value")
	}
	checkText(v, "description", strings.TrimSpace(in.Description), maxDescription, true)
	return v.Err()
}

// checkText trims nothing (callers do) and checks presence and length.
func checkText(v *apperr.Validation, field, text string, max int, required bool) {
	switch {
	case required && text == "":
		v.AddLabeled(field, "monitor.field."+field, "err.required")
	case len([]rune(text)) > max:
		v.AddLabeled(field, "monitor.field."+field, "err.too_long", max)
	}
}

// act is the common path of every action by a person: load in scope,
// check the permission, run the step machine, and hand the store one
// change with its audit record.
func (s *Service) act(ctx context.Context, r Request, id int64, k ActionKind, note string, required bool,
	allowed func(Finding) bool, build func(*Change) error) (Notice, error) {
	f, err := s.load(ctx, r.P, id)
	if err != nil {
		return Notice{}, err
	}
	if !allowed(f) {
		return Notice{}, apperr.ErrForbidden
	}
	note = strings.TrimSpace(note)
	field := "note"
	limit := maxNote
	if k == ActReply {
		field, limit = "reply", maxReply
	}
	v := &apperr.Validation{}
	checkText(v, field, note, limit, required)
	if err := v.Err(); err != nil {
		return Notice{}, err
	}
	today := s.Today()
	next, err := Next(f.State, f.noticeState(), k, today)
	if err != nil {
		return Notice{}, err
	}
	ch := Change{Finding: f, Next: next, Action: Action{FindingID: f.ID, Kind: k, Step: next.Step, Status: next.Status,
		Note: note, ActorID: r.P.UserID, ActedOn: today}}
	if build != nil {
		if err := build(&ch); err != nil {
			return Notice{}, err
		}
	}
	rec := r.record(auditAction(k), f.ID, fmt.Sprintf("case=%d step=%s status=%s", f.Case.ID, next.Step, next.Status))
	return s.store.MonitorAct(ctx, ch, rec)
}

// auditAction names an action kind in the audit log.
func auditAction(k ActionKind) string {
	switch k {
	case ActNotice:
		return "monitor.notice_issue"
	case ActCloseRectified, ActCloseNotRectified:
		return "monitor.close"
	case ActTransfer:
		return "monitor.transfer_discipline"
	}
	return "monitor." + string(k)
}

// monitors is the permission of the monitoring office over a finding.
func monitors(p access.Principal) func(Finding) bool {
	return func(f Finding) bool { return access.CanMonitor(p, f.UnitID) }
}

// Prompt records an oral prompt (口头提示) given to the handler: the
// response to a minor problem, logged with what was said.
func (s *Service) Prompt(ctx context.Context, r Request, id int64, note string) error {
	_, err := s.act(ctx, r, id, ActPrompt, note, false, monitors(r.P), nil)
	return err
}

// IssueNotice issues a 案件流程监控通知书 to the case's handling department,
// numbered in the transaction, with the reply due date computed by the
// deadline engine (10 days; civil supervision 5). requested is what the
// office asks the department to do; empty means the standard request to
// correct and reply in writing (monitor.doc.default_request).
func (s *Service) IssueNotice(ctx context.Context, r Request, id int64, requested string) (Notice, error) {
	requested = strings.TrimSpace(requested)
	return s.act(ctx, r, id, ActNotice, "", false, monitors(r.P), func(ch *Change) error {
		f := ch.Finding
		v := &apperr.Validation{}
		checkText(v, "requested_action", requested, maxDescription, false)
		if f.Case.DepartmentID == 0 {
			// A notice is addressed to the handling department; a case not
			// yet assigned has none to answer it.
			v.AddLabeled("department_id", "monitor.field.department_id", "err.monitor_no_department")
		}
		if err := v.Err(); err != nil {
			return err
		}
		due, basis, err := ReplyDue(s.engine(), f.Case.Category, ch.Action.ActedOn)
		if err != nil {
			return err
		}
		ch.Notice = &Notice{FindingID: f.ID, UnitID: f.UnitID, Year: yearOf(ch.Action.ActedOn),
			DepartmentID: f.Case.DepartmentID, RequestedAction: requested, IssuedOn: ch.Action.ActedOn, ReplyDue: due,
			ReplyBasis: basis, IssuedBy: r.P.UserID}
		ch.Action.Note = requested
		return nil
	})
}

// yearOf is the year of an ISO date (0 if it has none).
func yearOf(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// ReportChief records the report of a serious problem to the chief
// procurator (after the notice it accompanies).
func (s *Service) ReportChief(ctx context.Context, r Request, id int64, note string) error {
	_, err := s.act(ctx, r, id, ActReportChief, note, false, monitors(r.P), nil)
	return err
}

// TransferDiscipline records the transfer of suspected misconduct to
// discipline inspection (检务督察/纪检); the note says what and to whom.
func (s *Service) TransferDiscipline(ctx context.Context, r Request, id int64, note string) error {
	_, err := s.act(ctx, r, id, ActTransfer, note, true, monitors(r.P), nil)
	return err
}

// Reply records the handling department's written reply to the notice: by
// the case's handler or the head of its department.
func (s *Service) Reply(ctx context.Context, r Request, id int64, text string) error {
	text = strings.TrimSpace(text)
	allowed := func(f Finding) bool { return access.CanReplyFinding(r.P, f.caseRef(), f.Case.DepartmentID) }
	_, err := s.act(ctx, r, id, ActReply, text, true, allowed, func(ch *Change) error {
		n := ch.Finding.Notice // present: the step machine refused a reply without one
		ch.Reply = &Reply{On: ch.Action.ActedOn, Text: text, By: r.P.UserID,
			Days: daysBetween(n.IssuedOn, ch.Action.ActedOn)}
		return nil
	})
	return err
}

// Close closes a finding as rectified (整改到位) or not rectified, with the
// case manager's note on what was checked.
func (s *Service) Close(ctx context.Context, r Request, id int64, rectified bool, note string) error {
	k := ActCloseNotRectified
	if rectified {
		k = ActCloseRectified
	}
	_, err := s.act(ctx, r, id, k, note, true, monitors(r.P), nil)
	return err
}

// EscalateOverdue escalates every notice whose reply due date has passed
// without a reply: reported to the deputy chief in charge (step
// escalated), by the system actor. It returns how many it escalated.
func (s *Service) EscalateOverdue(ctx context.Context) (int, error) {
	today := s.Today()
	n := 0
	for {
		// Escalated findings drop out of the query, so each batch is new.
		batch, err := s.store.OverdueMonitorNotices(ctx, today, 100)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		for _, f := range batch {
			next, err := Next(f.State, f.noticeState(), ActEscalate, today)
			if err != nil {
				return n, fmt.Errorf("monitor: escalate finding %d: %w", f.ID, err)
			}
			ch := Change{Finding: f, Next: next, Action: Action{FindingID: f.ID, Kind: ActEscalate, Step: next.Step,
				Status: next.Status, ActedOn: today}}
			rec := record(systemActor(), "monitor.escalate", f.ID,
				fmt.Sprintf("case=%d notice=%s reply_due=%s", f.Case.ID, f.Notice.Number, f.Notice.ReplyDue))
			_, err = s.store.MonitorAct(ctx, ch, rec)
			if errors.Is(err, apperr.ErrConflict) {
				continue // changed meanwhile: the next query sees it as it is now
			}
			if err != nil {
				return n, err
			}
			n++
		}
	}
}
