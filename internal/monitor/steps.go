package monitor

import "github.com/anguan/anguan/internal/apperr"

// State is the part of a finding the step machine reads and changes.
type State struct {
	Step        Step
	Status      Status
	Reported    bool   // reported to the chief procurator
	Escalated   bool   // reported to the deputy chief after an unanswered notice
	Transferred bool   // transferred to discipline inspection
	ClosedOn    string // YYYY-MM-DD, "" while open
}

// NoticeState is what the step machine needs to know of a finding's notice.
type NoticeState struct {
	Issued   bool
	ReplyDue string // YYYY-MM-DD
	Replied  bool
}

// Next applies an action of kind k on day today to a finding in state s
// whose notice is n, and returns the state after it. An action the graded
// procedure does not allow is refused with a validation error naming the
// field that makes it impossible; the state is then unchanged.
//
// The step only ever rises (raise): a reply or a closing does not lower
// the graded response reached, so the record shows how far it went.
func Next(s State, n NoticeState, k ActionKind, today string) (State, error) {
	if s.Status.Closed() {
		return s, invalid("status", "err.monitor_closed")
	}
	switch k {
	case ActPrompt:
		// An oral prompt is the mildest response; once a written notice is
		// out, the notice governs.
		if n.Issued {
			return s, invalid("step", "err.monitor_prompt_after_notice")
		}
		s.raise(StepPrompted)
	case ActNotice:
		if n.Issued {
			return s, invalid("notice", "err.monitor_notice_exists")
		}
		s.raise(StepNotified)
		s.Status = StatusAwaitingReply
	case ActReply:
		if !n.Issued {
			return s, invalid("notice", "err.monitor_no_notice")
		}
		if n.Replied {
			return s, invalid("reply", "err.monitor_already_replied")
		}
		s.Status = StatusReplied
	case ActReportChief:
		// R665: a serious problem is answered by the notice plus a report;
		// the report carries the notice.
		if !n.Issued {
			return s, invalid("notice", "err.monitor_no_notice")
		}
		if s.Reported {
			return s, invalid("step", "err.monitor_already_reported")
		}
		s.Reported = true
		s.raise(StepReported)
	case ActEscalate:
		if !n.Issued {
			return s, invalid("notice", "err.monitor_no_notice")
		}
		if n.Replied {
			return s, invalid("reply", "err.monitor_already_replied")
		}
		if s.Escalated {
			return s, invalid("step", "err.monitor_already_escalated")
		}
		if !(n.ReplyDue < today) {
			return s, invalid("reply_due", "err.monitor_not_overdue", n.ReplyDue)
		}
		s.Escalated = true
		s.raise(StepEscalated)
	case ActTransfer:
		if s.Transferred {
			return s, invalid("step", "err.monitor_already_transferred")
		}
		s.Transferred = true
		s.raise(StepTransferred)
	case ActCloseRectified:
		// The written reply states the rectification; closing as rectified
		// while the department still owes it would take its word unheard.
		if n.Issued && !n.Replied {
			return s, invalid("reply", "err.monitor_reply_pending")
		}
		s.Status, s.ClosedOn = StatusRectified, today
	case ActCloseNotRectified:
		s.Status, s.ClosedOn = StatusNotRectified, today
	default:
		return s, invalid("action", "err.unknown_value")
	}
	return s, nil
}

// raise moves the step up to to, never down.
func (s *State) raise(to Step) {
	if to.grade() > s.Step.grade() {
		s.Step = to
	}
}

// invalid is a validation error on one field whose label is the monitor
// catalogue's ("monitor.field.<field>"), so the monitoring forms name
// their fields without sharing labels with other screens.
func invalid(field, key string, args ...any) error {
	v := &apperr.Validation{}
	v.AddLabeled(field, "monitor.field."+field, key, args...)
	return v
}
