package access

import "strings"

// Scope says which cases a principal may see; the store turns it into a
// WHERE clause. The zero Scope sees nothing.
type Scope struct {
	// UnitID: cases of exactly this unit.
	UnitID int64
	// UnitPathPrefix: cases of every unit whose path starts with it (a unit
	// and its subordinates). Used for upper-level supervisors.
	UnitPathPrefix string
	// UserID lets sealed cases of which the user is the handler appear;
	// every other sealed case is left out (CPL 286).
	UserID int64
}

// None reports whether the scope admits no case at all.
func (s Scope) None() bool { return s.UnitID == 0 && s.UnitPathPrefix == "" }

// CaseScope is the read scope of p. Administrators and aid partners see no
// case content; upper supervisors see their unit and everything below it;
// case-handling roles see their own unit.
func CaseScope(p Principal) Scope {
	switch {
	case p.Has(UpperSupervisor):
		return Scope{UnitPathPrefix: p.UnitPath, UserID: p.UserID}
	case p.HasAny(caseRoles...):
		return Scope{UnitID: p.UnitID, UserID: p.UserID}
	default:
		return Scope{}
	}
}

// CaseRef is what policy needs to know about one case.
type CaseRef struct {
	UnitID    int64
	UnitPath  string
	HandlerID int64
	Sealed    bool
}

// CanViewCase decides whether p may open c. A sealed juvenile record (封存)
// is visible only to its handler here; any other access needs the approved,
// logged, time-boxed query of a later capability. Until it has a handler,
// the unit's case managers, who registered it, open it to assign it (it
// still appears in no list: the SQL scope admits only the handler).
func CanViewCase(p Principal, c CaseRef) bool {
	s := CaseScope(p)
	if s.None() {
		return false
	}
	if c.Sealed && c.HandlerID != p.UserID && !(c.HandlerID == 0 && p.Has(CaseManager)) {
		return false
	}
	if s.UnitID != 0 {
		return c.UnitID == s.UnitID
	}
	return strings.HasPrefix(c.UnitPath, s.UnitPathPrefix)
}

// CanIntake reports whether p may register cases for the unit: the unit's
// case managers register cases for their own unit.
func CanIntake(p Principal, unitID int64) bool {
	return p.Has(CaseManager) && p.UnitID == unitID
}

// CanAssign reports whether p may assign c by rotation: the unit's case
// managers run rotation and record designated
// assignments (the designating leader is named in the record).
func CanAssign(p Principal, c CaseRef) bool {
	return p.Has(CaseManager) && p.UnitID == c.UnitID && CanViewCase(p, c)
}

// CanDesignate reports whether p may designate a handler for c: a case
// manager records a designation; the chief
// procurator may designate directly (2015 opinion on judicial
// responsibility, art. 26).
func CanDesignate(p Principal, c CaseRef) bool {
	return p.HasAny(CaseManager, Chief) && p.UnitID == c.UnitID && CanViewCase(p, c)
}

// CanRecordEvent reports whether p may record events on c: only the handler
// assigned to the case records its
// procedural events ("whoever handles enters the data").
func CanRecordEvent(p Principal, c CaseRef) bool {
	return c.HandlerID != 0 && c.HandlerID == p.UserID &&
		p.HasAny(Prosecutor, Assistant) && CanViewCase(p, c)
}

// CanSeeWorkload reports whether p may see the unit's workload page.
func CanSeeWorkload(p Principal) bool { return p.HasAny(CaseManager, DeptHead, Chief) }
