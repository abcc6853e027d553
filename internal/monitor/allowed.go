package monitor

import "github.com/anguan/anguan/internal/access"

// PersonActions lists the actions a person takes on a finding, in the
// order of the graded response; the scan's detection and the automatic
// escalation are the system's.
func PersonActions() []ActionKind {
	return []ActionKind{ActPrompt, ActNotice, ActReportChief, ActTransfer, ActReply, ActCloseRectified,
		ActCloseNotRectified}
}

// ActionsFor lists the actions p may take on f today: those the graded
// procedure allows in f's state (Next) and p's role permits (the
// monitoring office of the case's unit acts; the case's handler or the
// head of its department replies). The surfaces offer exactly these, so a
// page never shows a form whose submission the service would refuse for
// the state alone; the service still checks every submission.
func (s *Service) ActionsFor(p access.Principal, f Finding) []ActionKind {
	today := s.Today()
	var out []ActionKind
	for _, k := range PersonActions() {
		permitted := access.CanMonitor(p, f.UnitID)
		if k == ActReply {
			permitted = access.CanReplyFinding(p, f.caseRef(), f.Case.DepartmentID)
		}
		if !permitted {
			continue
		}
		if _, err := Next(f.State, f.noticeState(), k, today); err == nil {
			out = append(out, k)
		}
	}
	return out
}
