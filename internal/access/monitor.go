package access

import "strings"

// FindingScope says which process-monitoring findings (流程监控问题) a
// principal may read; the store turns it into a WHERE clause over the
// finding and its case. The zero FindingScope sees nothing.
type FindingScope struct {
	// UnitID: findings of exactly this unit.
	UnitID int64
	// UnitPathPrefix: findings of a unit and its subordinates (upper-level
	// supervisors).
	UnitPathPrefix string
	// HandlerID, when set, narrows the scope to findings on cases this user
	// handles: a prosecutor answers for their own cases only.
	HandlerID int64
	// UserID lets findings on a sealed case (CPL 286) appear to the case's
	// handler only, as in every case list.
	UserID int64
}

// None reports whether the scope admits no finding at all.
func (s FindingScope) None() bool { return s.UnitID == 0 && s.UnitPathPrefix == "" }

// MonitorScope is the finding read scope of p. The office that monitors
// (case managers), the department heads and the chief read every finding
// of their unit; prosecutors and assistants read the findings on their own
// cases, which they must answer; upper supervisors read their subtree;
// administrators and aid partners read none (no case content).
func MonitorScope(p Principal) FindingScope {
	switch {
	case p.Has(UpperSupervisor):
		return FindingScope{UnitPathPrefix: p.UnitPath, UserID: p.UserID}
	case p.HasAny(CaseManager, DeptHead, Chief):
		return FindingScope{UnitID: p.UnitID, UserID: p.UserID}
	case p.HasAny(Prosecutor, Assistant):
		return FindingScope{UnitID: p.UnitID, HandlerID: p.UserID, UserID: p.UserID}
	default:
		return FindingScope{}
	}
}

// CanReadFinding decides whether p may open a finding on case c: the same
// rule as MonitorScope, for one object.
func CanReadFinding(p Principal, c CaseRef) bool {
	s := MonitorScope(p)
	if s.None() {
		return false
	}
	if c.Sealed && c.HandlerID != p.UserID {
		return false
	}
	if s.HandlerID != 0 && c.HandlerID != s.HandlerID {
		return false
	}
	if s.UnitID != 0 {
		return c.UnitID == s.UnitID
	}
	return strings.HasPrefix(c.UnitPath, s.UnitPathPrefix)
}

// CanMonitor reports whether p may act as the monitoring office for
// unitID: record findings by hand, prompt, issue notices, report, transfer,
// close, and keep the patrol log. R665 gives this to the case management
// office of the unit that handles the case, so only its case managers.
func CanMonitor(p Principal, unitID int64) bool {
	return p.Has(CaseManager) && p.UnitID == unitID
}

// CanReplyFinding reports whether p may answer a monitoring notice on case
// c, whose handling department is departmentID: the handler of the case,
// or the head of that department in the case's unit (the notice is
// addressed to the department).
func CanReplyFinding(p Principal, c CaseRef, departmentID int64) bool {
	if p.UnitID != c.UnitID {
		return false
	}
	if c.HandlerID != 0 && c.HandlerID == p.UserID && p.HasAny(Prosecutor, Assistant) {
		return true
	}
	return departmentID != 0 && p.Has(DeptHead) && p.DepartmentID == departmentID && !c.Sealed
}

// CanReadMonitorReports reports whether p may read the patrol log, the
// monthly ledger and the quarterly analysis of the units in its
// MonitorScope: the monitoring office, the unit's leaders and upper-level
// supervisors. A prosecutor sees only the findings on their own cases, not
// the office's reports.
func CanReadMonitorReports(p Principal) bool {
	return p.HasAny(CaseManager, DeptHead, Chief, UpperSupervisor)
}
