package access

import "strings"

// QualityScope says which case-quality records (self-checks and
// evaluation records, 案件质量检查与评查) a principal may read by the case
// they concern; the store turns it into a WHERE clause over the record and
// its case. Evaluators, team leaders and committee members of an activity
// also read its records: that is membership, checked by the evaluation
// service. The zero QualityScope sees nothing.
type QualityScope struct {
	// UnitID: records of cases of exactly this unit.
	UnitID int64
	// UnitPathPrefix: records of a unit and its subordinates (upper-level
	// supervisors).
	UnitPathPrefix string
	// DepartmentID narrows the unit to one department (a department head
	// reads the department's records), together with HandlerID's own.
	DepartmentID int64
	// HandlerID narrows the unit to the records of cases this user handled
	// (a prosecutor reads their own quality record).
	HandlerID int64
	// UserID lets the records of a sealed case (CPL 286) appear to its
	// handler only, as in every case list.
	UserID int64
}

// None reports whether the scope admits no record at all.
func (s QualityScope) None() bool { return s.UnitID == 0 && s.UnitPathPrefix == "" }

// QualityReadScope is the quality-record read scope of p: the case
// management office and the chief read their unit's; a department head
// the department's and their own; prosecutors and assistants their own;
// upper supervisors their subtree; administrators and aid partners none
// (no case content).
func QualityReadScope(p Principal) QualityScope {
	switch {
	case p.Has(UpperSupervisor):
		return QualityScope{UnitPathPrefix: p.UnitPath, UserID: p.UserID}
	case p.HasAny(CaseManager, Chief):
		return QualityScope{UnitID: p.UnitID, UserID: p.UserID}
	case p.Has(DeptHead):
		return QualityScope{UnitID: p.UnitID, DepartmentID: p.DepartmentID, HandlerID: p.UserID, UserID: p.UserID}
	case p.HasAny(Prosecutor, Assistant):
		return QualityScope{UnitID: p.UnitID, HandlerID: p.UserID, UserID: p.UserID}
	default:
		return QualityScope{}
	}
}

// CanReadQuality decides whether p may open the quality record of case c,
// whose responsible department and handler (when it closed or was
// selected) are departmentID and handlerID: the same rule as
// QualityReadScope, for one object.
func CanReadQuality(p Principal, c CaseRef, departmentID, handlerID int64) bool {
	s := QualityReadScope(p)
	if s.None() {
		return false
	}
	if c.Sealed && handlerID != p.UserID {
		return false
	}
	switch {
	case s.DepartmentID != 0:
		if departmentID != s.DepartmentID && handlerID != s.HandlerID {
			return false
		}
	case s.HandlerID != 0:
		if handlerID != s.HandlerID {
			return false
		}
	}
	if s.UnitID != 0 {
		return c.UnitID == s.UnitID
	}
	return strings.HasPrefix(c.UnitPath, s.UnitPathPrefix)
}

// CanFileSelfCheck reports whether p may file the self-check (案件质量检查)
// that handlerID owes on case c: only that handler, who must still hold a
// case-handling role in the case's unit.
func CanFileSelfCheck(p Principal, c CaseRef, handlerID int64) bool {
	return handlerID != 0 && p.UserID == handlerID && p.UnitID == c.UnitID &&
		p.HasAny(Prosecutor, Assistant, DeptHead)
}

// CanVerifySelfCheck reports whether p may verify (核查) the self-check of
// case c filed by handlerID in departmentID: the head of that department in
// the case's unit, or the chief procurator (for a department head's own
// case); never the handler. The record of a sealed case is verified by
// nobody but through the approved query of a later capability (CPL 286).
func CanVerifySelfCheck(p Principal, c CaseRef, departmentID, handlerID int64) bool {
	if p.UnitID != c.UnitID || p.UserID == handlerID || c.Sealed {
		return false
	}
	return p.Has(Chief) || (p.Has(DeptHead) && departmentID != 0 && p.DepartmentID == departmentID)
}

// CanManageEvaluationTemplates reports whether p may import and edit
// evaluation templates (评查模板): the case management office, which
// organises evaluation, and the system administrator, who keeps the
// system's rule data.
func CanManageEvaluationTemplates(p Principal) bool { return p.HasAny(CaseManager, SysAdmin) }

// CanOrganiseEvaluation reports whether p may organise evaluation
// activities of unitID (plan, draw cases, assign evaluators, record
// follow-up): its case managers.
func CanOrganiseEvaluation(p Principal, unitID int64) bool {
	return p.Has(CaseManager) && p.UnitID == unitID
}

// CanEvaluate reports whether p may be an evaluator (评查员): prosecutors,
// department heads, the chief and case managers; an aid partner (援助方)
// when the activity allows it. Assistants do not grade a prosecutor's
// work, upper supervisors only read, administrators see no case content.
func CanEvaluate(p Principal, allowAid bool) bool {
	return p.HasAny(Prosecutor, DeptHead, Chief, CaseManager) || (allowAid && p.Has(AidPartner))
}

// CanLeadEvaluation reports whether p may lead an activity (评查组长) or
// sit on its committee (评查委员会), which decides objections.
func CanLeadEvaluation(p Principal) bool { return p.HasAny(Chief, DeptHead, CaseManager, Prosecutor) }

// CanReadEvaluationStats reports whether p may read the evaluation
// statistics of the units in EvaluationStatsScope: the office, the unit's
// leaders and upper supervisors.
func CanReadEvaluationStats(p Principal) bool {
	return p.HasAny(CaseManager, DeptHead, Chief, UpperSupervisor)
}

// EvaluationStatsScope is the unit scope of p's statistics.
func EvaluationStatsScope(p Principal) QualityScope {
	switch {
	case !CanReadEvaluationStats(p):
		return QualityScope{}
	case p.Has(UpperSupervisor):
		return QualityScope{UnitPathPrefix: p.UnitPath, UserID: p.UserID}
	default:
		return QualityScope{UnitID: p.UnitID, UserID: p.UserID}
	}
}

// InUnitTree reports whether the unit at path is rootPath's unit or below it.
func InUnitTree(path, rootPath string) bool {
	return rootPath != "" && strings.HasPrefix(path, rootPath)
}
